// The integration snippets of docs/sdk.md, run as written: each file below
// must appear verbatim in the doc, and each app, driven over HTTP, must put
// attributed before/after changes into the real service's log.
import { mkdtempSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TrailproofClient } from "@trailproof/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SdkServer, searchIds, startSdkServer } from "./sdk-server.js";

const root = join(import.meta.dirname, "../..");
const doc = readFileSync(join(root, "docs/sdk.md"), "utf8");
const TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

let s: SdkServer;
beforeAll(async () => {
  s = await startSdkServer("snippets");
}, 30_000);
afterAll(async () => {
  await s?.stop();
});

async function load(file: string): Promise<{ audit: TrailproofClient; app: unknown }> {
  process.env.TRAILPROOF_URL = s.url;
  process.env.TRAILPROOF_INGEST_KEY = s.ingestKey;
  process.env.TRAILPROOF_SPOOL_DIR = mkdtempSync(join(tmpdir(), "trailproof-snippet-"));
  return import(`./snippets/${file}`);
}

async function drive(base: string, page: string): Promise<void> {
  for (const layout of ["grid", "stack"]) {
    const res = await fetch(`${base}/pages/${page}`, {
      method: "PUT",
      headers: {
        "content-type": "application/json",
        "x-user-id": "usr_ada",
        "x-forwarded-for": "203.0.113.9",
        traceparent: TRACEPARENT,
      },
      body: JSON.stringify({ layout }),
    });
    expect(res.status).toBe(204);
  }
}

async function expectRecorded(page: string): Promise<void> {
  const ids = await searchIds(s, `target_id=${page}&order=asc`);
  expect(ids).toHaveLength(2);
  const second = await s.get(`/v1/events/${ids[1]}`, s.auditorKey);
  expect(second.body.event).toMatchObject({
    action: "app.page.update",
    actor: { type: "user", id: "usr_ada" },
    context: { ip: "203.0.113.9", trace_id: "0af7651916cd43dd8448eb211c80319c", span_id: "b7ad6b7169203331" },
    change: {
      before: { layout: "grid" },
      after: { layout: "stack" },
      patch: [{ op: "replace", path: "/layout", value: "stack" }],
    },
  });
}

describe("docs/sdk.md integration snippets", () => {
  it.each(["express-app.ts", "fastify-app.ts"])("shows %s verbatim", (file) => {
    const code = readFileSync(join(import.meta.dirname, "snippets", file), "utf8");
    expect(doc).toContain(`\`\`\`ts\n${code}\`\`\``);
  });

  it("the Express snippet records who changed a page, from where, before and after", async () => {
    const { audit, app } = await load("express-app.ts");
    const listener = (app as import("express").Express).listen(0, "127.0.0.1");
    await new Promise((r) => listener.once("listening", r));
    try {
      await drive(`http://127.0.0.1:${(listener.address() as AddressInfo).port}`, "page_express");
      await audit.flush();
      await expectRecorded("page_express");
    } finally {
      listener.close();
      await audit.close();
    }
  });

  it("the Fastify snippet does the same", async () => {
    const { app } = await load("fastify-app.ts");
    const fastify = app as import("fastify").FastifyInstance;
    await fastify.listen({ port: 0, host: "127.0.0.1" });
    await drive(`http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`, "page_fastify");
    // The snippet's onClose hook closes the client, which flushes.
    await fastify.close();
    await expectRecorded("page_fastify");
  });
});
