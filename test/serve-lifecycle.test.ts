// `trailproof serve` from start to stop as an operator lives it: a real child
// process on a real data directory and a real port. A start that cannot listen
// creates nothing, so the keys are printed by the start that can; a restart
// names the command for a new key; Ctrl-C says up to where the log is signed.

import { existsSync, mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sampleEvents } from "@trailproof/server";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { trailproof } from "./run-cli.js";
import { field, serve, stop } from "./serve-process.js";

async function get(url: string, key: string): Promise<number> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  await res.body?.cancel();
  return res.status;
}

describe("trailproof serve", () => {
  it("refuses a taken port in one line, creating no key, so the next start prints them", async () => {
    const data = join(mkdtempSync(join(tmpdir(), "trailproof-serve-")), "data");
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const failed = await trailproof(["serve", "--data", data, "--port", String(port)]);
      expect(failed.code, failed.stderr).toBe(2);
      // The first start generated <data>/master.key and said so loudly (its "!!!" notice); the error is one line.
      expect(failed.stderr).toContain("!!! Trailproof generated a master key");
      const error = failed.stderr
        .split("\n")
        .filter((line) => line !== "" && !line.startsWith("!!!"))
        .join("\n");
      expect(error.split("\n")).toHaveLength(1);
      expect(error).toMatch(
        new RegExp(
          `^error LISTEN_FAILED: cannot listen on 127\\.0\\.0\\.1:${port} \\(the port is in use, EADDRINUSE\\)`,
        ),
      );
      expect(failed.stderr).toContain("--port");
      expect(failed.stdout).toBe("");
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
    // Nothing was issued: no tenant and no key.
    if (existsSync(join(data, "trailproof.db"))) {
      const db = new Database(join(data, "trailproof.db"), { readonly: true });
      expect(db.prepare("SELECT count(*) AS n FROM api_keys").get()).toEqual({ n: 0 });
      db.close();
    }

    const next = await serve(["--data", data]);
    const operatorKey = field(next.lines, /^operator key \(shown once, keep it safe\): (tpk_\S+)$/);
    expect(await get(`${next.url}/v1/tenants`, operatorKey)).toBe(200);
    expect(await stop(next)).toBe(0);
  }, 60_000);

  it("names, on a restart, the command that issues a new key, and that key works", async () => {
    const data = join(mkdtempSync(join(tmpdir(), "trailproof-serve-")), "data");
    const first = await serve(["--data", data]);
    const lostKey = field(first.lines, /^operator key \(shown once, keep it safe\): (tpk_\S+)$/);
    expect(await stop(first)).toBe(0);

    const again = await serve(["--data", data]);
    expect(again.lines.some((l) => l.startsWith("operator key"))).toBe(false);
    const command = field(again.lines, /^keys are shown once, at first start; a new one: trailproof (.+) \(or /);
    expect(command).toBe(`key create --data ${data} --role operator`);
    // Run while the service is up, as an operator who lost the key would.
    const made = await trailproof([...command.split(" "), "--json"]);
    expect(made.code, made.stderr).toBe(0);
    const issued = JSON.parse(made.stdout) as { key: string; role: string; tenant: null };
    expect(issued).toMatchObject({ role: "operator", tenant: null });
    expect(issued.key).not.toBe(lostKey);
    expect(await get(`${again.url}/v1/tenants`, issued.key)).toBe(200);
    expect(await stop(again, "SIGTERM")).toBe(0);
  }, 60_000);

  it("says on Ctrl-C that the final checkpoint was signed, at the log's tree size", async () => {
    const data = join(mkdtempSync(join(tmpdir(), "trailproof-serve-")), "data");
    const s = await serve(["--data", data]);
    const operatorKey = field(s.lines, /^operator key \(shown once, keep it safe\): (tpk_\S+)$/);
    const post = async (path: string, key: string, body: unknown) => {
      const res = await fetch(`${s.url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(res.status, path).toBeLessThan(300);
      return (await res.json()) as Record<string, string>;
    };
    const { admin_key } = await post("/v1/tenants", operatorKey, { name: "acme" });
    const { key: ingestKey } = await post("/v1/keys", admin_key as string, { role: "ingest", name: "t" });
    const appended = await post("/v1/events", ingestKey as string, {
      events: sampleEvents(3, { idPrefix: "evt_stop" }),
    });
    expect(JSON.stringify(appended)).not.toContain("rejected");

    expect(await stop(s)).toBe(0);
    const last = s.lines.at(-1) as string;
    const size = Number(/^Trailproof stopped: final checkpoint signed for acme at tree size (\d+)$/.exec(last)?.[1]);
    expect(size, s.lines.join("\n")).toBeGreaterThanOrEqual(4);
    // The line is the store's truth: the latest checkpoint covers the whole log.
    const db = new Database(join(data, "tenants", "acme.db"), { readonly: true });
    const signed = db.prepare("SELECT max(tree_size) AS n FROM checkpoints").get() as { n: number };
    const entries = db.prepare("SELECT count(*) AS n FROM entries").get() as { n: number };
    db.close();
    expect(signed.n).toBe(size);
    expect(entries.n).toBe(size);
  }, 60_000);
});
