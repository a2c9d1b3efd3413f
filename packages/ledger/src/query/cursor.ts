// Keyset cursors of paged queries: base64url (RFC 4648 section 5, no padding)
// of JSON {o: occurred_ms, i: index, d: order}, the last entry a page returned.
// Opaque to clients, and untrusted when they come back.
import { InvalidInputError } from "@trailproof/core";
import type { SortOrder } from "./audit-query.js";

/** Where a page ended: the next page starts strictly after it in `order`. */
export interface CursorPosition {
  occurredMs: number;
  index: number;
}

/** Longest cursor accepted; real ones are under 80 characters. */
const MAX_CURSOR_LENGTH = 256;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodeCursor(position: CursorPosition, order: SortOrder): string {
  const json = JSON.stringify({ o: position.occurredMs, i: position.index, d: order });
  return Buffer.from(json, "utf8").toString("base64url");
}

function invalid(message: string): InvalidInputError {
  return new InvalidInputError("SEARCH_CURSOR_INVALID", `cursor ${message}`, {
    problems: [{ pointer: "/cursor", message }],
  });
}

/**
 * The position in `cursor` (untrusted). Throws SEARCH_CURSOR_INVALID unless
 * it is exactly what encodeCursor writes for `order`. A cursor names no
 * tenant: used on another tenant it only positions that tenant's own entries.
 */
export function parseCursor(cursor: string, order: SortOrder): CursorPosition {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) {
    throw invalid("is not a cursor this service issued: pass next_cursor back unchanged");
  }
  const bytes = Buffer.from(cursor, "base64url");
  // Node decodes leniently; a cursor must be the canonical encoding of its bytes.
  if (bytes.toString("base64url") !== cursor) throw invalid("is not canonical base64url");
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw invalid("does not decode to a position");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid("does not decode to a position");
  }
  const { o, i, d, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || !Number.isSafeInteger(o) || !Number.isSafeInteger(i) || (i as number) < 0) {
    throw invalid("does not decode to a position");
  }
  if (d !== "asc" && d !== "desc") throw invalid("does not decode to a position");
  if (d !== order) throw invalid(`was issued for order ${d}, not ${order}`);
  return { occurredMs: o as number, index: i as number };
}
