// `trailproof verify --witness-key VKEY... --min-cosignatures N`: the
// checkpoints relied on (each tenant's latest, with the cosignatures the
// store holds, and each --checkpoint given) must carry N valid cosignatures
// (C2SP tlog-cosignature) by the pinned witness keys, or verification fails.
import {
  addSignatureLines,
  type CosignatureVerifier,
  parseCosignerKey,
  portableHasher,
  TrailproofError,
  verifyCosignatures,
} from "@trailproof/core";
import { type CosignatureStore, type LogStore, noteOrigin, type TenantRecord } from "@trailproof/ledger";

export interface CosignaturePolicy {
  verifiers: CosignatureVerifier[];
  min: number;
}

export interface CosignatureCheck {
  /** What was checked: "latest checkpoint" or the --checkpoint source. */
  source: string;
  treeSize: number | null;
  /** Names of the pinned witnesses whose valid cosignatures it carries. */
  witnesses: string[];
  ok: boolean;
  message: string;
}

/** The policy the flags ask for; undefined when neither flag is given. Flags are the operator's input. */
export function cosignaturePolicyOf(flags: {
  witnessKey?: string[];
  minCosignatures?: string;
}): CosignaturePolicy | undefined {
  if (flags.witnessKey === undefined && flags.minCosignatures === undefined) return undefined;
  const keys = flags.witnessKey ?? [];
  if (keys.length === 0) {
    throw new TrailproofError("VERIFY_OPTIONS_INVALID", "--min-cosignatures needs the witnesses' keys: --witness-key");
  }
  const text = flags.minCosignatures ?? "1";
  if (!/^[1-9][0-9]{0,2}$/.test(text)) {
    throw new TrailproofError("VERIFY_OPTIONS_INVALID", `--min-cosignatures must be a number from 1, not ${text}`);
  }
  return { verifiers: keys.map((k) => parseCosignerKey(portableHasher, k)), min: Number(text) };
}

/** Checks one signed checkpoint note against the policy; never throws for the note's content. */
export function checkCosignatures(policy: CosignaturePolicy, source: string, note: string): CosignatureCheck {
  const size = /^[^\n]*\n(\d+)\n/.exec(note)?.[1];
  const treeSize = size === undefined ? null : Number(size);
  try {
    const found = verifyCosignatures(note, policy.verifiers).map((c) => c.name);
    const ok = found.length >= policy.min;
    const message = ok
      ? `${found.length} of ${policy.min} required cosignatures (${found.join(", ")})`
      : `only ${found.length} of ${policy.min} required cosignatures${found.length ? ` (${found.join(", ")})` : ""} by the pinned witness keys`;
    return { source, treeSize, witnesses: found, ok, message };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { source, treeSize, witnesses: [], ok: false, message };
  }
}

/** The tenant's latest checkpoint with its stored cosignatures, and each --checkpoint of its origin. */
export async function tenantCosignatureChecks(
  policy: CosignaturePolicy,
  stores: { log: LogStore; cosignatures: CosignatureStore },
  tenant: TenantRecord,
  published: readonly { source: string; note: string }[],
): Promise<CosignatureCheck[]> {
  const checks: CosignatureCheck[] = [];
  const latest = await stores.log.latestCheckpoint(tenant.tenantId);
  if (!latest) {
    checks.push({ source: "latest checkpoint", treeSize: null, witnesses: [], ok: false, message: "no checkpoint" });
  } else {
    const lines = (await stores.cosignatures.cosignaturesAt(tenant.tenantId, latest.treeSize)).map((c) => c.line);
    checks.push(checkCosignatures(policy, "latest checkpoint", addSignatureLines(latest.note, lines)));
  }
  for (const p of published) {
    if (noteOrigin(p.note) === tenant.origin) checks.push(checkCosignatures(policy, p.source, p.note));
  }
  return checks;
}

export function printCosignatureChecks(checks: readonly CosignatureCheck[]): void {
  for (const c of checks) {
    const size = c.treeSize === null ? "" : ` (size ${c.treeSize})`;
    process.stdout.write(`  ${c.ok ? "cosigned" : "NOT COSIGNED"}: ${c.source}${size}: ${c.message}\n`);
  }
}
