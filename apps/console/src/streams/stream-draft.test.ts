// The stream form's request body per destination type, and the API's
// problems placed beside the fields their pointers name.
import { describe, expect, it } from "vitest";
import { emptyStreamDraft, fieldOf, problemsByField, toNewStream } from "./stream-draft.js";

describe("toNewStream", () => {
  it("sends a webhook stream's URL and nothing of the other types", () => {
    const body = toNewStream({ ...emptyStreamDraft(), name: " siem ", url: " https://siem.example/in ", token: "x" });
    expect(body).toEqual({
      name: "siem",
      destination: { type: "webhook", url: "https://siem.example/in" },
      format: "native",
      filter: "",
      personal: "drop",
      start: "now",
    });
  });

  it("splits NATS servers on commas and sends the token as the secret only when given", () => {
    const draft = {
      ...emptyStreamDraft(),
      type: "nats" as const,
      servers: "nats://a:4222, nats://b:4222,",
      subject: "audit",
    };
    expect(toNewStream(draft).destination).toEqual({
      type: "nats",
      servers: ["nats://a:4222", "nats://b:4222"],
      subject: "audit",
    });
    expect(toNewStream(draft)).not.toHaveProperty("secret");
    expect(toNewStream({ ...draft, token: "s3cret" })).toHaveProperty("secret", "s3cret");
  });

  it("sends syslog numbers as numbers, leaves empty options out, and keeps a non-number for the server to name", () => {
    const draft = { ...emptyStreamDraft(), type: "syslog" as const, host: "siem", port: "6514", facility: "13" };
    expect(toNewStream(draft).destination).toEqual({
      type: "syslog",
      host: "siem",
      port: 6514,
      tls: true,
      facility: 13,
    });
    const odd = toNewStream({ ...draft, port: "65x", caPem: " PEM ", appName: "tp", facility: "" });
    expect(odd.destination).toEqual({
      type: "syslog",
      host: "siem",
      port: "65x",
      tls: true,
      ca_pem: "PEM",
      app_name: "tp",
    });
  });
});

describe("problemsByField", () => {
  it("places each problem by its pointer, those below a field too, the rest under the form", () => {
    expect(fieldOf("/body/destination/servers/1")).toBe("servers");
    expect(fieldOf("/body/destination/url")).toBe("url");
    expect(fieldOf("/body/destination")).toBe("");
    expect(fieldOf("/body/filtering")).toBe("");
    const grouped = problemsByField([
      { pointer: "/body/filter", message: "unknown field" },
      { pointer: "/body/filter", message: "unclosed quote" },
      { pointer: "/body/secret", message: "is required" },
      { pointer: "/body", message: "must be an object" },
    ]);
    expect(grouped.get("filter")?.map((p) => p.message)).toEqual(["unknown field", "unclosed quote"]);
    expect(grouped.get("token")).toHaveLength(1);
    expect(grouped.get("")).toEqual([{ pointer: "/body", message: "must be an object" }]);
  });
});
