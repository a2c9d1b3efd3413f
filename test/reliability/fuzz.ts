// The hostile-input fuzzer: cases from fuzz-case.ts, one at a time on a fresh
// connection to the real service, each judged on its own. A 5xx, no answer
// within the deadline, a dropped connection, a crash, a 4xx that is not
// problem+json, a write from a refused request, an ingest that wrote other
// than its created results, strict input accepted, a file served from outside
// its directory, or globex's data in an answer to acme fails the case; and
// after the last case the service must stop cleanly and its data directory
// verify.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildFuzzCase, type FuzzCase, type FuzzContext } from "./fuzz-case.js";
import { KNOWN_FINDINGS, type KnownFinding } from "./known-findings.js";
import { encodeRequest, type RawOutcome, sendRaw } from "./raw-http.js";
import { loadRouteTargets } from "./route-targets.js";
import { type ServiceProcess, startService } from "./service-process.js";
import { type VerifyOutcome, verifyDataDir } from "./verify-data-dir.js";
import { fetchSend, provisionWorld, type Send, treeSizes, type World } from "./world.js";

export interface FuzzOptions {
  cases: number;
  seed: number;
  /** Per request; the service's own request timeout is 30 s. */
  deadlineMs?: number;
  /** Keep the data directory (its path is in the summary). */
  keep?: boolean;
  progress?: (line: string) => void;
}

export interface FuzzFailure {
  index: number;
  kind: string;
  route: string;
  credential: string;
  labels: string[];
  status: number | null;
  detail: string;
  /** The request's first bytes, escaped. */
  request: string;
}

export interface FuzzSummary {
  seed: number;
  cases: number;
  routes: number;
  seconds: number;
  /** Answers by status ("closed" and "timeout" for none). */
  byStatus: Record<string, number>;
  /** Cases Node's HTTP server answers before any route runs, and strict-input cases. */
  nodeLevelCases: number;
  strictCases: number;
  failures: FuzzFailure[];
  /** Failures matching a finding marked expected-to-be-fixed, by finding. */
  known: { id: string; reason: string; count: number; example: FuzzFailure }[];
  /** Reproducible marked findings that never happened although their cases ran: the mark should go. */
  stale: { id: string; cases: number }[];
  /** Other marked findings not seen in this run (timing- or input-dependent). */
  unseen: { id: string; cases: number }[];
  crashed: boolean;
  stoppedCleanly: boolean;
  /** What the service logged at level error or above. */
  serviceErrors: string[];
  verify: VerifyOutcome | null;
  dataDir: string;
}

const SIGN_IN = /^POST \/v1\/auth\/(login|enroll|totp|recover)$/;
/**
 * Body framing that breaks only after Node has handed the request to its
 * route: a route that reads no body (a GET) runs, and meta-audits its read,
 * while the client gets Node's 400 for the body.
 */
const BROKEN_AFTER_DISPATCH = new Set(["framing:bad-chunk-size", "framing:no-length"]);
/**
 * Error answers that are deliberately not problem+json: /readyz's 503 is the
 * readiness report probes read ({"status":"not ready","problems":[...]}).
 * (/metrics and the console's files answer no 4xx of their own.)
 */
