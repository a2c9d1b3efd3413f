// For the stream destination tests: the error a send (or any call) rejects
// with, asserted to carry STREAM_DESTINATION_FAILED, the one code a
// destination fails with; a call that resolves fails the assertion.
import { hasErrorCode } from "@trailproof/core";
import { expect } from "vitest";

export async function destinationFailure(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(hasErrorCode(err, "STREAM_DESTINATION_FAILED")).toBe(true);
  return err as Error;
}
