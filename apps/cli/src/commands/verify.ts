import { join } from "node:path";
import { type Divergence, TrailproofError } from "@trailproof/core";
import { nodeHasher, openSqliteStores, SigningKeyStore, verifyBundleFile, verifyTenantLog } from "@trailproof/ledger";
import type { Command } from "commander";
import { DEFAULT_DATA_DIR, printJson, progressReporter } from "../output.js";

interface VerifyCliOptions {
  data: string;
  tenant?: string;
  bundle?: string;
  key?: string[];
  json?: boolean;
}

export function registerVerifyCommand(program: Command): void {
  program
    .command("verify")
    .description("recompute every leaf and root, check every checkpoint signature and their consistency")
    .option("--data <dir>", "data directory to verify", DEFAULT_DATA_DIR)
    .option("--tenant <name>", "only this tenant (default: every tenant)")
    .option("--bundle <file>", "verify an export bundle instead, with no database")
    .option("--key <verifierKey...>", "pin these verifier keys instead of the ones in the key directory or bundle")
    .option("--json", "print the report as JSON")
    .action(async (opts: VerifyCliOptions) => {
      const reports = opts.bundle ? [await verifyBundleAt(opts)] : await verifyDataDir(opts);
      if (opts.json) printJson(reports);
      else for (const r of reports) printReport(r);
      process.exitCode = reports.every((r) => r.ok) ? 0 : 1;
    });
}

interface Report {
  tenant: string;
  treeSize: number;
  checkpoints: number;
  ok: boolean;
  divergences: Divergence[];
  keysPinned?: boolean;
}

async function verifyDataDir(opts: VerifyCliOptions): Promise<Report[]> {
  // Verification only reads: it opens the stores, not a ledger (which
  // would sign a closing checkpoint), so verifying never changes what it verifies.
  const { log: store } = openSqliteStores(opts.data);
  const keys = new SigningKeyStore(join(opts.data, "keys"), nodeHasher);
  try {
    const tenants = opts.tenant ? [opts.tenant] : (await store.listTenants()).map((t) => t.name);
    if (tenants.length === 0) throw new TrailproofError("VERIFY_NOTHING", `no tenants in ${opts.data}`);
    const reports: Report[] = [];
    for (const tenant of tenants) {
      const pinned = opts.key ?? keys.verifiers(tenant).map((k) => k.verifier_key);
      reports.push(
        await verifyTenantLog(store, nodeHasher, tenant, {
          verifierKeys: pinned,
          onProgress: progressReporter(`verify ${tenant}`),
        }),
      );
    }
    return reports;
  } finally {
    await store.close();
  }
}

async function verifyBundleAt(opts: VerifyCliOptions): Promise<Report> {
  // Read in large chunks and hashed on worker threads (verifyBundleFile).
  const report = await verifyBundleFile(nodeHasher, opts.bundle as string, {
    verifierKeys: opts.key,
    onProgress: progressReporter("verify bundle"),
  });
  if (!report.keysPinned) {
    process.stderr.write(
      "note: keys were taken from the bundle itself; pin them with --key to detect a re-signed bundle\n",
    );
  }
  return report;
}

function printReport(r: Report): void {
  const status = r.ok ? "OK" : "FAILED";
  process.stdout.write(`${status} ${r.tenant}: ${r.treeSize} entries, ${r.checkpoints} valid checkpoints\n`);
  const [first] = r.divergences;
  if (first) {
    process.stdout.write(`  first divergence: ${first.kind} at index ${first.index ?? "-"}: ${first.message}\n`);
    if (r.divergences.length > 1)
      process.stdout.write(`  and ${r.divergences.length - 1} more (use --json to see them)\n`);
  } else if (!r.ok) {
    process.stdout.write("  no checkpoint could be verified\n");
  }
}
