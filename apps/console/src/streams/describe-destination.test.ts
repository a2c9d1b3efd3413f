// Destinations as the stream pages show them: never a credential or a webhook's path.
import { describe, expect, it } from "vitest";
import { describeDestination } from "./describe-destination.js";

describe("describeDestination", () => {
  it("shows a webhook's origin only", () => {
    expect(describeDestination({ type: "webhook", url: "https://hooks.example:8443/T0/B0/secretpath?k=v" })).toEqual({
      type: "webhook",
      where: "https://hooks.example:8443",
    });
  });

  it("shows NATS servers without credentials, and the subject", () => {
    const d = describeDestination({
      type: "nats",
      servers: ["nats://u:p@a:4222", "nats://b:4222"],
      subject: "audit.x",
    });
    expect(d.where).toBe("nats://a:4222, nats://b:4222 → audit.x");
    expect(d.where).not.toContain("u:p");
  });

  it("shows syslog's transport, host and port, never the CA", () => {
    expect(describeDestination({ type: "syslog", host: "siem", port: 6514, tls: true, ca_pem: "PEM" })).toEqual({
      type: "syslog (TLS)",
      where: "siem:6514",
    });
  });
});
