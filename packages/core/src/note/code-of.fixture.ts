// For the note tests: the code of the TrailproofError a call throws, so a
// test names which way a parse or verification failed; undefined when it
// returns, and anything other than a TrailproofError is thrown on.
import { TrailproofError } from "../errors.js";

export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof TrailproofError) return err.code;
    throw err;
  }
  return undefined;
}
