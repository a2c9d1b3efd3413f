import { describe, expect, it } from "vitest";
import { changedPointers, isChanged, jsonLines, markWithheld, WITHHELD } from "./json-lines.js";

describe("jsonLines", () => {
  it("gives every line the pointer of the value it shows", () => {
    const lines = jsonLines({ a: 1, "b/c": [true, { d: null }] });
    expect(lines.map((l) => [l.pointer, l.key + l.text])).toEqual([
      ["", "{"],
      ["/a", '"a": 1'],
      ["/b~1c", '"b/c": ['],
      ["/b~1c/0", "true"],
      ["/b~1c/1", "{"],
      ["/b~1c/1/d", '"d": null'],
      ["/b~1c/1", "}"],
      ["/b~1c", "]"],
      ["", "}"],
    ]);
  });

  it("shows withheld personal values in place", () => {
    const lines = jsonLines(markWithheld({ name: "x", keep: 1 }, ["/email"]));
    expect(lines.find((l) => l.pointer === "/email")?.withheld).toBe(true);
    expect(markWithheld({ a: 1 }, ["/b"])).toEqual({ a: 1, b: WITHHELD });
  });
});

describe("changedPointers", () => {
  it("marks removed and replaced paths before, added and replaced paths after", () => {
    const changed = changedPointers([
      { op: "replace", path: "/title", value: "x" },
      { op: "remove", path: "/old" },
      { op: "add", path: "/list/-", value: 1 },
      { op: "move", from: "/a", path: "/b" },
    ]);
    expect(changed).toEqual({ before: ["/title", "/old", "/a"], after: ["/title", "/list", "/b"] });
    expect(isChanged("/title", changed.before)).toBe(true);
    expect(isChanged("/old/deep", changed.before)).toBe(true);
    expect(isChanged("/titles", changed.before)).toBe(false);
  });
});
