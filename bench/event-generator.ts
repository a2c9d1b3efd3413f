// Benchmark events: the server's simulator mix (sampleEvents) padded to about
// 1 KB the way platforms fill events (a message, W3C trace context, client and
// request metadata), generated in deterministic chunks so 10M never sit in memory.
import { createHash } from "node:crypto";
import { sampleEvents } from "@trailproof/server";

export type BenchEvent = Record<string, unknown> & {
  id: string;
  action: string;
  occurred_at: string;
  actor: { type: string; id: string; name?: string };
  target: { type: string; id: string };
  message: string;
  tags: string[];
  context: Record<string, string>;
  automation?: Record<string, string>;
  outcome?: { status: string };
};

export interface GeneratorOptions {
  seed: number;
  /** Events per chunk; a multiple of 18 keeps the simulator's mix (and its workflow runs) whole. */
  chunkSize: number;
  /** First occurred_at. */
  startMs: number;
  /** Mean time between events (the simulator's default is 2.5 s). */
  meanGapMs: number;
  /** Prefix of every event id, so separate phases never collide. */
  idPrefix: string;
}

export const DEFAULT_GENERATOR: GeneratorOptions = {
  seed: 7,
  chunkSize: 54_000,
  startMs: Date.UTC(2026, 0, 5),
  meanGapMs: 2500,
  idPrefix: "b",
};

/** `total` events in chunks of at most options.chunkSize, the same for every call with the same options. */
export function* eventChunks(total: number, options: Partial<GeneratorOptions> = {}): Generator<BenchEvent[]> {
  const o = { ...DEFAULT_GENERATOR, ...options };
  let startMs = o.startMs;
  for (let chunk = 0, done = 0; done < total; chunk++) {
    const n = Math.min(o.chunkSize, total - done);
    const prefix = `${o.idPrefix}${chunk}`;
    const events = sampleEvents(n, { seed: o.seed + chunk, idPrefix: prefix, startMs, meanGapMs: o.meanGapMs }).map(
      (e) => pad(e as BenchEvent, prefix),
    );
    startMs = Date.parse((events[events.length - 1] as BenchEvent).occurred_at);
    done += n;
    yield events;
  }
}

/** Average JSON size in bytes of a sample of the generated events. */
export function averageEventBytes(sample = 6000): number {
  const [events = []] = eventChunks(sample, { chunkSize: sample });
  return Math.round(events.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0) / events.length);
}

const FLAGS = ["new-editor", "ai-assist", "bulk-actions", "audit-export", "dark-mode", "granular-roles"];
const METHOD: Record<string, string> = {
  "app.page.update": "PATCH",
  "record.update": "PUT",
  "workflow.run.start": "POST",
  "workflow.run.finish": "POST",
  "policy.evaluate": "POST",
  "user.login": "POST",
  "component.wire": "POST",
};

/** The simulator's event with the fields a real platform adds; ids scoped to the chunk. */
function pad(e: BenchEvent, prefix: string): BenchEvent {
  const digest = createHash("sha256").update(e.id).digest();
  const hex = digest.toString("hex");
  const n = digest.readUInt32BE(0);
  const context = e.context;
  context.session_id = `${prefix}_${context.session_id}`;
  context.request_id = `${prefix}_${context.request_id}`;
  context.trace_id = hex.slice(0, 32);
  context.span_id = hex.slice(32, 48);
  if (e.automation?.run_id) e.automation.run_id = `${prefix}_${e.automation.run_id}`;
  e.message ??= messageOf(e);
  e.metadata = {
    ...(e.metadata as Record<string, unknown> | undefined),
    client: {
      sdk: "trailproof-node",
      sdk_version: "0.9.3",
      platform_version: `2026.${(n % 12) + 1}.${n % 7}`,
      feature_flags: FLAGS.filter((_, k) => (n >> k) & 1),
    },
    request: {
      method: METHOD[e.action] ?? "POST",
      status: e.outcome?.status === "denied" ? 403 : 200,
      duration_ms: n % 250,
    },
  };
  return e;
}

/** A human-readable line as platforms send it; free-text search reads these words. */
function messageOf(e: BenchEvent): string {
  const who = e.actor.name?.split(" ")[0] ?? e.actor.id;
  switch (e.action) {
    case "record.update":
      return `Workflow ${e.actor.id} updated record ${e.target.id} from lead to customer`;
    case "workflow.run.start":
      return `Scheduled run ${e.automation?.run_id} of ${e.target.id} started`;
    case "workflow.run.finish":
      return `Run ${e.automation?.run_id} of ${e.target.id} finished: ${e.outcome?.status ?? "success"}`;
    case "policy.evaluate":
      return `Deploy review policy evaluated for ${e.target.id}: ${e.outcome?.status ?? "success"}`;
    case "user.login":
      return `${who} signed in with password and TOTP: ${e.outcome?.status ?? "success"}`;
    case "component.wire":
      return `${who} wired ${e.target.id} onClick to workflow wf_sync_contacts`;
    default:
      return `${who} changed ${e.target.id}`;
  }
}
