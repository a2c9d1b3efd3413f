// The SIGKILL loop: the real service ingests from several clients at once
// (batches and single events, two tenants) and is killed with SIGKILL at a
// seeded random moment; with the service down, `trailproof verify --data`
// must pass on what the crash left; the service must start again on the same
// directory; and every event acknowledged before the kill must read back
// through GET /v1/events/{id} at the index its receipt named. The in-process
// counterpart (the ledger killed mid-commit) is test/crash-durability.test.ts.
import { mkdtempSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seededRandom } from "@trailproof/core";
import { sampleEvents } from "@trailproof/server";
import { httpCall } from "../../bench/http-load.js";
import { type ServiceProcess, startService } from "./service-process.js";
import { verifyDataDir } from "./verify-data-dir.js";
import { expectJson, fetchSend } from "./world.js";

export interface KillLoopOptions {
  kills: number;
  seed: number;
  /** Ingest runs this long at most before the kill (the kill comes at a random moment within it). */
  maxIngestMs?: number;
  keep?: boolean;
  progress?: (line: string) => void;
}

export interface KillRound {
  round: number;
  /** After the round's first acknowledgement. */
  killAfterMs: number;
  acknowledged: number;
  /** Requests sent and not yet answered when the kill came. */
  inFlight: number;
  verifyOk: boolean;
  verifySeconds: number;
  restartSeconds: number;
  /** Acknowledged events of this round, and earlier ones sampled again, read back. */
  readBack: number;
}

export interface KillLoopSummary {
  seed: number;
  kills: number;
  rounds: KillRound[];
  acknowledged: number;
  /** Acknowledged ids that GET /v1/events/{id} did not find, or found at another index or with other content. */
  lost: string[];
  mismatched: string[];
  /** Problems that are not about one event: a failed verify, a refused restart. */
  problems: string[];
  /** Every acknowledged id read back once more after the last restart. */
  finalReadBack: number;
  finalVerifyOk: boolean;
  entries: number;
  seconds: number;
  dataDir: string;
}

interface Acked {
  tenant: string;
  id: string;
  index: number;
  action: string;
  actorId: string;
}

const TENANTS = ["acme", "globex"] as const;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
const BATCH_CLIENTS = 3;
const SINGLE_CLIENTS = 3;

interface Keys {
  ingest: Record<string, string>;
  /** Reads back with ids as sent: a viewer would see people's ids as pseudonyms. */
  auditor: Record<string, string>;
}

async function provision(service: ServiceProcess): Promise<Keys> {
  const send = fetchSend(service.url);
  const keys: Keys = { ingest: {}, auditor: {} };
  for (const tenant of TENANTS) {
    const made = await expectJson<{ admin_key: string }>(
      send,
      { method: "POST", path: "/v1/tenants", key: service.operatorKey as string, body: { name: tenant } },
      201,
    );
    for (const role of ["ingest", "auditor"] as const) {
      const created = await expectJson<{ key: string }>(
        send,
        { method: "POST", path: "/v1/keys", key: made.admin_key, body: { role, name: `kill loop ${role}` } },
        201,
      );
      keys[role][tenant] = created.key;
    }
  }
  return keys;
}

/**
 * Clients posting events until `stop` resolves; each acknowledged event is
 * recorded the moment its 200 arrives. Returns the requests still unanswered
 * when `stop` resolved.
 */
async function ingestUntil(
  service: ServiceProcess,
  keys: Keys,
  round: number,
  rng: () => number,
  acked: Acked[],
  stop: Promise<void>,
  onAck: () => void,
): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: BATCH_CLIENTS + SINGLE_CLIENTS });
  let stopped = false;
  let inFlight = 0;
  let inFlightAtStop = 0;
  void stop.then(() => {
    stopped = true;
    inFlightAtStop = inFlight;
  });
  const client = async (client: number, batch: () => number) => {
    for (let n = 0; !stopped; n++) {
      const tenant = TENANTS[(client + n) % TENANTS.length] as string;
      const size = batch();
      const events = sampleEvents(size, {
        seed: round * 1000 + client * 100 + n,
        idPrefix: `k${round}c${client}n${n}`,
      });
      const body = JSON.stringify(size === 1 ? events[0] : { events });
      inFlight++;
      try {
        const res = await httpCall(agent, `${service.url}/v1/events`, {
          method: "POST",
          key: keys.ingest[tenant] as string,
          body,
        });
        if (res.status !== 200) throw new Error(`POST /v1/events answered ${res.status}: ${res.body.slice(0, 300)}`);
        const { results } = JSON.parse(res.body) as { results: { id: string; status: string; index: number }[] };
        results.forEach((r, i) => {
          const sent = events[i] as { action: string; actor: { id: string } };
          if (r.status === "created") {
            acked.push({ tenant, id: r.id, index: r.index, action: sent.action, actorId: sent.actor.id });
            onAck();
          } else if (!stopped) throw new Error(`event ${r.id} was ${r.status}: ${JSON.stringify(r)}`);
        });
      } catch (err) {
        // After the kill every request fails; before it, a failure is a finding.
        if (!stopped && !service.dead) throw err;
        return;
      } finally {
        inFlight--;
      }
    }
  };
  const clients = [
    ...Array.from({ length: BATCH_CLIENTS }, (_, c) => client(c, () => 2 + Math.floor(rng() * 199))),
    ...Array.from({ length: SINGLE_CLIENTS }, (_, c) => client(BATCH_CLIENTS + c, () => 1)),
  ];
  try {
    await Promise.all(clients);
  } finally {
    agent.destroy();
  }
  return inFlightAtStop;
}

