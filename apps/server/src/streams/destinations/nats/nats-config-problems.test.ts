// What natsConfigProblems lets through and what it refuses, with pointers.
import { describe, expect, it } from "vitest";
import { natsConfigProblems } from "./nats-config-problems.js";

describe("natsConfigProblems", () => {
  it("accepts nats servers and a plain subject", () => {
    expect(
      natsConfigProblems({ servers: ["nats://127.0.0.1:4222", "nats://nats.example"], subject: "audit.acme" }),
    ).toEqual([]);
  });

  it("lists every problem with its pointer", () => {
    expect(
      natsConfigProblems({ servers: ["tls://x", "nats://u:p@h:4222", "nope"], subject: "audit.*.>" }, "/body/dest"),
    ).toEqual([
      { pointer: "/body/dest/servers/0", message: "must use the nats scheme, not tls" },
      {
        pointer: "/body/dest/servers/1",
        message: "must not carry credentials (the token is the stream's secret)",
      },
      { pointer: "/body/dest/servers/2", message: "is not a nats://host:port URL" },
      { pointer: "/body/dest/subject", message: "must not contain a wildcard (* or >)" },
    ]);
  });

  it("refuses no servers and a subject with empty tokens, whitespace or a $ prefix", () => {
    const problems = natsConfigProblems({ servers: [], subject: "$JS.API..x y" });
    expect(problems.map((p) => p.message)).toEqual([
      "must name a server",
      "must not contain whitespace",
      "must not have an empty token (a leading, trailing or double dot)",
      "must not be one of the server's own $ subjects",
    ]);
    expect(natsConfigProblems({ servers: ["nats://h:1"], subject: "" })).toEqual([
      { pointer: "/body/destination/subject", message: "must not be empty" },
    ]);
  });
});
