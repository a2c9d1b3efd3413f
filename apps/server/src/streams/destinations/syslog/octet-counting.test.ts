// RFC 6587 octet counting: MSG-LEN counts bytes, so multibyte UTF-8 and the
// BOM make it longer than the string's length.
import { describe, expect, it } from "vitest";
import { frameMessage, parseFrames } from "./octet-counting.js";

describe("frameMessage", () => {
  it("counts UTF-8 bytes, not characters", () => {
    const message = "\uFEFFZoë 👩‍💻 日本";
    const frame = frameMessage(message);
    const bytes = Buffer.byteLength(message, "utf8");
    expect(bytes).toBeGreaterThan(message.length);
    expect(frame.subarray(0, String(bytes).length + 1).toString("ascii")).toBe(`${bytes} `);
    expect(frame.length).toBe(String(bytes).length + 1 + bytes);
  });

  it("reads back a run of frames", () => {
    const messages = ["a", "ü".repeat(300), "<14>1 - - - - - - x y"];
    expect(parseFrames(Buffer.concat(messages.map(frameMessage)))).toEqual(messages);
  });

  it("refuses a truncated frame and a missing length", () => {
    const frame = frameMessage("hello");
    expect(() => parseFrames(frame.subarray(0, frame.length - 1))).toThrow(/truncated/);
    expect(() => parseFrames(Buffer.from("hello"))).toThrow(/MSG-LEN/);
  });
});
