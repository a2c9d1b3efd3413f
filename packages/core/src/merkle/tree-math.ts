// Index arithmetic for RFC 6962 trees in bigint: JS bitwise operators are
// 32-bit, and tree sizes are unsigned 64-bit in the formats we speak.
import { InvalidInputError } from "../errors.js";

/** Converts a caller-supplied size or index; throws PROOF_SIZE_OUT_OF_RANGE unless it is a non-negative safe integer or bigint. */
export function toIndex(value: number | bigint): bigint {
  if (typeof value === "bigint") {
    if (value < 0n) throw outOfRange("must not be negative");
    return value;
  }
  if (!Number.isSafeInteger(value) || value < 0) throw outOfRange("must be a non-negative safe integer");
  return BigInt(value);
}

function outOfRange(message: string): InvalidInputError {
  return new InvalidInputError("PROOF_SIZE_OUT_OF_RANGE", `a tree size or index ${message}`);
}

/** Largest power of two strictly smaller than n. Requires n > 1. */
export function largestPowerOfTwoBelow(n: bigint): bigint {
  let k = 1n;
  while (k << 1n < n) k <<= 1n;
  return k;
}

export function isPowerOfTwo(n: bigint): boolean {
  return n > 0n && (n & (n - 1n)) === 0n;
}

/** A perfect subtree: covers leaves [index * 2^level, (index + 1) * 2^level). */
export interface NodeId {
  level: number;
  index: bigint;
}

/**
 * Splits the leaf range [begin, end) into the perfect subtrees that tile it,
 * largest first. For the ranges RFC 6962 proofs visit (begin aligned to the
 * range's enclosing power of two) this is the compact range of the subtree.
 */
export function decomposeRange(begin: bigint, end: bigint): NodeId[] {
  const nodes: NodeId[] = [];
  let b = begin;
  while (b < end) {
    let level = 0;
    while (b % (1n << BigInt(level + 1)) === 0n && b + (1n << BigInt(level + 1)) <= end) level++;
    nodes.push({ level, index: b >> BigInt(level) });
    b += 1n << BigInt(level);
  }
  return nodes;
}
