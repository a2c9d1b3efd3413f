// Command-line options of `npm run bench`, with the quick and full presets
// resolved once. Quick (the default) takes about a minute; full measures at
// 1M events and builds a 10M log for proofs, verification and export.
import { parseArgs } from "node:util";

export const PHASES = [
  "sqlite",
  "a0",
  "postgres",
  "ledger",
  "search",
  "proofs",
  "verify",
  "http",
  "compat",
  "alerts",
  "streams",
  "export",
  "httpexport",
  "large",
  "pgstore",
  "pgnodes",
] as const;
export type Phase = (typeof PHASES)[number];

/** The PostgreSQL store's phases (npm run bench:postgres) run only when --only names them. */
const DEFAULT_PHASES = PHASES.filter((p) => p !== "pgstore" && p !== "pgnodes");

export interface BenchOptions {
  mode: "quick" | "full";
  events: number;
  /** Size of the bulk-built log for the 10M points; null: none. */
  largeEvents: number | null;
  batch: number;
  concurrency: number;
  pgBatch: number;
  pgInflight: number;
  pgUrl: string;
  /** pgnodes: how many service processes share the database, one configuration each. */
  pgNodes: number[];
  /** [batches of 100, batches of 1]. */
  httpSeconds: [number, number];
  httpClients: [number, number];
  httpMaxEvents: number;
  /** The open-loop HTTP load: seconds (0: not run), and its offered rate as a fraction of the measured maximum. */
  openLoopSeconds: number;
  openLoopFraction: number;
  serverLogLevel: string;
  searchIterations: number;
  proofIterations: number;
  phases: Set<Phase>;
  profile: "auto" | "append" | "http" | "none";
  dir: string | null;
  keep: boolean;
  outDir: string;
}

export const USAGE = `npm run bench -- [--quick | --full] [--events N] [--large-events N] [--only ${PHASES.join(",")}]
  [--batch 1000] [--concurrency 4] [--pg-url postgres://postgres@127.0.0.1:5432/test] [--pg-batch 1000] [--pg-inflight 2] [--pg-nodes 1,2,3]
  [--http-seconds 8,4] [--http-clients 8,32] [--http-max-events N] [--open-loop-seconds 8] [--open-loop-fraction 0.8]
  [--server-log-level info]
  [--search-iterations N] [--proof-iterations N] [--profile auto|append|http|none] [--dir D] [--keep]`;

const pair = (s: string): [number, number] => {
  const [a, b] = s.split(",").map(Number);
  return [a ?? 0, b ?? a ?? 0];
};

export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      full: { type: "boolean", default: false },
      events: { type: "string" },
      "large-events": { type: "string" },
      only: { type: "string" },
      batch: { type: "string", default: "1000" },
      concurrency: { type: "string", default: "4" },
      "pg-url": { type: "string", default: process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test" },
      "pg-batch": { type: "string", default: "1000" },
      "pg-inflight": { type: "string", default: "2" },
      "pg-nodes": { type: "string", default: "1,2,3" },
      "http-seconds": { type: "string" },
      "http-clients": { type: "string", default: "8,32" },
      "http-max-events": { type: "string" },
      "open-loop-seconds": { type: "string" },
      "open-loop-fraction": { type: "string", default: "0.8" },
      "server-log-level": { type: "string", default: "info" },
      "search-iterations": { type: "string" },
      "proof-iterations": { type: "string" },
      profile: { type: "string", default: "auto" },
      dir: { type: "string" },
      keep: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const full = values.full && !values.quick;
  const events = Number(values.events ?? (full ? 1_000_000 : 20_000));
  const large = values["large-events"] ?? (full ? "10000000" : undefined);
  const only = values.only?.split(",").map((s) => s.trim()) ?? [...DEFAULT_PHASES];
  const unknown = only.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`unknown phase(s) ${unknown.join(", ")}; phases: ${PHASES.join(", ")}`);
  const phases = new Set(only as Phase[]);
  // These read the log the in-process phase writes.
  if (["search", "proofs", "verify", "export", "httpexport"].some((p) => phases.has(p as Phase))) phases.add("ledger");
  if (large === undefined) phases.delete("large");
  const profile = values.profile as BenchOptions["profile"];
  if (!["auto", "append", "http", "none"].includes(profile)) throw new Error(`--profile ${profile}?\n${USAGE}`);
  if (!Number.isSafeInteger(events) || events < 1000) throw new Error("--events must be at least 1000");
  const pgNodes = values["pg-nodes"].split(",").map(Number);
  if (!pgNodes.every((k) => Number.isSafeInteger(k) && k >= 1)) throw new Error("--pg-nodes takes counts like 1,2,3");
  return {
    mode: full ? "full" : "quick",
    events,
    largeEvents: large === undefined ? null : Number(large),
    batch: Number(values.batch),
    concurrency: Number(values.concurrency),
    pgBatch: Number(values["pg-batch"]),
    pgInflight: Number(values["pg-inflight"]),
    pgUrl: values["pg-url"],
    pgNodes,
    httpSeconds: pair(values["http-seconds"] ?? (full ? "60,20" : "8,4")),
    httpClients: pair(values["http-clients"]),
    httpMaxEvents: Number(values["http-max-events"] ?? (full ? 5_000_000 : 1_000_000)),
    openLoopSeconds: Number(values["open-loop-seconds"] ?? (full ? 30 : 8)),
    openLoopFraction: Number(values["open-loop-fraction"]),
    serverLogLevel: values["server-log-level"],
    searchIterations: Number(values["search-iterations"] ?? (full ? 200 : 50)),
    proofIterations: Number(values["proof-iterations"] ?? (full ? 2000 : 1000)),
    phases,
    profile,
    dir: values.dir ?? null,
    keep: values.keep,
    outDir: new URL("./out/", import.meta.url).pathname,
  };
}