/** GET /v1/events/{id} for each, 8 at a time; returns the ids not found as acknowledged. */
async function readBack(service: ServiceProcess, keys: Keys, events: readonly Acked[]) {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const lost: string[] = [];
  const mismatched: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < events.length) {
      const e = events[next++] as Acked;
      const res = await httpCall(agent, `${service.url}/v1/events/${encodeURIComponent(e.id)}`, {
        method: "GET",
        key: keys.auditor[e.tenant] as string,
      });
      if (res.status === 404) {
        lost.push(`${e.tenant}/${e.id}`);
        continue;
      }
      if (res.status !== 200) throw new Error(`GET /v1/events/${e.id}: ${res.status} ${res.body.slice(0, 300)}`);
      const got = JSON.parse(res.body) as {
        index: number;
        event: { id: string; action: string; actor: { id: string } };
      };
      if (
        got.index !== e.index ||
        got.event.id !== e.id ||
        got.event.action !== e.action ||
        got.event.actor.id !== e.actorId
      ) {
        mismatched.push(`${e.tenant}/${e.id}: acknowledged at ${e.index}, read ${JSON.stringify(got).slice(0, 200)}`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: 8 }, worker));
  } finally {
    agent.destroy();
  }
  return { lost, mismatched };
}

export async function runKillLoop(options: KillLoopOptions): Promise<KillLoopSummary> {
  const progress = options.progress ?? (() => {});
  const maxIngestMs = options.maxIngestMs ?? 2500;
  const rng = seededRandom(options.seed ^ 0x5bd1e995);
  const dataDir = mkdtempSync(join(tmpdir(), "trailproof-kill-"));
  const t0 = performance.now();
  const acked: Acked[] = [];
  const rounds: KillRound[] = [];
  const lost: string[] = [];
  const mismatched: string[] = [];
  const problems: string[] = [];
  let service: ServiceProcess | undefined;
  let finalReadBack = 0;
  let finalVerifyOk = false;
  let entries = 0;
  try {
    service = await startService({ dataDir });
    const keys = await provision(service);
    progress(`kill loop: ${options.kills} kills, seed ${options.seed}`);
    for (let round = 1; round <= options.kills; round++) {
      const running = service;
      // Mostly anywhere in the window; sometimes right after the first requests leave.
      const killAfterMs = Math.round(rng() < 0.2 ? 20 + rng() * 150 : 200 + rng() * (maxIngestMs - 200));
      const before = acked.length;
      // The kill comes killAfterMs after the first acknowledgement: ingest is flowing by then, however
      // slowly the seal workers of a fresh process warm up on a busy machine.
      let acknowledged = false;
      let flowing = () => {};
      const firstAck = new Promise<void>((resolve) => {
        flowing = () => {
          acknowledged = true;
          resolve();
        };
      });
      const noAck = sleep(60_000).then(() => {
        if (!acknowledged) problems.push(`kill ${round}: no event was acknowledged within 60 s of the start`);
      });
      const killMoment = Promise.race([firstAck, noAck]).then(() => sleep(killAfterMs));
      // The clients learn of the kill before it happens (their handler on killMoment runs first),
      // so the failures it causes are not taken for the service's.
      const ingesting = ingestUntil(running, keys, round, rng, acked, killMoment, flowing);
      const kill = killMoment.then(() => running.kill());
      const inFlight = await ingesting;
      await kill;
      const verify = await verifyDataDir(dataDir);
      if (!verify.ok) problems.push(`after kill ${round}, verify --data failed: ${verify.problems.join("; ")}`);
      const restartStart = performance.now();
      try {
        service = await startService({ dataDir });
      } catch (err) {
        problems.push(`after kill ${round}, the service did not start again: ${String(err).slice(0, 2000)}`);
        break;
      }
      const restartSeconds = Math.round(performance.now() - restartStart) / 1000;
      // This round's acknowledgements, and a sample of earlier ones again.
      const earlier = acked.slice(0, before);
      const sample = Array.from(
        { length: Math.min(100, earlier.length) },
        () => earlier[Math.floor(rng() * earlier.length)] as Acked,
      );
      const checked = [...acked.slice(before), ...sample];
      const result = await readBack(service, keys, checked);
      lost.push(...result.lost);
      mismatched.push(...result.mismatched);
      const r: KillRound = {
        round,
        killAfterMs,
        acknowledged: acked.length - before,
        inFlight,
        verifyOk: verify.ok,
        verifySeconds: verify.seconds,
        restartSeconds,
        readBack: checked.length,
      };
      rounds.push(r);
      progress(
        `kill ${round}: after ${killAfterMs} ms, ${r.acknowledged} acknowledged, ${inFlight} in flight; verify ${verify.ok ? "OK" : "FAILED"} (${verify.seconds} s); restarted in ${restartSeconds} s; ${checked.length} read back, ${result.lost.length} lost, ${result.mismatched.length} mismatched`,
      );
    }
    if (!service.dead) {
      const result = await readBack(service, keys, acked);
      finalReadBack = acked.length;
      lost.push(...result.lost);
      mismatched.push(...result.mismatched);
      const stopped = await service.stop();
      if (stopped.code !== 0) problems.push(`the service did not stop cleanly: ${stopped.code ?? stopped.signal}`);
      const verify = await verifyDataDir(dataDir);
      finalVerifyOk = verify.ok;
      entries = verify.entries;
      if (!verify.ok) problems.push(`after the last restart, verify --data failed: ${verify.problems.join("; ")}`);
    }
    return {
      seed: options.seed,
      kills: rounds.length,
      rounds,
      acknowledged: acked.length,
      lost: [...new Set(lost)],
      mismatched: [...new Set(mismatched)],
      problems,
      finalReadBack,
      finalVerifyOk,
      entries,
      seconds: Math.round(performance.now() - t0) / 1000,
      dataDir,
    };
  } finally {
    if (service && !service.dead) await service.kill();
    if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

export function killLoopPassed(s: KillLoopSummary): boolean {
  return s.lost.length === 0 && s.mismatched.length === 0 && s.problems.length === 0 && s.finalVerifyOk;
}

export function formatKillSummary(s: KillLoopSummary): string {
  const pad = (v: string | number, n: number) => String(v).padStart(n);
  const inFlight = s.rounds.map((r) => r.inFlight);
  const after = s.rounds.map((r) => r.killAfterMs);
  return [
    `SIGKILL loop: ${s.kills} kills during concurrent ingest (seed ${s.seed}) in ${s.seconds} s`,
    `  kill moments: ${Math.min(...after)}-${Math.max(...after)} ms after the first acknowledgement; requests in flight at the kill: ${Math.min(...inFlight)}-${Math.max(...inFlight)}`,
    `  acknowledged: ${s.acknowledged} events; read back after each restart, then all ${s.finalReadBack} again at the end`,
    `  lost: ${s.lost.length}; mismatched: ${s.mismatched.length}`,
    `  verify --data after every kill: ${s.rounds.every((r) => r.verifyOk) ? "OK" : "FAILED"} (${s.rounds.filter((r) => r.verifyOk).length}/${s.rounds.length}); at the end: ${s.finalVerifyOk ? "OK" : "FAILED"} (${s.entries} entries)`,
    `  restart: ${Math.min(...s.rounds.map((r) => r.restartSeconds))}-${Math.max(...s.rounds.map((r) => r.restartSeconds))} s`,
    "  kill  after ms  acknowledged  in flight  verify s  restart s  read back",
    ...s.rounds.map(
      (r) =>
        `  ${pad(r.round, 4)}  ${pad(r.killAfterMs, 8)}  ${pad(r.acknowledged, 12)}  ${pad(r.inFlight, 9)}  ${pad(r.verifySeconds.toFixed(1), 8)}  ${pad(r.restartSeconds.toFixed(1), 9)}  ${pad(r.readBack, 9)}`,
    ),
    ...s.lost.slice(0, 10).map((id) => `  LOST ${id}`),
    ...s.mismatched.slice(0, 10).map((m) => `  MISMATCH ${m}`),
    ...s.problems.map((p) => `  PROBLEM ${p}`),
  ].join("\n");
}
