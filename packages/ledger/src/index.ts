// @trailproof/ledger: the engine as a library.
export { bundleLines } from "./bundle/bundle-lines.js";
export { IngestOverloadedError } from "./group-commit.js";
export { SigningKeyStore, type TenantSigner, type VerifierKeyRecord } from "./keys/signing-keys.js";
export { type AppendResult, Ledger, type LedgerOptions } from "./ledger.js";
export { nodeHasher } from "./node-hasher.js";
export type * from "./store/log-store.js";
export { openSqliteStore } from "./store/sqlite/open-sqlite-store.js";
export type { SqliteDatabase } from "./store/sqlite/sqlite-database.js";
export { SqliteStore } from "./store/sqlite/sqlite-store.js";
export { type VerifyOptions, type VerifyReport, verifyTenantLog } from "./verify/verify-tenant-log.js";
