// An alert's id is a digest of what raised it (rule, version, group and the
// event or slot that completed it), so evaluating the same log again, after
// a crash or in a back-test, names the same alert and the log's idempotent
// append stores it once.
import { createHash } from "node:crypto";

export function alertIdOf(parts: readonly (string | number | null)[]): string {
  const digest = createHash("sha256")
    .update(JSON.stringify(["trailproof alert v1", ...parts]))
    .digest("base64url");
  return `alr_${digest.slice(0, 26)}`;
}
