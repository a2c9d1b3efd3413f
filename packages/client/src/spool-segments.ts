// The on-disk format of FileSpool: segment files `segment-<seq>.ndjson` of
// NDJSON lines, each either an event exactly as sent (an object with a string
// `id`) or an acknowledgement {"ack": [ids]} releasing earlier lines of those
// ids. A torn last line (no newline: the write never completed, so its
// append() never resolved) is cut off; any other unreadable line is SPOOL_CORRUPT.
import { readdirSync, readFileSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { SpoolError } from "./errors.js";
import type { SpooledEvent } from "./spool.js";

const SEGMENT_NAME = /^segment-([0-9]{10})\.ndjson$/;

export function segmentPath(dir: string, seq: number): string {
  return join(dir, `segment-${String(seq).padStart(10, "0")}.ndjson`);
}

export interface RecoveredSegment {
  seq: number;
  path: string;
  bytes: number;
}

export interface RecoveredSpool {
  segments: RecoveredSegment[];
  /** Unreleased events, oldest first, each with the segment it is in. */
  events: Array<SpooledEvent & { seq: number }>;
}

/** Reads every segment of `dir`, cutting a torn tail off the last one. */
export function readSegments(dir: string): RecoveredSpool {
  const seqs = readdirSync(dir)
    .map((name) => SEGMENT_NAME.exec(name)?.[1])
    .filter((s): s is string => s !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const segments: RecoveredSegment[] = [];
  const pending = new Map<string, SpooledEvent & { seq: number }>();
  seqs.forEach((seq, n) => {
    const path = segmentPath(dir, seq);
    const text = readFileSync(path, "utf8");
    let end = text.length;
    if (end > 0 && !text.endsWith("\n")) {
      if (n !== seqs.length - 1) throw corrupt(path, text.split("\n").length, "a segment before the last is cut short");
      end = text.lastIndexOf("\n") + 1;
      truncateSync(path, Buffer.byteLength(text.slice(0, end)));
    }
    const lines = text.slice(0, end).split("\n");
    lines.pop();
    lines.forEach((line, i) => {
      readLine(line, path, i + 1, seq, pending);
    });
    segments.push({ seq, path, bytes: Buffer.byteLength(text.slice(0, end)) });
  });
  return { segments, events: [...pending.values()] };
}

function readLine(
  line: string,
  path: string,
  lineNumber: number,
  seq: number,
  pending: Map<string, SpooledEvent & { seq: number }>,
): void {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw corrupt(path, lineNumber, "is not JSON");
  }
  const record = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  if (Array.isArray(record.ack) && record.ack.every((id) => typeof id === "string")) {
    for (const id of record.ack as string[]) pending.delete(id);
  } else if (typeof record.id === "string") {
    // Re-recorded ids keep their first place in line: the service treats the later send as a duplicate.
    if (!pending.has(record.id)) pending.set(record.id, { id: record.id, json: line, seq });
  } else {
    throw corrupt(path, lineNumber, "is neither an event nor an acknowledgement");
  }
}

function corrupt(path: string, line: number, why: string): SpoolError {
  return new SpoolError("SPOOL_CORRUPT", `spool file ${path} line ${line} ${why}`, {
    problems: [{ pointer: "", message: `${path}:${line} ${why}` }],
  });
}
