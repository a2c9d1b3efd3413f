// occurred_at normalisation: offsets applied, milliseconds kept, sub-ms digits
// truncated, impossible dates and missing offsets refused.
import { describe, expect, it } from "vitest";
import { hasErrorCode } from "../errors.js";
import { normalizeTimestamp, parseTimestamp } from "./normalize-timestamp.js";
import { thrown } from "./test-fixtures.js";

describe("normalizeTimestamp", () => {
  const cases: Array<[string, string]> = [
    ["2026-05-01T10:00:00.123+02:00", "2026-05-01T08:00:00.123Z"],
    ["2026-05-01T10:00:00Z", "2026-05-01T10:00:00.000Z"],
    ["2026-05-01t10:00:00.5z", "2026-05-01T10:00:00.500Z"],
    ["2026-05-01T10:00:00.123999999-00:30", "2026-05-01T10:30:00.123Z"],
    ["2026-01-01T00:30:00+01:00", "2025-12-31T23:30:00.000Z"],
    ["2024-02-29T12:00:00Z", "2024-02-29T12:00:00.000Z"],
    ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000Z"],
  ];
  for (const [input, expected] of cases) {
    it(`${input} -> ${expected}`, () => expect(normalizeTimestamp(input)).toBe(expected));
  }

  const refused: Array<[string, string]> = [
    ["2026-02-30T00:00:00Z", "day 30"],
    ["2025-02-29T00:00:00Z", "day 29"],
    ["2026-13-01T00:00:00Z", "month 13"],
    ["2026-05-01T24:00:00Z", "time of day"],
    ["2026-05-01T10:00:60Z", "leap seconds"],
    ["2026-05-01T10:00:00", "UTC offset"],
    ["2026-05-01 10:00:00Z", "RFC 3339"],
    ["2026-05-01T10:00:00+24:00", "offset that does not exist"],
    ["0000-01-01T00:30:00+01:00", "outside years"],
  ];
  for (const [input, reason] of refused) {
    it(`refuses ${input}`, () => {
      const err = thrown(() => normalizeTimestamp(input));
      expect(hasErrorCode(err, "EVENT_TIMESTAMP_INVALID")).toBe(true);
      const parsed = parseTimestamp(input);
      expect("problem" in parsed && parsed.problem).toContain(reason);
    });
  }
});
