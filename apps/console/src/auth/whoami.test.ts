import { describe, expect, it } from "vitest";
import { toIdentity, UnusableCredentialError } from "./whoami.js";

describe("who the console acts as", () => {
  it("is nobody for a missing, unknown or revoked credential", () => {
    expect(toIdentity({ authenticated: false })).toBeUndefined();
  });

  it("names an API key by its name and id, with its role and tenant", () => {
    const identity = toIdentity({
      authenticated: true,
      via: "api_key",
      role: "auditor",
      tenant: "demo",
      id: "key_1",
      name: "nightly-export",
    });
    expect(identity).toEqual({
      mode: "api-key",
      user: { username: "key_1", display_name: "nightly-export", role: "auditor", tenant: "demo" },
    });
  });

  it("carries a session's CSRF token", () => {
    const identity = toIdentity({
      authenticated: true,
      via: "session",
      role: "viewer",
      tenant: "demo",
      id: "victor",
      name: "Victor",
      csrf_token: "csrf_1",
    });
    expect(identity).toEqual({
      mode: "cookie",
      user: { username: "victor", display_name: "Victor", role: "viewer", tenant: "demo" },
      csrfToken: "csrf_1",
    });
  });

  it("refuses credentials the console cannot act with, saying why", () => {
    const refused = [
      { authenticated: true, via: "api_key", role: "ingest", tenant: "demo", id: "key_2" },
      { authenticated: true, via: "api_key", role: "operator", tenant: null, id: "key_3" },
      { authenticated: true, via: "viewer_token", role: "viewer", tenant: "demo", id: "cust_7" },
      { authenticated: true, via: "session", role: "admin", tenant: "demo", id: "ada" },
    ] as const;
    for (const answer of refused) expect(() => toIdentity(answer), answer.id).toThrow(UnusableCredentialError);
    expect(() => toIdentity(refused[0])).toThrow(/ingest/);
    expect(() => toIdentity(refused[2])).toThrow(/embed/);
  });
});
