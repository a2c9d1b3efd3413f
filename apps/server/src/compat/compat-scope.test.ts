// Compat bodies: inflated per Content-Encoding, bounded after inflating (a
// gzip bomb is refused, not expanded), and refused clearly when the coding
// is unknown or the bytes are not what they claim.
import { deflateSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { tenantNameFor } from "./choose-tenant.js";
import { inflateBody } from "./compat-scope.js";

const text = '[{"decision_id":"4ca636c1"}\n]';

describe("inflateBody", () => {
  it("passes identity bodies through and inflates gzip, x-gzip and deflate", async () => {
    const raw = Buffer.from(text);
    expect((await inflateBody(undefined, raw, 1024)).toString()).toBe(text);
    expect((await inflateBody("identity", raw, 1024)).toString()).toBe(text);
    expect((await inflateBody("gzip", gzipSync(raw), 1024)).toString()).toBe(text);
    expect((await inflateBody(" GZIP ", gzipSync(raw), 1024)).toString()).toBe(text);
    expect((await inflateBody("x-gzip", gzipSync(raw), 1024)).toString()).toBe(text);
    expect((await inflateBody("deflate", deflateSync(raw), 1024)).toString()).toBe(text);
  });

  it("refuses a body that inflates past the limit with REQUEST_TOO_LARGE", async () => {
    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(64 * 1024);
    await expect(inflateBody("gzip", bomb, 1024 * 1024)).rejects.toMatchObject({ code: "REQUEST_TOO_LARGE" });
  });

  it("refuses bytes that are not gzip, and codings it does not know", async () => {
    await expect(inflateBody("gzip", Buffer.from(text), 1024)).rejects.toMatchObject({ code: "REQUEST_INVALID" });
    await expect(inflateBody("br", Buffer.from(text), 1024)).rejects.toMatchObject({
      code: "REQUEST_UNSUPPORTED_MEDIA_TYPE",
    });
  });
});

describe("tenantNameFor", () => {
  it("reads external tenant ids as tenant names", () => {
    expect(tenantNameFor("acme")).toBe("acme");
    expect(tenantNameFor("org_01HXYZ")).toBe("org-01hxyz");
    expect(tenantNameFor("team.billing")).toBe("team-billing");
  });

  it("names no tenant for what is still not a tenant name", () => {
    expect(tenantNameFor("")).toBeUndefined();
    expect(tenantNameFor("-acme")).toBeUndefined();
    expect(tenantNameFor("acme corp")).toBeUndefined();
    expect(tenantNameFor("a".repeat(64))).toBeUndefined();
    expect(tenantNameFor("ünïcode")).toBeUndefined();
  });
});
