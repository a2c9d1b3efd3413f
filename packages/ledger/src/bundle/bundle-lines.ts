// Streams a tenant's export bundle (core's bundle-format.ts) as lines, in
// constant memory: entries are read in chunks (one buffer each) up to the
// latest checkpoint, pruned entries as their stand-ins (entry-lines.ts).
import { BUNDLE_FORMAT, type BundleHeader, TrailproofError } from "@trailproof/core";
import type { VerifierKeyRecord } from "../keys/signing-keys.js";
import type { LogStore } from "../store/log-store.js";
import { EntryLines } from "./entry-lines.js";

const encoder = new TextEncoder();

export async function* bundleLines(
  store: LogStore,
  tenant: string,
  verifierKeys: readonly VerifierKeyRecord[],
  options: { chunkSize?: number; now?: () => Date } = {},
): AsyncGenerator<Uint8Array> {
  const record = await store.getTenant(tenant);
  if (!record) throw new TrailproofError("TENANT_NOT_FOUND", `no tenant named ${tenant}`);
  const checkpoints = await store.listCheckpoints(record.tenantId);
  // Entries past the newest checkpoint are not yet signed; they go in the next export.
  const treeSize = checkpoints.at(-1)?.treeSize ?? 0;
  const header: BundleHeader = {
    format: BUNDLE_FORMAT,
    tenant,
    origin: record.origin,
    tree_size: treeSize,
    checkpoints: checkpoints.length,
    verifier_keys: [...verifierKeys],
    exported_at: (options.now?.() ?? new Date()).toISOString(),
  };
  yield encoder.encode(`${JSON.stringify(header)}\n`);
  for (const cp of checkpoints) yield encoder.encode(`${JSON.stringify({ checkpoint: cp.note })}\n`);
  const chunk = options.chunkSize ?? 5_000;
  const lines = new EntryLines(store, record.tenantId);
  for (let start = 0; start < treeSize; start += chunk) {
    yield await lines.encode(await store.readEntries(record.tenantId, start, Math.min(start + chunk, treeSize)));
  }
}
