import { describe, expect, it } from "vitest";
import { formatDay, formatNumber, formatTableTime, formatTime } from "./format.js";

// Noon UTC, so the local date is the same day in every zone from UTC-11 to UTC+11.
const AT = "2026-12-03T12:00:00.000Z";

describe("format", () => {
  it("follows the locale it is given: month first in en-US, day first in en-GB and de-DE", () => {
    expect(formatTime(AT, "en-US")).toMatch(/^Dec 03, 2026/);
    expect(formatTime(AT, "en-GB")).toMatch(/^03 Dec 2026/);
    expect(formatTime(AT, "de-DE")).toMatch(/^03\. Dez\. 2026/);
    expect(formatNumber(1234567, "en-US")).toBe("1,234,567");
    expect(formatNumber(1234567, "de-DE")).toBe("1.234.567");
  });

  it("leaves the year out of table times only in the current year", () => {
    expect(formatTableTime(AT, new Date("2026-06-01"), "en-US")).toMatch(/^Dec 03,? \d\d:/);
    expect(formatTableTime(AT, new Date("2027-06-01"), "en-US")).toMatch(/^Dec 03, 2026/);
  });

  it("shows a daily bucket as the UTC day it starts on, whatever the reader's zone", () => {
    expect(formatDay("2026-12-03T00:00:00.000Z", "en-GB")).toBe("03 Dec");
    expect(formatDay("2026-12-03T00:00:00.000Z", "en-US")).toBe("Dec 03");
    expect(formatDay("not a date", "en-US")).toBe("not a date");
  });
});
