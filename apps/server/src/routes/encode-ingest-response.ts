// The body of POST /v1/events's 200 (IngestResponseSchema in
// @trailproof/protocol), encoded by hand rather than by the schema-compiled
// serializer: measured on 100 created results, 11.5 µs against 35 µs for
// mapping to wire objects and fast-json-stringify (and 45 µs for
// JSON.stringify). encode-ingest-response.test.ts checks the output against
// the schema and against JSON.stringify.
import type { AppendResult } from "@trailproof/ledger";

/** Characters that never need escaping in a JSON string (event ids, base64, timestamps are made of these). */
const PLAIN = /^[A-Za-z0-9 ._:+/=-]*$/;

/** A JSON string; ids come from the client, so anything else goes through JSON.stringify. */
function quote(s: string): string {
  return PLAIN.test(s) ? `"${s}"` : JSON.stringify(s);
}

function encodeResult(r: AppendResult): string {
  const id = r.id === null ? "null" : quote(r.id);
  if (r.status === "rejected") {
    // Only the two fields the schema names, whatever else a problem object carries.
    const errors = r.problems.map((p) => ({ pointer: p.pointer, message: p.message }));
    return `{"id":${id},"status":"rejected","errors":${JSON.stringify(errors)}}`;
  }
  // POST /v1/events never appends all-or-nothing, so never sees `withheld`.
  if (r.status === "withheld") throw new Error("a withheld result reached POST /v1/events");
  return `{"id":${id},"status":"${r.status}","index":${r.index},"leaf_hash":${quote(r.leafHash)},"received_at":${quote(r.receivedAt)}}`;
}

export function encodeIngestResponse(results: readonly AppendResult[]): string {
  let out = '{"results":[';
  for (let i = 0; i < results.length; i++) {
    if (i > 0) out += ",";
    out += encodeResult(results[i] as AppendResult);
  }
  return `${out}]}`;
}
