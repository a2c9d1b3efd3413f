// `trailproof migrate`: applies the PostgreSQL schema migrations as the
// schema's owner, and/or copies a SQLite data directory into PostgreSQL and
// verifies the copy (docs/scale-out.md, "Moving from SQLite").
import { TrailproofError } from "@trailproof/core";
import {
  DEFAULT_APP_ROLE,
  type MigrateDataDirReport,
  migrateDataDir,
  migratePostgres,
  openPostgres,
  redactUrl,
} from "@trailproof/ledger";
import type { Command } from "commander";
import { asDatabaseError } from "../database-error.js";
import { printJson, progressReporter } from "../output.js";

interface MigrateCliOptions {
  database?: string;
  appRole: string;
  from?: string;
  to?: string;
  masterKeyFile?: string;
  batchEntries?: string;
  json?: boolean;
}

export function registerMigrateCommand(program: Command): void {
  program
    .command("migrate")
    .description(
      "apply the PostgreSQL schema migrations (--database OWNER_URL), and/or copy a data directory into PostgreSQL and verify it (--from DIR --to APP_URL)",
    )
    .option("--database <url>", "the schema owner's postgres:// URL: apply pending migrations")
    .option("--app-role <role>", "the role the migrations grant to (the service's)", DEFAULT_APP_ROLE)
    .option("--from <dir>", "a SQLite data directory to copy (opened read-only)")
    .option("--to <url>", "with --from: the PostgreSQL database as the app role")
    .option(
      "--master-key-file <file>",
      "with --from: the master key the nodes will use; the copied keys are sealed with it (TRAILPROOF_MASTER_KEY_FILE)",
    )
    .option("--batch-entries <n>", "with --from: entries per append transaction (default 1000)")
    .option("--json", "print the copy's report as JSON")
    .action(async (opts: MigrateCliOptions) => {
      if (opts.database === undefined && opts.from === undefined) {
        throw new TrailproofError("MIGRATE_OPTIONS_INVALID", "give --database OWNER_URL, or --from DIR --to APP_URL");
      }
      if (opts.database !== undefined) await applyMigrations(opts.database, opts.appRole);
      if (opts.from !== undefined) process.exitCode = await copyDataDir(opts);
    });
}

async function applyMigrations(url: string, appRole: string): Promise<void> {
  const owner = openPostgres(url, { max: 1, applicationName: "trailproof-migrate" });
  const where = redactUrl(url);
  try {
    const report = await migratePostgres(owner, { appRole }).catch((err: unknown) => {
      throw asDatabaseError(err, where);
    });
    if (report.applied.length === 0) {
      process.stdout.write(`schema of ${where}: version ${report.to}, up to date\n`);
    } else {
      process.stdout.write(
        `schema of ${where}: version ${report.from} -> ${report.to}, applied ${report.applied.join(", ")}\n`,
      );
    }
  } finally {
    await owner.end({ timeout: 5 });
  }
}

async function copyDataDir(opts: MigrateCliOptions): Promise<number> {
  const to = opts.to;
  const masterKeyFile = opts.masterKeyFile ?? process.env.TRAILPROOF_MASTER_KEY_FILE;
  if (to === undefined || masterKeyFile === undefined) {
    throw new TrailproofError(
      "MIGRATE_OPTIONS_INVALID",
      "--from needs --to postgres://APP_ROLE@HOST/DB and --master-key-file FILE (create one with `trailproof master-key create FILE`)",
    );
  }
  const batchEntries = opts.batchEntries === undefined ? undefined : Number(opts.batchEntries);
  if (batchEntries !== undefined && !(Number.isSafeInteger(batchEntries) && batchEntries > 0)) {
    throw new TrailproofError(
      "MIGRATE_OPTIONS_INVALID",
      `--batch-entries must be a positive integer, not ${JSON.stringify(opts.batchEntries)}`,
    );
  }
  const progress = new Map<string, (done: number, total: number) => void>();
  const report = await migrateDataDir({
    from: opts.from as string,
    to,
    masterKeyFile,
    batchEntries,
    onProgress: (tenant, done, total) => {
      let p = progress.get(tenant);
      if (p === undefined) {
        p = progressReporter(`copy ${tenant}`);
        progress.set(tenant, p);
      }
      p(done, total);
    },
  });
  if (opts.json) printJson(report);
  else printCopy(report, redactUrl(to));
  return report.ok ? 0 : 1;
}

/** A row kind and what the copy did with its rows. */
type Counted = [string, { inserted: number; updated: number; unchanged: number }];

function printCopy(report: MigrateDataDirReport, where: string): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`copied into ${where}:`);
  for (const t of report.tenants) {
    const status = t.verify.ok ? "OK" : "FAILED";
    out(
      `${status} ${t.tenant}: ${t.toSize - t.fromSize} entries copied (${t.fromSize} -> ${t.toSize}), ${t.checkpointsCopied} checkpoints, root at ${t.toSize}: ${t.rootHash}`,
    );
    const keys = [...t.keyItems.created.map((n) => `${n} copied`), ...t.keyItems.replaced.map((n) => `${n} updated`)];
    if (keys.length > 0) out(`  keys: ${keys.join(", ")}`);
    if (t.checkpointsOnlyInTarget > 0) {
      out(`  ${t.checkpointsOnlyInTarget} checkpoints signed in PostgreSQL only (kept)`);
    }
    for (const d of t.verify.divergences) out(`  ${d.kind} at index ${d.index ?? "-"}: ${d.message}`);
  }
  const c = report.catalogue;
  const s = report.state;
  const line = ([name, n]: Counted) => `${name} ${n.inserted} new, ${n.updated} updated, ${n.unchanged} unchanged`;
  const lines = (counted: Counted[]) => out(counted.map(line).join("; "));
  lines([
    ["API keys", c.apiKeys],
    ["people", c.people],
    ["sessions", c.sessions],
    ["viewer tokens", c.viewerTokens],
  ]);
  for (const note of c.notes) out(`  ${note}`);
  lines([
    ["retention policies", s.retentionPolicies],
    ["legal holds", s.legalHolds],
    ["dual-control settings", s.dualControl],
  ]);
  lines([
    ["rule versions", s.ruleVersions],
    ["alerts", s.alerts],
    ["alert follower cursors", s.alertFollower],
  ]);
  lines([
    ["notification channels", s.channels],
    ["deliveries", s.deliveries],
    ["notification cursors", s.notificationCursor],
    ["report schedules", s.reportSchedules],
  ]);
  lines([
    ["platform keys", s.platformKeys],
    ["streams", s.streams],
    ["cosignatures", s.cosignatures],
  ]);
  for (const note of s.notes) out(`  ${note}`);
  out("not copied: pending approvals (decide them before the switch-over; see docs/scale-out.md)");
}
