// A store that cannot be reached is the operator's input to fix (a wrong URL,
// host, role or database), so it is one line and exit 2 like any bad input,
// not a stack trace. Anything else is left as it was thrown.
import { TrailproofError } from "@trailproof/core";

/** Socket errors of a host that is down, unknown or refusing. */
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ECONNRESET"]);

/** `err` as DATABASE_UNAVAILABLE naming `where` (never a password) when the database refused or was unreachable. */
export function asDatabaseError(err: unknown, where: string): unknown {
  if (err instanceof TrailproofError || !(err instanceof Error)) return err;
  const code = (err as { code?: unknown }).code;
  const refused = err.name === "PostgresError" || (typeof code === "string" && UNREACHABLE.has(code));
  if (!refused) return err;
  return new TrailproofError("DATABASE_UNAVAILABLE", `cannot use ${where}: ${err.message || String(code)}`, {
    cause: err,
  });
}
