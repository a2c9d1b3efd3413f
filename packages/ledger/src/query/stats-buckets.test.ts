// Bucket grids: UTC alignment (Monday weeks), floors before 1970, the bucket
// bound, and group names that are data, not object keys.
import { describe, expect, it } from "vitest";
import { assembleStats, bucketStart, checkBucketCount, checkStatsOptions } from "./stats-buckets.js";

const grid = (bucket: "minute" | "hour" | "day" | "week") => checkStatsOptions({ bucket }).grid;
const iso = (ms: number) => new Date(ms).toISOString();

describe("bucketStart", () => {
  it("floors to UTC minutes, hours, days and Monday weeks, also before 1970", () => {
    const t = Date.parse("2026-03-08T23:59:59.999Z"); // a Sunday
    expect(iso(bucketStart(grid("minute"), t))).toBe("2026-03-08T23:59:00.000Z");
    expect(iso(bucketStart(grid("hour"), t))).toBe("2026-03-08T23:00:00.000Z");
    expect(iso(bucketStart(grid("day"), t))).toBe("2026-03-08T00:00:00.000Z");
    expect(iso(bucketStart(grid("week"), t))).toBe("2026-03-02T00:00:00.000Z");
    expect(iso(bucketStart(grid("week"), Date.parse("2026-03-09T00:00:00.000Z")))).toBe("2026-03-09T00:00:00.000Z");
    expect(iso(bucketStart(grid("day"), -1))).toBe("1969-12-31T00:00:00.000Z");
    expect(iso(bucketStart(grid("week"), Date.parse("1970-01-01T00:00:00.000Z")))).toBe("1969-12-29T00:00:00.000Z");
  });
});

describe("checkBucketCount", () => {
  it("allows 2000 buckets and refuses 2001 with STATS_TOO_MANY_BUCKETS", () => {
    const start = Date.parse("2026-01-01T00:00:00Z");
    expect(() => checkBucketCount(grid("minute"), start, start + 2000 * 60_000)).not.toThrow();
    let caught: unknown;
    try {
      checkBucketCount(grid("minute"), start, start + 2000 * 60_000 + 1);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: "STATS_TOO_MANY_BUCKETS", problems: [{ pointer: "/bucket" }] });
    expect((caught as Error).message).toMatch(/number 2001; at most 2000/);
  });
});

describe("assembleStats", () => {
  it("keeps group names such as __proto__ as own properties", () => {
    const result = assembleStats(
      [
        { bucketMs: 0, group: "__proto__", count: 2 },
        { bucketMs: 0, group: null, count: 1 },
      ],
      ["__proto__"],
    );
    const [bucket] = result.buckets;
    expect(Object.hasOwn(bucket?.groups ?? {}, "__proto__")).toBe(true);
    expect(bucket).toMatchObject({ count: 3, other: 1 });
    expect(JSON.stringify(bucket?.groups)).toBe('{"__proto__":2}');
  });
});
