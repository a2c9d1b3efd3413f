// UUIDv7 layout (RFC 9562 section 5.7) and time ordering.
import { describe, expect, it } from "vitest";
import { hasErrorCode } from "../errors.js";
import { seededRandomBytes, thrown } from "./test-fixtures.js";
import { uuidv7 } from "./uuidv7.js";

describe("uuidv7", () => {
  it("encodes the time, version 7 and variant 10", () => {
    const id = uuidv7(() => new Uint8Array(10).fill(0xff), 0x0123456789ab);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id.startsWith("01234567-89ab-7fff-bfff-")).toBe(true);
    const zero = uuidv7(() => new Uint8Array(10), 0);
    expect(zero).toBe("00000000-0000-7000-8000-000000000000");
  });

  it("sorts by time across milliseconds", () => {
    const random = seededRandomBytes("uuid");
    const ids = Array.from({ length: 200 }, (_, i) => uuidv7(random, 1_777_000_000_000 + i * 3));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("refuses a time outside 48 bits and short randomness", () => {
    expect(
      hasErrorCode(
        thrown(() => uuidv7(seededRandomBytes("x"), 2 ** 48)),
        "UUID_TIME_INVALID",
      ),
    ).toBe(true);
    expect(
      hasErrorCode(
        thrown(() => uuidv7(seededRandomBytes("x"), -1)),
        "UUID_TIME_INVALID",
      ),
    ).toBe(true);
    expect(
      hasErrorCode(
        thrown(() => uuidv7(() => new Uint8Array(4), 1)),
        "UUID_RANDOM_INVALID",
      ),
    ).toBe(true);
  });
});
