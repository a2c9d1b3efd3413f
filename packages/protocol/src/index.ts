// @trailproof/protocol: the HTTP wire contract shared by the server, the SDK
// and the console.
export * from "./error-status.js";
export * from "./http/admin-schemas.js";
export * from "./http/approval-schemas.js";
export * from "./http/auth-schemas.js";
export * from "./http/erasure-schemas.js";
export * from "./http/log-schemas.js";
export * from "./http/people-schemas.js";
export * from "./http/problem-details.js";
export * from "./http/read-schemas.js";
export * from "./http/read-your-writes.js";
export * from "./http/search-schemas.js";
export * from "./http/target-schemas.js";
export * from "./http/tenant-schemas.js";
export * from "./http/wire-schemas.js";
export * from "./query/index.js";
export * from "./roles.js";
