import {
  ActionRegistry,
  builtinCatalogue,
  computePatch,
  type JsonObject,
  portableHasher,
  prepareEvent,
  stateHash,
} from "@trailproof/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dropSecrets } from "./drop-secrets.js";
import { events } from "./event-builders.js";
import { type IngestServer, startIngestServer } from "./ingest-server.fixture.js";
import { TrailproofClient } from "./trailproof-client.js";

const registry = new ActionRegistry(builtinCatalogue);
let server: IngestServer;
let client: TrailproofClient;
beforeEach(async () => {
  server = await startIngestServer();
  client = new TrailproofClient({ url: server.url, apiKey: "tpk_test", flushIntervalMs: 10 });
});
afterEach(async () => {
  await client.close();
  await server.close();
});

/** What the service would mask in `event`: nothing, when the client dropped every secret first. */
function serviceMasks(event: unknown): unknown {
  const prepared = prepareEvent(event, {
    registry,
    unknownActions: "reject",
    receivedAt: new Date(),
    newId: () => "unused",
    hasher: portableHasher,
    randomBytes: (n) => new Uint8Array(n),
    appendedBy: { type: "api_key", id: "0000000000000001" },
  });
  return (prepared.committed.privacy as { masked: string[] }).masked;
}

const admin = { type: "user" as const, id: "usr_root" };
const SECRET_WORDS = ["hunter2", "sk_live_1", "sk_live_2", "123456", "npm_tok"];

describe("secrets never leave the process", () => {
  it("recordChange drops secret state fields, then computes patch and hashes from what is left", async () => {
    const before = { locale: "en", smtp_password: "hunter2", api_keys: { stripe: "sk_live_1" } };
    const after = { locale: "fr", smtp_password: "hunter3", api_keys: { stripe: "sk_live_2", new: "x" } };
    const r = client.recordChange({
      action: "settings.update",
      actor: admin,
      target: { type: "workspace", id: "acme" },
      before,
      after,
    });
    await r;
    const wire = server.sealed.get(r.id)?.json as string;
    for (const word of [...SECRET_WORDS, "hunter3"]) expect(wire).not.toContain(word);
    const event = JSON.parse(wire) as { change: JsonObject };
    expect(event.change.before).toEqual({ locale: "en", api_keys: {} });
    expect(event.change.after).toEqual({ locale: "fr", api_keys: {} });
    expect(event.change.patch).toEqual(computePatch({ api_keys: {}, locale: "en" }, { api_keys: {}, locale: "fr" }));
    expect(event.change.after_hash).toBe(stateHash(portableHasher, { api_keys: {}, locale: "fr" }));
    expect(serviceMasks(event)).toEqual([]);
  });

  it("record drops secret metadata and keeps a given patch consistent", async () => {
    const login = client.record(
      events.userLoggedIn({
        actor: admin,
        target: { type: "workspace", id: "acme" },
        metadata: { method: "password", password: "hunter2", otp: "123456" },
      }),
    );
    const install = client.record(
      events.packageInstalled({
        actor: admin,
        target: { type: "package", id: "pkg_charts" },
        metadata: { package_name: "charts", registry_token: "npm_tok" },
      }),
    );
    const before = { name: "Ada", password: "hunter2" };
    const after = { name: "Ada", password: "sk_live_1" };
    const update = client.record({
      ...events.recordUpdated({ actor: admin, target: { type: "record", id: "rec_1" } }),
      change: { before, after, patch: [{ op: "replace", path: "/password", value: "sk_live_1" }] },
    });
    await Promise.all([login, install, update]);
    for (const p of [login, install, update]) {
      const wire = server.sealed.get(p.id)?.json as string;
      for (const word of SECRET_WORDS) expect(wire).not.toContain(word);
      expect(serviceMasks(JSON.parse(wire))).toEqual([]);
    }
    const sent = JSON.parse(server.sealed.get(update.id)?.json as string) as { change: JsonObject };
    expect(sent.change).toEqual({ before: { name: "Ada" }, after: { name: "Ada" }, patch: [] });
  });

  it("dropSecrets matches what the service's masking removes, pointer for pointer", () => {
    const event: JsonObject = {
      action: "integration.connect",
      metadata: { provider: "hubspot", api_key: "k", client_secret: "s", nested: { access_token: "t" } },
    };
    const dropped = dropSecrets(event, registry.resolve("integration.connect")?.privacy);
    expect(dropped).toEqual(["/metadata/api_key", "/metadata/client_secret"]);
    expect(event.metadata).toEqual({ provider: "hubspot", nested: { access_token: "t" } });
  });
});
