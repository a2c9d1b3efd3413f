// The child the checkpointer's crash test kills: appends batches to a tenant
// file whose WAL is checkpointed every few commits, printing
// each acknowledged tree size on its own line once the commit has returned.
// Usage: node --import tsx sqlite-checkpointer-crash.fixture.ts <dir>
import { entryBatch, openCheckpointedStore } from "./sqlite-checkpointer.fixture.js";

const dir = process.argv[2] as string;
const { store, tenantId } = await openCheckpointedStore(dir, {
  thresholdFrames: 16,
  pollMs: 1,
  truncateBytes: 256 * 1024,
});
let size = await store.treeSize(tenantId);
process.stdout.write("ready\n");
for (;;) {
  await store.appendBatch(entryBatch(tenantId, size, 8, 2048));
  size += 8;
  process.stdout.write(`${size}\n`);
  // Let the checkpointer's timer run between commits, as requests let it in the service.
  await new Promise((resolve) => setImmediate(resolve));
}
