// Three `trailproof serve --database` processes behind a real HAProxy (from
// Debian's haproxy package), SDK clients posting to one tenant through it;
// the node signing checkpoints is killed with SIGKILL mid-stream, then the
// one that took over. Every acknowledged event is in the log exactly once,
// indexes are gapless, `trailproof verify --database` passes, and the
// latest checkpoint keeps advancing after each kill (the lease moves on).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { type DeliveryError, events, type Receipt, TrailproofClient } from "@trailproof/client";
import { createMasterKey, openPostgres, openPostgresStores, readMasterKey } from "@trailproof/ledger";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "../packages/ledger/src/store/postgres/postgres-test-database.fixture.js";
import { ROOT, TRAILPROOF_BIN, trailproof } from "./run-cli.js";

const HAPROXY = process.env.TRAILPROOF_TEST_HAPROXY ?? "/usr/sbin/haproxy";
const CLIENTS = 4;
/** Each client records one event per tick: about 160 events a second through the balancer. */
const TICK_MS = 25;
const LOAD_MS = 24_000;
const KILLS_AT_MS = [8_000, 16_000];
/** The publisher's interval; its lease lapses after max(5 s, 3 intervals) without renewal. */
const CHECKPOINT_INTERVAL_MS = 100;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f().catch(() => undefined);
});

interface Proc {
  name: string;
  proc: ChildProcess;
  exited: Promise<number | null>;
  /** stdout lines, and stderr for failures. */
  lines: string[];
  stderr(): string;
}

function start(name: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv): Proc {
  const proc = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  let stderr = "";
  proc.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const lines: string[] = [];
  createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on("line", (l) => lines.push(l));
  // Whatever happens to the test, no process outlives it.
  cleanup.push(async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
    await exited;
  });
  return { name, proc, exited, lines, stderr: () => stderr };
}

