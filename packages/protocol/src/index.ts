// @trailproof/protocol: the HTTP wire contract shared by the server, the SDK
// and the console.
export * from "./error-status.js";
export * from "./http/problem-details.js";
export * from "./http/wire-schemas.js";
export * from "./query/index.js";
export * from "./roles.js";
