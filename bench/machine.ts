// The machine a run measured, for the report: figures mean little without it.
import { readFileSync } from "node:fs";
import { availableParallelism, release, totalmem } from "node:os";
import Database from "better-sqlite3";

export interface Machine {
  cpuModel: string;
  nproc: number;
  memoryGiB: number;
  node: string;
  kernel: string;
  sqlite: string;
  postgres: string | null;
}

export function describeMachine(postgres: string | null): Machine {
  let cpuModel = "unknown";
  try {
    cpuModel = /^model name\s*:\s*(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpuModel;
  } catch {
    // not Linux: keep "unknown"
  }
  const db = new Database(":memory:");
  const sqlite = (db.prepare("SELECT sqlite_version() AS v").get() as { v: string }).v;
  db.close();
  return {
    cpuModel,
    nproc: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    kernel: release(),
    sqlite,
    postgres,
  };
}