async function until<T>(
  what: string | (() => string),
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === "string" ? what : what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Round robin over the nodes, checked every 200 ms on /healthz (down after
 * two failures); a request whose connection fails is retried on another
 * node. One that reached a node is never retried by HAProxy: a POST such as
 * tenant creation may have been applied (retrying on an empty response
 * answered a 409 here once). The SDK retries those itself (a 502 from a
 * node killed mid-answer): event ids make its retries idempotent.
 */
function haproxyConfig(port: number, statsPort: number, nodes: readonly { name: string; port: number }[]): string {
  return `global
  maxconn 2000

defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  timeout check 1s
  retries 3
  option redispatch 1
  retry-on conn-failure

frontend trailproof
  bind 127.0.0.1:${port}
  default_backend nodes

frontend stats
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /stats

backend nodes
  balance roundrobin
  option httpchk GET /healthz
  http-check expect status 200
  default-server inter 200ms fastinter 100ms downinter 500ms fall 2 rise 2 on-marked-down shutdown-sessions
${nodes.map((n) => `  server ${n.name} 127.0.0.1:${n.port} check`).join("\n")}
`;
}

/** HAProxy's own counts for the backend and each node (its CSV stats page). */
async function haproxyStats(statsPort: number): Promise<Record<string, Record<string, string>>> {
  const csv = await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`)).text();
  const [header, ...rows] = csv.trim().split("\n");
  const columns = (header as string).replace(/^# /, "").split(",");
  const wanted = ["status", "stot", "wretr", "wredis", "econ", "eresp", "hrsp_5xx", "chkdown"];
  const out: Record<string, Record<string, string>> = {};
  for (const row of rows) {
    const cells = row.split(",");
    if (cells[0] !== "nodes") continue;
    out[cells[1] as string] = Object.fromEntries(wanted.map((w) => [w, cells[columns.indexOf(w)] ?? ""]));
  }
  return out;
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

const haveHaproxy = existsSync(HAPROXY);
const suite = haveHaproxy
  ? `three nodes behind HAProxy (${HAPROXY})`
  : `three nodes behind HAProxy: skipped, no ${HAPROXY} (apt-get install haproxy, or set TRAILPROOF_TEST_HAPROXY)`;

describe.skipIf(!haveHaproxy)(suite, () => {
  it("lose two nodes to SIGKILL mid-stream: every acknowledged event once, gapless, verified, still signed", async () => {
    const db = await createTestDatabase();
    cleanup.push(db.drop);
    const dir = mkdtempSync(join(tmpdir(), "trailproof-multi-node-"));
    const masterKeyFile = join(dir, "master.key");
    createMasterKey(masterKeyFile);

    // Three nodes at once on the (migrated) database; one of them does the first start.
    const quiet = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TRAILPROOF_")));
    const ports = [await freePort(), await freePort(), await freePort()];
    const nodes = ports.map((port, i) =>
      start(`node-${i + 1}`, process.execPath, [TRAILPROOF_BIN, "serve", "--port", String(port)], {
        ...quiet,
        TRAILPROOF_DATABASE_URL: db.appUrl,
        TRAILPROOF_MASTER_KEY_FILE: masterKeyFile,
        TRAILPROOF_NODE_ID: `node-${i + 1}`,
        TRAILPROOF_DATABASE_POOL_SIZE: "6",
        TRAILPROOF_CHECKPOINT_INTERVAL_MS: String(CHECKPOINT_INTERVAL_MS),
        TRAILPROOF_LOG_LEVEL: "silent",
        TRAILPROOF_DEMO: "false",
        // Four clients share one ingest key; the limit (counted across nodes) is not under test here.
        TRAILPROOF_RATE_LIMIT_PER_MINUTE: "1000000",
      }),
    );
    for (const node of nodes) {
      await until(
        () => `${node.name} listening (${node.stderr()})`,
        () => (node.lines.some((l) => l.startsWith("Trailproof listening on")) ? true : undefined),
      );
    }
    const operatorKey = await until("the operator key line", () =>
      nodes
        .flatMap((n) => n.lines)
        .map((l) => /^operator key \(shown once, keep it safe\): (\S+)/.exec(l)?.[1])
        .find(Boolean),
    );

    const [lbPort, statsPort] = [await freePort(), await freePort()];
    const configFile = join(dir, "haproxy.cfg");
    writeFileSync(
      configFile,
      haproxyConfig(
        lbPort,
        statsPort,
        nodes.map((n, i) => ({ name: n.name, port: ports[i] as number })),
      ),
    );
    const haproxy = start("haproxy", HAPROXY, ["-db", "-f", configFile], process.env);
    const lb = `http://127.0.0.1:${lbPort}`;
    await until(
      () => `haproxy answering (${haproxy.stderr()})`,
      async () => {
        const res = await fetch(`${lb}/healthz`).catch(() => undefined);
        return res?.status === 200 ? true : undefined;
      },
    );

    const tenant = await call(`${lb}/v1/tenants`, operatorKey, { name: "multi" });
    expect(tenant.status).toBe(201);
    const ingest = await call(`${lb}/v1/keys`, tenant.json.admin_key as string, { role: "ingest", name: "load" });
    expect(ingest.status).toBe(201);

    // The test's own view of the database, as the app role.
    const sql = openPostgres(db.appUrl, { max: 2 });
    cleanup.push(() => sql.end({ timeout: 5 }));
    const owner = openPostgres(db.ownerUrl, { max: 1 });
    cleanup.push(() => owner.end({ timeout: 5 }));
    const { log } = openPostgresStores(sql, readMasterKey(masterKeyFile));
    const tenantId = (await log.getTenant("multi"))?.tenantId as number;
    const signedSize = async () => (await log.latestCheckpoint(tenantId))?.treeSize ?? 0;
    const leaseHolder = async () =>
      (
        await sql<
          { holder: string }[]
        >`SELECT holder FROM leases WHERE name = 'checkpoint-publisher' AND expires_at > now()`
      )[0]?.holder;
    const [stats0] = await owner<{ rollbacks: number }[]>`
      SELECT xact_rollback::int AS rollbacks FROM pg_stat_database WHERE datname = current_database()`;

    const errors: DeliveryError[] = [];
    let retries = 0;
    const clients = Array.from(
      { length: CLIENTS },
      () =>
        new TrailproofClient({
          url: lb,
          apiKey: ingest.json.key as string,
          batchSize: 50,
          flushIntervalMs: 50,
          backoff: { baseMs: 50, capMs: 500 },
          requestTimeoutMs: 5_000,
          onError: (e) => errors.push(e),
          onRetry: () => {
            retries++;
          },
        }),
    );
    cleanup.push(async () => {
      for (const c of clients) await c.close().catch(() => undefined);
    });

    // Load, with the two kills on their schedule; a watcher records the signed size as it goes.
    const receipts: Promise<Receipt>[] = [];
    const signed: { atMs: number; size: number; tree: number; holder: string | undefined }[] = [];
    const began = Date.now();
    let loading = true;
    const watcher = (async () => {
      while (loading) {
        signed.push({
          atMs: Date.now() - began,
          size: await signedSize(),
          tree: await log.treeSize(tenantId),
          holder: await leaseHolder(),
        });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const kills: { node: string; atMs: number; signedAtKill: number; treeAtKill: number }[] = [];
    const alive = new Set(nodes);
    let tick = 0;
    try {
      while (Date.now() - began < LOAD_MS) {
        for (const [c, client] of clients.entries()) {
          receipts.push(
            client.record(
              events.recordUpdated({
                id: `mn_${c}_${tick}`,
                actor: { type: "user", id: `usr_${c}` },
                target: { type: "record", id: `rec_${tick % 100}` },
                tags: ["test:multi-node"],
                before: { n: tick },
                after: { n: tick + 1 },
              }),
            ),
          );
        }
        tick++;
        const due = KILLS_AT_MS[kills.length];
        if (due !== undefined && Date.now() - began >= due) {
          // The node holding the signing lease: each kill makes another node take it over.
          // After a kill the lease names the dead node until it expires (5 s), and under a
          // loaded machine that can outlast the next kill's time: wait for a live holder.
          const holder = await until("a live lease holder", async () => {
            const name = await leaseHolder();
            return [...alive].some((n) => n.name === name) ? name : undefined;
          });
          const victim = [...alive].find((n) => n.name === holder) as Proc;
          expect(victim).toBeDefined();
          victim.proc.kill("SIGKILL");
          alive.delete(victim);
          kills.push({
            node: victim.name,
            atMs: Date.now() - began,
            signedAtKill: await signedSize(),
            treeAtKill: await log.treeSize(tenantId),
          });
        }
        await new Promise((r) => setTimeout(r, TICK_MS));
      }
    } finally {
      // The watcher stops with the load, however the load ended.
      loading = false;
      await watcher.catch(() => undefined);
    }
    await watcher;

    for (const client of clients) await client.flush({ timeoutMs: 60_000 });
    const settled = await Promise.allSettled(receipts);
    // An outage is told to the caller (DELIVERY_CONNECTION_FAILED, with no
    // events: they stay spooled and are sent again); nothing is given up.
    const lost = errors.filter((e) => e.code !== "DELIVERY_CONNECTION_FAILED" || e.events.length > 0);
    expect(lost).toEqual([]);
    expect(settled.filter((s) => s.status === "rejected")).toEqual([]);
    const acknowledged = settled.map((s) => (s as PromiseFulfilledResult<Receipt>).value);
    expect(kills).toHaveLength(2);

    // Every acknowledged event once, at the index its receipt names; the log gapless.
    const treeSize = await log.treeSize(tenantId);
    const entries = [];
    for (let from = 0; from < treeSize; from += 1000) {
      entries.push(...(await log.readEntries(tenantId, from, Math.min(treeSize, from + 1000))));
    }
    expect(entries.map((e) => e.index)).toEqual(Array.from({ length: treeSize }, (_, i) => i));
    const byId = new Map<string, number[]>();
    for (const e of entries) byId.set(e.eventId, [...(byId.get(e.eventId) ?? []), e.index]);
    for (const r of acknowledged) expect(byId.get(r.id), r.id).toEqual([r.index]);
    expect(new Set(acknowledged.map((r) => r.id)).size).toBe(receipts.length);

    // The one node left signs the whole log; after each kill the signed size passed the log's size at the kill.
    await until("the survivor signing the whole log", async () =>
      (await signedSize()) === treeSize ? true : undefined,
    );
    const handovers = kills.map((k) => {
      const after = signed.find((s) => s.atMs > k.atMs && s.size > k.treeAtKill);
      const newHolder = signed.find((s) => s.atMs > k.atMs && s.holder !== undefined && s.holder !== k.node);
      return {
        ...k,
        advancedAfterMs: after && after.atMs - k.atMs,
        leaseMovedAfterMs: newHolder && newHolder.atMs - k.atMs,
      };
    });
    for (const h of handovers) {
      expect(h.advancedAfterMs, JSON.stringify(h)).toBeDefined();
      expect(h.advancedAfterMs as number).toBeLessThan(15_000);
    }
    const [stats1] = await owner<{ rollbacks: number }[]>`
      SELECT xact_rollback::int AS rollbacks FROM pg_stat_database WHERE datname = current_database()`;
    const duplicates = acknowledged.filter((r) => r.status === "duplicate").length;
    console.log(
      JSON.stringify({
        events: receipts.length,
        treeSize,
        duplicatesAcknowledged: duplicates,
        clientRetries: retries,
        rolledBackTransactions: (stats1?.rollbacks ?? 0) - (stats0?.rollbacks ?? 0),
        haproxy: await haproxyStats(statsPort),
        // About once a second (every tenth sample): the log's size / its signed size.
        timeline: signed.filter((_, i) => i % 10 === 0).map((s) => `${Math.round(s.atMs / 1000)}s ${s.tree}/${s.size}`),
        handovers,
      }),
    );

    // The survivor stops cleanly; then the command operators run checks the database.
    const survivor = [...alive][0] as Proc;
    survivor.proc.kill("SIGTERM");
    expect(await survivor.exited).toBe(0);
    const verified = await trailproof(["verify", "--json"], {
      TRAILPROOF_DATABASE_URL: db.appUrl,
      TRAILPROOF_MASTER_KEY_FILE: masterKeyFile,
    });
    expect(verified.stderr).not.toContain("error");
    expect(verified.code, verified.stdout.slice(0, 4000)).toBe(0);
    const reports = JSON.parse(verified.stdout) as { tenant: string; treeSize: number; ok: boolean }[];
    expect(reports.find((r) => r.tenant === "multi")).toMatchObject({ ok: true, treeSize });
  }, 180_000);
});
