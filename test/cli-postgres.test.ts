// `trailproof serve --database` as operators run it: real processes on a real
// PostgreSQL database. Two nodes started at once create the operator key and
// demo tenant once; events accepted over HTTP by either node verify with
// `trailproof verify --database`; bad store options exit 2 with one line.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { sampleEvents } from "@trailproof/server";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "../packages/ledger/src/store/postgres/postgres-test-database.fixture.js";
import { ROOT, TRAILPROOF_BIN, trailproof } from "./run-cli.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

interface Node {
  url: string;
  /** Every line the node printed up to just after its listening line. */
  lines: string[];
  stop(): Promise<number | null>;
}

const quiet = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TRAILPROOF_")));

/** Starts `trailproof serve ...args` and resolves once it listens. */
async function serve(args: readonly string[]): Promise<Node> {
  const proc: ChildProcess = spawn(process.execPath, [TRAILPROOF_BIN, "serve", "--port", "0", ...args], {
    cwd: ROOT,
    env: { ...quiet, TRAILPROOF_LOG_LEVEL: "silent", TRAILPROOF_CHECKPOINT_INTERVAL_MS: "100" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  let stderr = "";
  proc.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const stop = async () => {
    if (proc.exitCode === null) proc.kill("SIGTERM");
    return exited;
  };
  cleanup.push(async () => void (await stop()));
  const lines: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      lines.push(line);
      const listening = /^Trailproof listening on (\S+)/.exec(line)?.[1];
      if (listening) resolve(listening);
    });
    void exited.then(() => reject(new Error(`serve exited before listening: ${stderr}`)));
  });
  // The key lines follow the listening line in the same burst.
  await new Promise((r) => setTimeout(r, 300));
  return { url, lines, stop };
}

