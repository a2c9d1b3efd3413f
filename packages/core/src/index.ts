// @trailproof/core: pure, isomorphic building blocks. No node:* imports and no
// I/O here, so the verifier runs the same in the CLI, the server and a browser.
export * from "./bytes.js";
export * from "./canonical-json.js";
export * from "./errors.js";
export * from "./event/index.js";
export * from "./hasher.js";
export * from "./hmac-sha256.js";
export * from "./merkle/index.js";
export * from "./note/index.js";
export * from "./privacy/index.js";
export * from "./schema/index.js";
export * from "./seeded-random.js";
export * from "./strict-json/index.js";
export * from "./tiles/index.js";
export * from "./verify/index.js";
