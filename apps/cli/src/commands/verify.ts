import { readFileSync } from "node:fs";
import {
  type Divergence,
  type ErasureReceipt,
  parseReportFile,
  TrailproofError,
  verifyErasureReceipt,
  verifyReport,
} from "@trailproof/core";
import {
  bundleFileReport,
  DigestKeyStore,
  nodeHasher,
  noteOrigin,
  SigningKeyStore,
  SubjectVault,
  tenantLogReport,
  type VerifyReport,
} from "@trailproof/ledger";
import { reportQueryMatcher } from "@trailproof/protocol";
import type { Command } from "commander";
import { addDatabaseOptions, type DatabaseFlags } from "../database-options.js";
import { verifyProofFile } from "../mirror/verify-proof.js";
import { verifyTilesAt } from "../mirror/verify-tiles.js";
import { printJson, progressReporter } from "../output.js";
import { openReadStores } from "../read-stores.js";
import {
  type CosignatureCheck,
  cosignaturePolicyOf,
  printCosignatureChecks,
  tenantCosignatureChecks,
} from "../witness/cosignature-policy.js";

interface VerifyCliOptions extends DatabaseFlags {
  tenant?: string;
  bundle?: string;
  erasureReceipt?: string;
  report?: string;
  tiles?: string;
  proof?: string;
  event?: string;
  key?: string[];
  checkpoint?: string[];
  witnessKey?: string[];
  minCosignatures?: string;
  json?: boolean;
}

export function registerVerifyCommand(program: Command): void {
  addDatabaseOptions(program.command("verify"))
    .description(
      "recompute every leaf and root, check every checkpoint signature and their consistency, in a data directory, a PostgreSQL database (read-only) or a bundle",
    )
    .option("--tenant <name>", "only this tenant (default: every tenant)")
    .option("--bundle <file>", "verify an export bundle instead, with no database")
    .option(
      "--erasure-receipt <file>",
      "verify an erasure receipt (POST /v1/erasures) offline instead, against the one --key given",
    )
    .option(
      "--report <file>",
      "verify a report (POST /v1/reports: its JSON, or its HTML page) offline instead, against the one --key given",
    )
    .option(
      "--tiles <urlOrDir>",
      "verify a tlog-tiles copy (trailproof mirror) instead: a directory or an http(s) URL prefix, against --key",
    )
    .option("--proof <file>", "verify a tlog-proof (GET /v1/events/{id}/proof) offline instead, against --key")
    .option("--event <file>", "with --proof: the event's JSON (its leaf data) the proof must be for")
    .option(
      "--key <verifierKey...>",
      "pin these verifier keys instead of the ones in the key directory, database or bundle",
    )
    .option(
      "--checkpoint <fileOrUrl...>",
      "checkpoints the log published earlier (files, or http(s) URLs of a witness or mirror): fail if the log is smaller than or forked from any",
    )
    .option(
      "--witness-key <vkey...>",
      "witnesses' keys (cosignature/v1): the checkpoints relied on must carry their cosignatures",
    )
    .option(
      "--min-cosignatures <n>",
      "cosignatures by the --witness-key witnesses each checkpoint relied on needs (default 1)",
    )
    .option("--json", "print the report as JSON")
    .action(async (opts: VerifyCliOptions) => {
      if (opts.erasureReceipt !== undefined) {
        verifyReceiptFile(opts.erasureReceipt, opts.key ?? []);
        return;
      }
      if (opts.report !== undefined) {
        verifyReportFile(opts.report, opts.key ?? []);
        return;
      }
      if (opts.proof !== undefined) {
        verifyProofFile(opts.proof, opts.key ?? [], opts.event);
        return;
      }
      if (opts.tiles !== undefined) {
        const previous = await readCheckpoints(opts.checkpoint ?? []);
        await verifyTilesAt(opts.tiles, { keys: opts.key ?? [], previous, json: opts.json === true });
        return;
      }
      if (opts.bundle && (opts.data !== undefined || opts.database !== undefined)) {
        throw new TrailproofError(
          "VERIFY_OPTIONS_INVALID",
          "--bundle verifies a file with no store: drop --data/--database",
        );
      }
      if (opts.bundle && cosignaturePolicyOf(opts)) {
        throw new TrailproofError(
          "VERIFY_OPTIONS_INVALID",
          "--witness-key checks a store's checkpoints, not a bundle's",
        );
      }
      const reports = opts.bundle ? [await bundleReportAt(opts)] : await storeReports(opts);
      if (opts.json) printJson(reports);
      else for (const r of reports) printReport(r);
      process.exitCode = reports.every((r) => r.ok) ? 0 : 1;
    });
}

