import { describe, expect, it } from "vitest";
import { parseTraceparent } from "./traceparent.js";

describe("parseTraceparent", () => {
  it("takes the trace id and the parent span id of a version 00 header", () => {
    expect(parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).toEqual({
      trace_id: "4bf92f3577b34da6a3ce929d0e0e4736",
      span_id: "00f067aa0ba902b7",
    });
  });

  it("accepts a later version with extra fields and refuses version ff", () => {
    const later = parseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra");
    expect(later?.trace_id).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(parseTraceparent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).toBeUndefined();
  });

  it.each([
    ["all-zero trace id", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"],
    ["all-zero span id", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"],
    ["upper case", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"],
    ["extra field in version 00", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x"],
    ["short trace id", "00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01"],
    ["garbage", "hello"],
  ])("ignores a header with %s", (_why, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it("ignores repeated headers", () => {
    const h = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    expect(parseTraceparent([h, h])).toBeUndefined();
    expect(parseTraceparent(undefined)).toBeUndefined();
  });
});
