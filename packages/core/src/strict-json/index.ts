// Strict JSON (I-JSON, RFC 7493) for untrusted bodies: refused, never repaired.
export { parseStrictJson } from "./parse-strict-json.js";