const NOT_PROBLEM_JSON = new Set(["GET /readyz", "HEAD /readyz"]);
/** Strings a file outside the served directories would hold. */
const OUTSIDE_FILES = [/root:x:0:0/, /"name":\s*"(trailproof-monorepo|@trailproof\/)/];
/** A stale mark is only called stale when this many of its cases ran without it. */
const STALE_AFTER_CASES = 20;

const printable = (bytes: Buffer) =>
  JSON.stringify(bytes.subarray(0, 400).toString("latin1")).slice(1, -1) + (bytes.length > 400 ? "..." : "");

/**
 * The problems with one answer, given the tree sizes before and after it, and
 * whether judging read a log (a read the service meta-audits, so the sizes
 * must be measured again).
 */
async function judge(
  ownErrorMediaTypes: ReadonlyMap<string, readonly string[]>,
  c: FuzzCase,
  outcome: RawOutcome,
  before: Map<string, number>,
  after: Map<string, number>,
  world: World,
  adminKeys: Map<string, string>,
  send: Send,
): Promise<{ problems: { kind: string; detail: string }[]; readLog: boolean }> {
  if (outcome.kind === "timeout") {
    return {
      problems: [{ kind: "hang", detail: `no answer in ${outcome.ms} ms: ${outcome.partial}` }],
      readLog: false,
    };
  }
  if (outcome.kind === "closed") {
    const detail = `the connection closed without an answer: ${JSON.stringify(outcome.partial)}`;
    return { problems: [{ kind: "dropped", detail }], readLog: false };
  }
  if (outcome.kind === "reset-while-sending") return { problems: [], readLog: false };
  let readLog = false;
  const found: { kind: string; detail: string }[] = [];
  const { status, headers, body } = outcome;
  const text = body.toString("utf8");
  if (status >= 500) found.push({ kind: "5xx", detail: `${status} ${text.slice(0, 300)}` });
  // A compat route answers in its client's convention (WorkOS's JSON, OTLP's Status) once routed;
  // what Node or the router refuses before it (a mangled target, a wrong method) is problem+json.
  // The authorization matrix pins the convention on requests that reach the route.
  const ownErrors = ownErrorMediaTypes.get(c.route) ?? [];
  const ownError = ownErrors.some((t) => (headers["content-type"] ?? "").startsWith(t));
  if (status >= 400 && !ownError && !NOT_PROBLEM_JSON.has(c.route)) {
    const type = headers["content-type"] ?? "";
    if (!type.startsWith("application/problem+json")) {
      found.push({
        kind: "not-problem-json",
        detail: `${status} with content-type ${JSON.stringify(type)}: ${text.slice(0, 200)}`,
      });
    } else if (!c.head) {
      try {
        const problem = JSON.parse(text) as { status?: unknown; code?: unknown };
        if (problem.status !== status || typeof problem.code !== "string") {
          found.push({
            kind: "not-problem-json",
            detail: `problem body disagrees with ${status}: ${text.slice(0, 200)}`,
          });
        }
      } catch {
        found.push({ kind: "not-problem-json", detail: `${status} body is not JSON: ${text.slice(0, 200)}` });
      }
    }
  }
  const grown = [...after].filter(([tenant, size]) => size !== (before.get(tenant) ?? 0));
  if (status >= 400 && grown.length > 0) {
    // A refused sign-in is recorded in the tenant's log, as user.login with outcome failure.
    const signIn = SIGN_IN.test(c.route) && status === 401;
    const dispatched = c.labels.some((l) => BROKEN_AFTER_DISPATCH.has(l));
    const expected = signIn
      ? (e: LoggedEntry) => e.action === "user.login" && e.outcome?.status === "failure"
      : dispatched
        ? (e: LoggedEntry) => e.action?.startsWith("audit.") === true
        : undefined;
    readLog = true;
    if (!(await explainedGrowth(grown, before, adminKeys, send, expected))) {
      found.push({
        kind: "write-on-reject",
        detail: `${status}, yet ${grown.map(([t, s]) => `${t} ${before.get(t) ?? 0} -> ${s}`).join(", ")}`,
      });
    }
  }
  if (c.ingest && status === 200) {
    const created = (text.match(/"status":"created"/g) ?? []).length;
    const growth = (after.get("acme") ?? 0) - (before.get("acme") ?? 0);
    const elsewhere = grown.filter(([t]) => t !== "acme");
    if (growth !== created || elsewhere.length > 0) {
      found.push({
        kind: "ingest-write-mismatch",
        detail: `${created} created, acme grew by ${growth}, others ${elsewhere}`,
      });
    }
  }
  if (c.strict && status < 400) {
    const allRejected = c.ingest && status === 200 && !/"status":"(created|duplicate)"/.test(text);
    if (!allRejected)
      found.push({ kind: "strict-accepted", detail: `${c.strict}: answered ${status} ${text.slice(0, 200)}` });
  }
  if (c.traversal && status < 300 && OUTSIDE_FILES.some((re) => re.test(text))) {
    found.push({ kind: "traversal", detail: `served a file from outside: ${text.slice(0, 200)}` });
  }
  if (status < 300 && text.includes(world.globex.marker)) {
    found.push({ kind: "leak", detail: `globex's marker in an answer to ${c.credential}` });
  }
  return { problems: found, readLog };
}

interface LoggedEntry {
  action?: string;
  outcome?: { status?: string };
  appended_by?: { type?: string; id?: string };
}

/**
 * An alert the alert follower raised: it follows committed entries behind
 * their acknowledgement, so an alert on an earlier case's write (a fuzzed
 * rule matching it) may land while a later case is answered.
 */
const raisedAlert = (e: LoggedEntry) =>
  e.action === "alert.raise" && e.appended_by?.type === "service" && e.appended_by.id === "alerts";

/**
 * True when, in every tenant that grew, each new entry is an alert the
 * follower raised, or (at most one of them) what `expected` allows.
 */
async function explainedGrowth(
  grown: [string, number][],
  before: Map<string, number>,
  adminKeys: Map<string, string>,
  send: Send,
  expected: ((entry: LoggedEntry) => boolean) | undefined,
): Promise<boolean> {
  for (const [tenant, size] of grown) {
    const key = adminKeys.get(tenant);
    const start = before.get(tenant) ?? 0;
    if (!key || size < start) return false;
    const res = await send({ method: "GET", path: `/v1/log/entries?start=${start}&end=${size}`, key });
    if (res.status !== 200) return false;
    const entries = res.text
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as LoggedEntry);
    if (entries.length !== size - start) return false;
    const others = entries.filter((e) => !raisedAlert(e));
    if (others.length > 1 || (others[0] !== undefined && !expected?.(others[0]))) return false;
  }
  return true;
}

