// The body of a filtered export (docs/exports.md), one Readable per format,
// each pulling exportEvents() only as fast as the client reads: NDJSON (one
// event view per line), CSV (csv-stringify, RFC 4180, a header row, optionally
// spreadsheet-safe) and OCSF (one OCSF 1.8.0 object per line, with the log's
// origin, the entry's index and the previous exported index in each).
import { pipeline, Readable } from "node:stream";
import type { JsonObject } from "@trailproof/core";
import type { EventItem } from "@trailproof/protocol";
import { stringify } from "csv-stringify";
import { toOcsf } from "../formats/ocsf/to-ocsf.js";
import { CSV_COLUMNS, toCsvRow } from "./csv-columns.js";
import { toSpreadsheetSafe } from "./spreadsheet-safe.js";

async function* ndjsonLines(items: AsyncIterable<EventItem>): AsyncGenerator<string> {
  for await (const item of items) yield `${JSON.stringify(item)}\n`;
}

async function* ocsfLines(items: AsyncIterable<EventItem>, origin: string): AsyncGenerator<string> {
  let prevIndex: number | null = null;
  for await (const item of items) {
    yield `${JSON.stringify(toOcsf(item.event as JsonObject, { origin, index: item.index, prevIndex }))}\n`;
    prevIndex = item.index;
  }
}

async function* csvRows(items: AsyncIterable<EventItem>, safe: boolean): AsyncGenerator<string[]> {
  for await (const item of items) {
    const row = toCsvRow(item);
    yield safe ? row.map(toSpreadsheetSafe) : row;
  }
}

export function ndjsonBody(items: AsyncIterable<EventItem>): Readable {
  return Readable.from(ndjsonLines(items));
}

export function ocsfBody(items: AsyncIterable<EventItem>, origin: string): Readable {
  return Readable.from(ocsfLines(items, origin));
}

/** A read failing midway ends the stream with its error: the client sees a cut response, never a short "complete" file. */
export function csvBody(items: AsyncIterable<EventItem>, safe: boolean): Readable {
  // Safe mode also quotes every cell, as OWASP advises beside the prefix.
  const csv = stringify({ header: true, columns: [...CSV_COLUMNS], quoted: safe });
  pipeline(Readable.from(csvRows(items, safe), { objectMode: true }), csv, () => {});
  return csv;
}
