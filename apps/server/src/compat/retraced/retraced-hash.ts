// Retraced's event hash, which the official client recomputes over the event
// it sent and throws on a mismatch (`verifyHash`, @retracedhq/retraced
// src/event.ts buildHashTarget): ported byte for byte rather than imported, so
// the server never takes its own answer from the client it is checked by.
// It runs over the PARSED REQUEST JSON (untrusted, any shape): no defaults,
// no dropped empty objects, no coercion, or the client's hash differs.
import { createHash } from "node:crypto";

/** lodash isEmpty over JSON values: numbers and booleans count as empty, like lodash says. */
function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === "string" || Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return true;
}

/** Pass one: `%` then `:`, on truthy strings only; anything else goes through as it is. */
function encodePassOne(value: unknown): unknown {
  return typeof value === "string" && value !== "" ? value.replace(/%/g, "%25").replace(/:/g, "%3A") : value;
}

/** Pass two: `=` then `;`, on truthy strings only. */
function encodePassTwo(value: unknown): unknown {
  return typeof value === "string" && value !== "" ? value.replace(/=/g, "%3D").replace(/;/g, "%3B") : value;
}

const str = (value: unknown) => `${value}`;

/** `k=v;` per key in UTF-16 code-unit order (JS default sort), both passes applied. */
function encodePairs(record: unknown): string {
  const object = Object(record) as Record<string, unknown>;
  let out = "";
  for (const key of Object.keys(object).sort()) {
    out += `${str(encodePassTwo(encodePassOne(key)))}=${str(encodePassTwo(encodePassOne(object[key])))};`;
  }
  return out;
}

const field = (value: unknown, key: string): unknown =>
  value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;

/** The canonical string Retraced hashes for `event` (the parsed request body) under `id`. */
export function buildHashTarget(event: Readonly<Record<string, unknown>>, id: string): string {
  let s = `${str(encodePassOne(id))}:`;
  s += `${str(encodePassOne(event.action))}:`;
  s += isEmpty(event.target) ? ":" : `${str(encodePassOne(field(event.target, "id")))}:`;
  s += isEmpty(event.actor) ? ":" : `${str(encodePassOne(field(event.actor, "id")))}:`;
  s += isEmpty(event.group) ? ":" : `${str(encodePassOne(field(event.group, "id")))}:`;
  s += isEmpty(event.source_ip) ? ":" : `${str(encodePassOne(event.source_ip))}:`;
  s += event.is_failure ? "1:" : "0:";
  s += event.is_anonymous ? "1:" : "0:";
  s += event.fields ? encodePairs(event.fields) : ":";
  if (event.external_id) s += `:${str(encodePassOne(event.external_id))}`;
  if (event.metadata) s += `:${encodePairs(event.metadata)}`;
  return s;
}

/** sha256 hex of buildHashTarget: the `hash` of Retraced's `{id, hash}` answer. */
export function retracedHash(event: Readonly<Record<string, unknown>>, id: string): string {
  return createHash("sha256").update(buildHashTarget(event, id)).digest("hex");
}