function tally(failures: FuzzFailure[], cases: FuzzCase[], known: readonly KnownFinding[]) {
  const counted = new Map<string, { finding: KnownFinding; count: number; example: FuzzFailure }>();
  const unexplained: FuzzFailure[] = [];
  for (const f of failures) {
    const c = cases[f.index] as FuzzCase;
    const finding = known.find((k) => k.matches(c, f));
    if (!finding) {
      unexplained.push(f);
      continue;
    }
    const entry = counted.get(finding.id) ?? { finding, count: 0, example: f };
    entry.count++;
    counted.set(finding.id, entry);
  }
  const seen = known.map((k) => ({ k, cases: cases.filter((c) => k.applies(c)).length }));
  const stale = seen
    .filter(({ k, cases }) => k.reproducible && cases >= STALE_AFTER_CASES && !counted.has(k.id))
    .map(({ k, cases }) => ({ id: k.id, cases }));
  const unseen = seen
    .filter(({ k }) => !k.reproducible && !counted.has(k.id))
    .map(({ k, cases }) => ({ id: k.id, cases }));
  return {
    unexplained,
    known: [...counted.values()].map((e) => ({
      id: e.finding.id,
      reason: e.finding.reason,
      count: e.count,
      example: e.example,
    })),
    stale,
    unseen,
  };
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const progress = options.progress ?? (() => {});
  const deadlineMs = options.deadlineMs ?? 15_000;
  const targets = await loadRouteTargets();
  const dataDir = mkdtempSync(join(tmpdir(), "trailproof-fuzz-"));
  const t0 = performance.now();
  let service: ServiceProcess | undefined;
  const failures: FuzzFailure[] = [];
  const cases: FuzzCase[] = [];
  const byStatus: Record<string, number> = {};
  let stoppedCleanly = false;
  let verify: VerifyOutcome | null = null;
  try {
    service = await startService({ dataDir });
    const send = fetchSend(service.url);
    const world = await provisionWorld(send, service.operatorKey as string, {
      events: 24,
      sessions: true,
      spareSessions: 3,
    });
    const adminKeys = new Map([
      ["acme", world.acme.keys.admin],
      ["globex", world.globex.keys.admin],
    ]);
    const ctx: FuzzContext = { targets, world, host: new URL(service.url).host };
    // Routes that answer errors in their own client's convention, as the route table declares.
    const ownErrors = new Map(
      targets
        .filter((t) => !t.errorMediaTypes.includes("application/problem+json"))
        .map((t) => [t.name, t.errorMediaTypes] as const),
    );
    let sizes = await treeSizes(send, world.operator);
    let previous = "none";
    progress(`fuzz: ${targets.length} routes, ${options.cases} cases, seed ${options.seed}`);
    for (let i = 0; i < options.cases; i++) {
      const c = buildFuzzCase(options.seed, i, ctx);
      cases.push(c);
      const bytes = encodeRequest(c.request);
      const outcome = await sendRaw(service.url, bytes, { deadlineMs, head: c.head });
      const statusKey = outcome.kind === "response" ? String(outcome.status) : outcome.kind;
      byStatus[statusKey] = (byStatus[statusKey] ?? 0) + 1;
      if (service.dead) {
        failures.push({
          index: i,
          kind: "crash",
          route: c.route,
          credential: c.credential,
          labels: c.labels,
          status: null,
          detail: `the service exited: ${service.output().slice(-1500)}`,
          request: printable(bytes),
        });
        break;
      }
      if (outcome.kind === "response" && outcome.status === 201 && c.route === "POST /v1/tenants") {
        const made = JSON.parse(outcome.body.toString()) as { tenant?: string; admin_key?: string };
        if (made.tenant && made.admin_key) adminKeys.set(made.tenant, made.admin_key);
      }
      const after = await treeSizes(send, world.operator);
      const { problems, readLog } = await judge(ownErrors, c, outcome, sizes, after, world, adminKeys, send);
      for (const problem of problems) {
        failures.push({
          index: i,
          ...problem,
          detail: problem.kind === "write-on-reject" ? `${problem.detail} (after case ${previous})` : problem.detail,
          route: c.route,
          credential: c.credential,
          labels: c.labels,
          status: outcome.kind === "response" ? outcome.status : null,
          request: printable(bytes),
        });
      }
      // Judging may have read (and so meta-audited) a log: measure again.
      sizes = readLog ? await treeSizes(send, world.operator) : after;
      previous = `${i} ${c.request.method} ${c.route} as ${c.credential} [${c.labels.join(" | ")}] answered ${statusKey}`;
      if ((i + 1) % 1000 === 0) progress(`fuzz: ${i + 1} cases, ${failures.length} failures`);
    }
    const health = service.dead ? null : await send({ method: "GET", path: "/healthz" }).catch(() => null);
    const crashed = service.dead || health?.status !== 200;
    const stop = await service.stop();
    stoppedCleanly = !crashed && stop.code === 0;
    progress("fuzz: verifying the data directory");
    verify = await verifyDataDir(dataDir);
    const { unexplained, known, stale, unseen } = tally(failures, cases, KNOWN_FINDINGS);
    return {
      seed: options.seed,
      cases: cases.length,
      routes: targets.length,
      seconds: Math.round(performance.now() - t0) / 1000,
      byStatus,
      nodeLevelCases: cases.filter((c) => c.nodeLevel).length,
      strictCases: cases.filter((c) => c.strict).length,
      failures: unexplained,
      known,
      stale,
      unseen,
      crashed,
      stoppedCleanly,
      serviceErrors: service.errors(),
      verify,
      dataDir,
    };
  } finally {
    if (service && !service.dead) await service.kill();
    if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** True when the run found nothing that is not marked expected-to-be-fixed. */
export function fuzzPassed(s: FuzzSummary): boolean {
  return s.failures.length === 0 && s.stale.length === 0 && !s.crashed && s.stoppedCleanly && s.verify?.ok === true;
}

export function formatFuzzSummary(s: FuzzSummary): string {
  const lines = [
    `hostile-input fuzzer: ${s.cases} cases over ${s.routes} routes (seed ${s.seed}) in ${s.seconds} s`,
    `  answers by status: ${Object.entries(s.byStatus)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k} ${n}`)
      .join(", ")}`,
    `  cases Node answers before any route: ${s.nodeLevelCases}; strict-input cases: ${s.strictCases}`,
    `  crashed: ${s.crashed ? "YES" : "no"}; stopped cleanly: ${s.stoppedCleanly ? "yes" : "NO"}`,
    s.verify
      ? `  verify --data: ${s.verify.ok ? "OK" : "FAILED"} (${s.verify.tenants} tenants, ${s.verify.entries} entries, ${s.verify.seconds} s)${s.verify.problems.map((p) => `\n    ${p}`).join("")}`
      : "  verify --data: not run",
    `  failures: ${s.failures.length}`,
  ];
  const byKind = new Map<string, FuzzFailure[]>();
  for (const f of s.failures) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f]);
  for (const [kind, list] of byKind) {
    lines.push(`    ${kind}: ${list.length}`);
    for (const f of list.slice(0, 5)) {
      lines.push(`      case ${f.index} ${f.route} as ${f.credential} [${f.labels.join(" | ")}]`);
      lines.push(`        ${f.detail.slice(0, 400)}`);
      lines.push(`        request: ${f.request.slice(0, 300)}`);
    }
  }
  for (const k of s.known) {
    lines.push(`  expected to be fixed, ${k.id}: ${k.count} cases (${k.reason})`);
    lines.push(`    e.g. case ${k.example.index} ${k.example.kind}: ${k.example.detail.slice(0, 200)}`);
  }
  for (const u of s.unseen) lines.push(`  marked ${u.id}: not seen in this run (${u.cases} of its cases ran)`);
  for (const st of s.stale) {
    lines.push(`  STALE MARK ${st.id}: ${st.cases} of its cases ran and none failed; remove it from known-findings.ts`);
  }
  return lines.join("\n");
}