async function call(
  url: string,
  key: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const keyLine = (lines: readonly string[], label: RegExp) =>
  lines.map((l) => label.exec(l)?.[1]).find((k) => k !== undefined);

describe("trailproof serve --database", () => {
  it("runs two nodes on one database: first start happens once, both accept events, verify --database passes", async () => {
    const db = await createTestDatabase();
    cleanup.push(db.drop);
    const keyFile = join(mkdtempSync(join(tmpdir(), "trailproof-cli-pg-")), "master.key");
    const created = await trailproof(["master-key", "create", keyFile]);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`wrote a new master key to ${keyFile}`);
    expect(created.stdout).toContain("every node of the database needs this same file");
    const again = await trailproof(["master-key", "create", keyFile]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`error MASTER_KEY_EXISTS: ${keyFile} exists: a master key is never overwritten\n`);

    const args = ["--database", db.appUrl, "--master-key-file", keyFile, "--migrate-database", db.ownerUrl];
    const nodes = await Promise.all([serve(args), serve(args)]);
    for (const node of nodes) {
      expect(node.lines[0]).toContain(`(database: ${db.appUrl}; API reference:`);
      expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
    }
    // Exactly one node found the database empty, and only it printed keys.
    const operatorKeys = nodes.map((n) => keyLine(n.lines, /^operator key \(shown once, keep it safe\): (\S+)/));
    const demoKeys = nodes.map((n) => keyLine(n.lines, /^demo tenant admin key \(shown once\): (\S+)/));
    expect(operatorKeys.filter(Boolean)).toHaveLength(1);
    expect(demoKeys.filter(Boolean)).toHaveLength(1);
    expect(operatorKeys.indexOf(operatorKeys.find(Boolean))).toBe(demoKeys.indexOf(demoKeys.find(Boolean)));
    const operatorKey = operatorKeys.find(Boolean) as string;

    const [a, b] = nodes as [Node, Node];
    const tenant = await call(`${b.url}/v1/tenants`, operatorKey, { name: "pg" });
    expect(tenant.status).toBe(201);
    const ingest = await call(`${a.url}/v1/keys`, tenant.json.admin_key as string, { role: "ingest", name: "cli pg" });
    expect(ingest.status).toBe(201);
    const events = sampleEvents(30, { idPrefix: "evt_pg" });
    for (const [i, node] of [a, b].entries()) {
      const sent = await call(`${node.url}/v1/events`, ingest.json.key as string, {
        events: events.slice(i * 15, i * 15 + 15),
      });
      expect(sent.status).toBe(200);
      expect((sent.json.results as { status: string }[]).every((r) => r.status === "created")).toBe(true);
    }
    // The node that created nothing named the command for a new operator key; it works on the database.
    const other = nodes[operatorKeys.indexOf(undefined)] as Node;
    const hint = keyLine(other.lines, /^keys are shown once, at first start; a new one: trailproof (.+) \(or /);
    expect(hint).toBe(`key create --database '${db.appUrl}' --master-key-file ${keyFile} --role operator`);
    const made = await trailproof([
      "key",
      "create",
      "--database",
      db.appUrl,
      "--master-key-file",
      keyFile,
      "--role",
      "operator",
      "--json",
    ]);
    expect(made.code, made.stderr).toBe(0);
    const newOperatorKey = (JSON.parse(made.stdout) as { key: string }).key;
    expect((await call(`${a.url}/v1/tenants`, newOperatorKey)).status).toBe(200);

    for (const node of nodes) expect(await node.stop()).toBe(0);

    const verified = await trailproof(["verify", "--json"], {
      TRAILPROOF_DATABASE_URL: db.appUrl,
      TRAILPROOF_MASTER_KEY_FILE: keyFile,
    });
    expect(verified.stderr).not.toContain("error");
    expect(verified.code).toBe(0);
    const reports = JSON.parse(verified.stdout) as { tenant: string; treeSize: number; ok: boolean }[];
    expect(reports.map((r) => r.tenant).sort()).toEqual(["demo", "pg"]);
    expect(reports.every((r) => r.ok)).toBe(true);
    // The tenant's creation and its key's, then the 30 events.
    expect(reports.find((r) => r.tenant === "pg")?.treeSize).toBeGreaterThanOrEqual(30);
  }, 120_000);

  it.each([
    [
      ["serve", "--data", "./x", "--database", "postgres://u@127.0.0.1/d"],
      {},
      "CONFIG_INVALID: --data and --database name two different stores: give one",
    ],
    [
      ["verify", "--data", "./x", "--database", "postgres://u@127.0.0.1/d"],
      {},
      "CONFIG_INVALID: --data and --database name two different stores: give one",
    ],
    [
      ["tenant", "list", "--database", "mysql://u:secret@h/d"],
      {},
      'CONFIG_INVALID: --database must be a postgres:// URL, not "mysql://u:***@h/d"',
    ],
    [
      ["serve"],
      { TRAILPROOF_DATABASE_URL: "postgres://u@127.0.0.1/d", TRAILPROOF_DATABASE_POOL_SIZE: "0" },
      'CONFIG_INVALID: TRAILPROOF_DATABASE_POOL_SIZE must be a positive integer, not "0"',
    ],
    [
      ["serve"],
      { TRAILPROOF_DATABASE_URL: "http://h/d" },
      'CONFIG_INVALID: TRAILPROOF_DATABASE_URL must be a postgres:// URL, not "http://h/d"',
    ],
    [["tenant", "list", "--database", "postgres://u@127.0.0.1/d"], {}, "MASTER_KEY_INVALID: PostgreSQL keeps"],
    [
      ["tenant", "list", "--database", "postgres://u@127.0.0.1:1/d", "--master-key-file", "package.json"],
      {},
      "MASTER_KEY_INVALID: master key file package.json",
    ],
  ] as const)("refuses %j with exit 2 and one line", async (args, env, message) => {
    const out = await trailproof(args, env);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`error ${message}`);
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
    expect(out.stderr).not.toContain("secret");
  });

  it("says in one line when the database cannot be reached", async () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), "trailproof-cli-pg-")), "master.key");
    expect((await trailproof(["master-key", "create", keyFile])).code).toBe(0);
    const out = await trailproof([
      "tenant",
      "list",
      "--database",
      "postgres://u:secret@127.0.0.1:1/d",
      "--master-key-file",
      keyFile,
    ]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(
      /^error DATABASE_UNAVAILABLE: cannot use postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/d: .*ECONNREFUSED/,
    );
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
  });
});
