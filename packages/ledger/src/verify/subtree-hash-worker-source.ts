// The hashing worker of SubtreeHashPool, as source text run with
// `new Worker(source, { eval: true })`. Text rather than a module file: it
// needs only node:crypto, and as text it starts in tens of milliseconds both
// from TypeScript sources (a .ts worker file would first load tsx, about half
// a second) and from the compiled dist/ (which holds only compiled .ts).
//
// It computes what core's hashSubtreesNow computes, in the same layout (see
// HashedLeaves): for each perfect subtree tiling [first, first + n), its leaf
// hashes SHA-256(0x00 || data), then each level above, SHA-256(0x01 || left ||
// right). The tests compare the two on every tiling shape.

export const SUBTREE_HASH_WORKER_SOURCE = `
"use strict";
const { parentPort } = require("node:worker_threads");
const { hash } = require("node:crypto");

const HASH_SIZE = 32;
const node = Buffer.alloc(1 + 2 * HASH_SIZE);
node[0] = 1;

function tiles(first, count) {
  const out = [];
  const end = first + count;
  let start = first;
  while (start < end) {
    let level = 0;
    let width = 1;
    while (start % (2 * width) === 0 && start + 2 * width <= end) {
      width *= 2;
      level++;
    }
    out.push(level);
    start += width;
  }
  return out;
}

function hashSubtrees(first, bytes, offsets) {
  const levels = tiles(first, offsets.length - 1);
  let total = 0;
  for (const level of levels) total += 2 ** (level + 1) - 1;
  const out = new Uint8Array(total * HASH_SIZE);
  let leaf = 0;
  let at = 0;
  for (const tileLevel of levels) {
    let width = 2 ** tileLevel;
    let level = at;
    for (let k = 0; k < width; k++, leaf++) {
      out.set(hash("sha256", bytes.subarray(offsets[leaf], offsets[leaf + 1]), "buffer"), at);
      at += HASH_SIZE;
    }
    while (width > 1) {
      for (let k = 0; k < width; k += 2) {
        node.set(out.subarray(level + k * HASH_SIZE, level + (k + 2) * HASH_SIZE), 1);
        out.set(hash("sha256", node, "buffer"), at);
        at += HASH_SIZE;
      }
      level += width * HASH_SIZE;
      width /= 2;
    }
  }
  return out;
}

parentPort.on("message", (job) => {
  let nodes;
  try {
    nodes = hashSubtrees(job.first, job.bytes, job.offsets);
  } catch (err) {
    parentPort.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
    return;
  }
  // The leaves' buffer goes back too, for the next batch to fill.
  parentPort.postMessage({ id: job.id, nodes, bytes: job.bytes }, [nodes.buffer, job.bytes.buffer]);
});
`;
