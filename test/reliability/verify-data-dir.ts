// `trailproof verify --data DIR --json`, the compiled command an operator runs,
// on a data directory the service is not running on: every tenant's leaves,
// nodes, roots, checkpoint signatures and derived rows.
import { execFile } from "node:child_process";
import { trailproofBin } from "../../bench/server-child.js";

export interface VerifyOutcome {
  ok: boolean;
  exitCode: number;
  tenants: number;
  entries: number;
  /** The first divergences of every failing tenant, or why the command failed. */
  problems: string[];
  seconds: number;
}

interface CliReport {
  tenant: string;
  treeSize: number;
  ok: boolean;
  divergences: { kind: string; index?: number | null; message: string }[];
}

export function verifyDataDir(dataDir: string): Promise<VerifyOutcome> {
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [trailproofBin(), "verify", "--data", dataDir, "--json"],
      { env, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 },
      (err, stdout, stderr) => {
        const seconds = Math.round(performance.now() - t0) / 1000;
        const exitCode = err ? (typeof err.code === "number" ? err.code : -1) : 0;
        let reports: CliReport[];
        try {
          reports = JSON.parse(stdout) as CliReport[];
        } catch {
          resolve({
            ok: false,
            exitCode,
            tenants: 0,
            entries: 0,
            problems: [`verify printed no report (exit ${exitCode}): ${stderr.slice(-2000)}`],
            seconds,
          });
          return;
        }
        const problems = reports
          .filter((r) => !r.ok)
          .flatMap((r) =>
            r.divergences.length === 0
              ? [`${r.tenant}: no checkpoint could be verified`]
              : r.divergences.slice(0, 5).map((d) => `${r.tenant}: ${d.kind} at ${d.index ?? "-"}: ${d.message}`),
          );
        resolve({
          ok: exitCode === 0 && reports.length > 0 && reports.every((r) => r.ok),
          exitCode,
          tenants: reports.length,
          entries: reports.reduce((n, r) => n + r.treeSize, 0),
          problems,
          seconds,
        });
      },
    );
  });
}
