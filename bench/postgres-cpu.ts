// Where the CPU went during a PostgreSQL-store load, from /proc (Linux only):
// utime + stime of the named processes (all their threads), of PostgreSQL's
// processes serving the bench database plus its background writers (WAL
// writer, checkpointer, ...), and of the whole machine from /proc/stat, so
// what other work on a shared machine took is visible too. In cores: CPU
// seconds per wall-clock second.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

export interface CpuUse {
  wallSeconds: number;
  /** Cores busy per named group (the nodes, the load client, ...). */
  groups: Record<string, number>;
  /** PostgreSQL: the postmaster, the bench database's backends and the shared background processes. */
  postgres: number;
  /** Every core's busy time on the machine, whoever used it. */
  machine: number;
  /** machine minus the groups and PostgreSQL above: other people's work on a shared machine. */
  other: number;
}

/** PostgreSQL's own processes, not tied to one database; their work is mostly the bench's WAL here. */
const BACKGROUND =
  /^postgres: (?:[^:]+: )?(checkpointer|background writer|walwriter|autovacuum launcher|logical replication launcher|archiver|stats collector)\s*$/;

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** [ppid, utime + stime] of a process, or null once it has gone. */
function readStat(pid: number): [number, number] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses: fields count from the last ")".
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return [Number(f[1]), Number(f[11]) + Number(f[12])];
  } catch {
    return null;
  }
}

function machineBusyTicks(): number {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal: everything but idle and iowait.
  return cpu.slice(0, 8).reduce((sum, t, k) => (k === 3 || k === 4 ? sum : sum + t), 0);
}

/** Ticks of the postmaster and of its children that work for `database` or for every database. */
function postgresTicks(postmasterPid: number, database: string): Map<number, number> {
  const out = new Map<number, number>();
  const own = readStat(postmasterPid);
  if (own) out.set(postmasterPid, own[1]);
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (!stat || stat[0] !== postmasterPid) continue;
    let title: string;
    try {
      title = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
    } catch {
      continue;
    }
    if (BACKGROUND.test(title) || title.split(" ").includes(database)) out.set(pid, stat[1]);
  }
  return out;
}

/** Accumulates over one or more start()/stop() windows (the timed parts of a phase). */
export class CpuMeter {
  readonly #postmasterPid: number;
  readonly #database: string;
  readonly #groups: Record<string, number[]>;
  #t0 = 0;
  #machine0 = 0;
  #pg0 = new Map<number, number>();
  #groups0 = new Map<number, number>();
  #ms = 0;
  #machineTicks = 0;
  #pgTicks = 0;
  #groupTicks: Record<string, number> = {};

  /** `postmasterPid`: the parent of a backend (postmasterOf). */
  constructor(postmasterPid: number, database: string, groups: Record<string, number[]>) {
    this.#postmasterPid = postmasterPid;
    this.#database = database;
    this.#groups = groups;
    for (const name of Object.keys(groups)) this.#groupTicks[name] = 0;
  }

  start(): void {
    this.#t0 = performance.now();
    this.#machine0 = machineBusyTicks();
    this.#pg0 = postgresTicks(this.#postmasterPid, this.#database);
    this.#groups0 = new Map(Object.values(this.#groups).flatMap((pids) => pids.map((p) => [p, readStat(p)?.[1] ?? 0])));
  }

  /**
   * Ends a window. Backends that started during it count from zero; one that
   * exited during it is missed (the nodes' pools keep theirs open for a minute).
   */
  stop(): void {
    this.#ms += performance.now() - this.#t0;
    for (const [pid, ticks] of postgresTicks(this.#postmasterPid, this.#database))
      this.#pgTicks += ticks - (this.#pg0.get(pid) ?? 0);
    for (const [name, pids] of Object.entries(this.#groups)) {
      for (const p of pids) {
        const before = this.#groups0.get(p) ?? 0;
        this.#groupTicks[name] = (this.#groupTicks[name] ?? 0) + (readStat(p)?.[1] ?? before) - before;
      }
    }
    this.#machineTicks += machineBusyTicks() - this.#machine0;
  }

  /** Cores busy over every window so far. */
  use(): CpuUse {
    const seconds = this.#ms / 1000;
    const hz = clockTicks();
    const cores = (ticks: number) => (seconds > 0 ? Math.round((ticks / hz / seconds) * 100) / 100 : 0);
    const groups: Record<string, number> = {};
    let groupTicks = 0;
    for (const [name, ticks] of Object.entries(this.#groupTicks)) {
      groups[name] = cores(ticks);
      groupTicks += ticks;
    }
    return {
      wallSeconds: Math.round(seconds * 10) / 10,
      groups,
      postgres: cores(this.#pgTicks),
      machine: cores(this.#machineTicks),
      other: cores(Math.max(0, this.#machineTicks - this.#pgTicks - groupTicks)),
    };
  }
}

/**
 * The postmaster's pid, when PostgreSQL runs on this machine and /proc shows
 * it; null otherwise (another host or a container's pid namespace).
 */
export function postmasterOf(backendPid: number): number | null {
  const stat = readStat(backendPid);
  if (!stat || stat[0] <= 1) return null;
  try {
    const title = readFileSync(`/proc/${backendPid}/cmdline`, "utf8");
    return title.startsWith("postgres") ? stat[0] : null;
  } catch {
    return null;
  }
}
