// Everything one run measures, as written to bench/out/<timestamp>.json.

import type { InsertResult } from "./baseline-sqlite.js";
import type { LargeLog } from "./build-large-log.js";
import type { HttpAlertsRun } from "./http-alerts.js";
import type { HttpCompatRun } from "./http-compat.js";
import type { HttpIngestRun } from "./http-ingest.js";
import type { HttpReadRun } from "./http-read.js";
import type { HttpStreamsRun } from "./http-streams.js";
import type { AppendRun } from "./in-process-append.js";
import type { Machine } from "./machine.js";
import type { PostgresPhaseRun } from "./postgres-phase.js";
import type { ProfileRun } from "./profile-run.js";
import type { ProofLatency } from "./proof-latency.js";
import type { SearchLatency } from "./search-latency.js";
import type { TargetResult } from "./targets.js";
import type { VerifyRun } from "./verify-throughput.js";

export interface BenchResults {
  startedAt: string;
  command: string;
  mode: "quick" | "full";
  events: number;
  eventBytes: number;
  machine: Machine;
  baselineA?: InsertResult;
  /** Baseline A0: the same rows with only the primary key, the ceiling of the disk and driver. */
  baselineA0?: InsertResult;
  baselineB?: InsertResult & { inflight: number };
  inProcess?: Omit<AppendRun, "adminKey">;
  search?: { events: number; cases: SearchLatency[] };
  proofs: (ProofLatency & { note: string })[];
  verify: (VerifyRun & { note: string })[];
  httpIngest?: HttpIngestRun;
  /** Each drop-in ingest endpoint against native POST /v1/events, one service, one run. */
  httpCompat?: HttpCompatRun;
  /** Alert rules following the log under HTTP ingest: with none, then 20 (issue 15). */
  httpAlerts?: HttpAlertsRun;
  httpStreams?: HttpStreamsRun;
  /** Reads through the service: on the in-process log, and on the large log in full mode. */
  httpRead: (HttpReadRun & { note: string })[];
  largeLog?: Omit<LargeLog, "adminKey" | "dataDir">;
  /** The PostgreSQL store: in-process append and search, HTTP on 1-3 nodes (pgstore, pgnodes). */
  postgresStore?: PostgresPhaseRun;
  targets: TargetResult[];
  profile?: ProfileRun;
  /** Phases skipped and why. */
  notes: string[];
  seconds: number;
}