/** `--erasure-receipt FILE --key KEY`: the receipt's erasure.complete entry is in a checkpoint the pinned key signed. */
function verifyReceiptFile(file: string, keys: readonly string[]): void {
  if (keys.length !== 1) {
    throw new TrailproofError(
      "VERIFY_OPTIONS_INVALID",
      "--erasure-receipt needs the log's verifier key, pinned: one --key (GET /v1/log/key)",
    );
  }
  let receipt: ErasureReceipt;
  try {
    receipt = JSON.parse(readFileSync(file, "utf8")) as ErasureReceipt;
  } catch (cause) {
    throw new TrailproofError("VERIFY_OPTIONS_INVALID", `${file} is not a JSON erasure receipt`, { cause });
  }
  try {
    const { treeSize, origin } = verifyErasureReceipt(receipt, keys[0] as string);
    process.stdout.write(
      `OK erasure ${receipt.erasure_id}: erasure.complete at index ${receipt.index} is in ${origin}'s signed checkpoint of size ${treeSize}\n`,
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stdout.write(`FAILED erasure receipt ${file}: ${message}\n`);
    process.exitCode = 1;
  }
}

/**
 * `--report FILE --key KEY`: the report's checkpoint is signed by the pinned
 * key, its listed events are included, its range's leaves rebuild the root,
 * and re-running its queries and checks gives exactly what it lists.
 */
function verifyReportFile(file: string, keys: readonly string[]): void {
  if (keys.length !== 1) {
    throw new TrailproofError(
      "VERIFY_OPTIONS_INVALID",
      "--report needs the log's verifier key, pinned: one --key (GET /v1/log/key)",
    );
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw new TrailproofError("VERIFY_OPTIONS_INVALID", `cannot read ${file}`, { cause });
  }
  try {
    const r = verifyReport(parseReportFile(text), keys[0] as string, reportQueryMatcher);
    process.stdout.write(
      `OK report ${file}: ${r.entries} entries in the period, ${r.listed} events listed, ${r.violations} violations, complete and included in ${r.origin}'s signed checkpoint of size ${r.treeSize}\n`,
    );
    if (!r.periodClosed) {
      process.stdout.write(
        "  note: the period runs past the checkpoint's newest entry: the report is complete up to that checkpoint only\n",
      );
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stdout.write(`FAILED report ${file}: ${message}\n`);
    process.exitCode = 1;
  }
}

interface Report {
  tenant: string;
  treeSize: number;
  checkpoints: number;
  ok: boolean;
  divergences: Divergence[];
  keysPinned?: boolean;
  /** Store verification only: what retention pruned, apart from divergences. */
  pruned?: { entries: number; ranges: { start: number; end: number; pruneIndex: number }[] };
  /** --witness-key/--min-cosignatures: each checkpoint relied on, and its cosignatures. */
  cosignatures?: CosignatureCheck[];
}

async function storeReports(opts: VerifyCliOptions): Promise<Report[]> {
  // Verification only reads (verify-stores.ts): never a ledger, which would sign on close.
  const published = await readCheckpoints(opts.checkpoint ?? []);
  const policy = cosignaturePolicyOf(opts);
  const { log: store, audits, cosignatures, vault, where, masterKey, close } = await openReadStores(opts);
  const subjects = new SubjectVault(store, masterKey, undefined);
  const keys = new SigningKeyStore(vault, nodeHasher);
  const digestKeys = new DigestKeyStore(vault);
  try {
    const records = await store.listTenants();
    const tenants = opts.tenant ? [opts.tenant] : records.map((t) => t.name);
    if (tenants.length === 0) throw new TrailproofError("VERIFY_NOTHING", `no tenants in ${where}`);
    const origins = new Set(records.filter((t) => tenants.includes(t.name)).map((t) => t.origin));
    for (const { source, note } of published) {
      if (!origins.has(noteOrigin(note))) {
        throw new TrailproofError(
          "VERIFY_CHECKPOINT_UNMATCHED",
          `checkpoint ${source} is for ${JSON.stringify(noteOrigin(note))}, which no tenant verified here has`,
        );
      }
    }
    const reports: Report[] = [];
    for (const tenant of tenants) {
      const pinned = opts.key ?? (await keys.verifiers(tenant)).map((k) => k.verifier_key);
      reports.push(
        await tenantLogReport(store, nodeHasher, tenant, {
          verifierKeys: pinned,
          derived: audits,
          published: published.map((p) => p.note),
          digestKey: await digestKeys.find(tenant),
          subjects,
          onProgress: progressReporter(`verify ${tenant}`),
        }),
      );
      const record = records.find((t) => t.name === tenant);
      if (policy && record) {
        const report = reports[reports.length - 1] as Report;
        report.cosignatures = await tenantCosignatureChecks(policy, { log: store, cosignatures }, record, published);
        report.ok &&= report.cosignatures.every((c) => c.ok);
      }
    }
    return reports;
  } finally {
    await close();
  }
}

/** How long a --checkpoint URL may take to answer. */
const CHECKPOINT_FETCH_TIMEOUT_MS = 10_000;

/** Why fetch() failed, in the words of its cause (fetch's own message is "fetch failed"). */
function fetchFailure(err: unknown): string {
  if (err instanceof Error && err.name === "TimeoutError") {
    return `no answer within ${CHECKPOINT_FETCH_TIMEOUT_MS / 1000} s`;
  }
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause?.code === "ECONNREFUSED") return "connection refused";
  if (cause?.code === "ENOTFOUND") return "host not found";
  if (typeof cause?.message === "string") return cause.message;
  return err instanceof Error ? err.message : String(err);
}

/** Checkpoint notes from files or http(s) URLs, each named by where it came from. */
export async function readCheckpoints(sources: readonly string[]): Promise<{ source: string; note: string }[]> {
  return Promise.all(
    sources.map(async (source) => {
      if (!/^https?:\/\//.test(source)) return { source, note: readFileSync(source, "utf8") };
      // Bounded: a witness that never answers is an error, not a hang.
      const res = await fetch(source, { signal: AbortSignal.timeout(CHECKPOINT_FETCH_TIMEOUT_MS) }).catch(
        (err: unknown) => {
          throw new TrailproofError(
            "VERIFY_CHECKPOINT_UNREADABLE",
            `cannot fetch --checkpoint ${source}: ${fetchFailure(err)}`,
          );
        },
      );
      if (!res.ok) throw new TrailproofError("VERIFY_CHECKPOINT_UNREADABLE", `${source} answered ${res.status}`);
      return { source, note: await res.text() };
    }),
  );
}

async function bundleReportAt(opts: VerifyCliOptions): Promise<Report> {
  // Read in large chunks and hashed on worker threads (bundleFileReport).
  const report = await bundleFileReport(nodeHasher, opts.bundle as string, {
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
  if (r.pruned && r.pruned.ranges.length > 0) {
    // Not divergences: bodies removed by recorded retention prunes, their leaf hashes still checked.
    const ranges = r.pruned.ranges.map((p) => `[${p.start}, ${p.end}) by entry ${p.pruneIndex}`).join(", ");
    process.stdout.write(`  pruned: ${r.pruned.entries} entries in ${r.pruned.ranges.length} range(s): ${ranges}\n`);
  }
  const e = "erasure" in r ? (r.erasure as VerifyReport["erasure"]) : undefined;
  if (e && (e.erased > 0 || e.sealed > 0 || e.erasures > 0)) {
    // Not divergences: values erased by recorded erasures, and what could not be checked.
    process.stdout.write(
      `  ${e.erased} personal values erased by ${e.erasures} erasures; ${e.digestsErased} content digests not checkable: erased\n`,
    );
    if (e.sealed > 0) process.stdout.write(`  ${e.sealed} personal values not opened: no master key given\n`);
  }
  // Each divergence once, the sealed record's first: the first line is the cause.
  for (const d of r.divergences) {
    process.stdout.write(`  ${d.kind} at index ${d.index ?? "-"}: ${d.message}\n`);
  }
  if (r.cosignatures) printCosignatureChecks(r.cosignatures);
  if (r.divergences.length === 0 && !r.ok && !r.cosignatures?.some((c) => !c.ok)) {
    process.stdout.write("  no checkpoint could be verified\n");
  }
}
