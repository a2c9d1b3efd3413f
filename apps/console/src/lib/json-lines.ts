// Pretty JSON as lines that each know their RFC 6901 pointer, so a diff view
// can mark exactly the lines an RFC 6902 patch touched; an erased marker is
// one line of its own, never shown as a raw object.
import { escapePointer } from "@trailproof/core";
import type { PatchOperation } from "../api/types.js";
import { type Erasure, erasedMarker } from "./erased.js";

/** Stands in for a personal value withheld from this reader. */
export const WITHHELD = Symbol("withheld");

export interface JsonLine {
  pointer: string;
  depth: number;
  /** Key part ("\"title\": ") or "" for array items and the root. */
  key: string;
  /** Rendered value, an opening or a closing bracket. */
  text: string;
  withheld?: boolean;
  /** Set where the value is the erased marker of a crypto-shredded personal value. */
  erased?: Erasure;
  comma: boolean;
}

export function jsonLines(value: unknown): JsonLine[] {
  const out: JsonLine[] = [];
  const walk = (v: unknown, pointer: string, depth: number, key: string, comma: boolean) => {
    if (v === WITHHELD) {
      out.push({ pointer, depth, key, text: "", withheld: true, comma });
      return;
    }
    const erased = erasedMarker(v);
    if (erased) {
      out.push({ pointer, depth, key, text: "", erased, comma });
      return;
    }
    if (Array.isArray(v) || (v !== null && typeof v === "object")) {
      const entries: [string, unknown][] = Array.isArray(v)
        ? v.map((x, i) => [String(i), x])
        : Object.entries(v as Record<string, unknown>);
      const [open, close] = Array.isArray(v) ? ["[", "]"] : ["{", "}"];
      if (entries.length === 0) {
        out.push({ pointer, depth, key, text: `${open}${close}`, comma });
        return;
      }
      out.push({ pointer, depth, key, text: open, comma: false });
      entries.forEach(([k, child], i) => {
        walk(
          child,
          `${pointer}/${escapePointer(k)}`,
          depth + 1,
          Array.isArray(v) ? "" : `${JSON.stringify(k)}: `,
          i < entries.length - 1,
        );
      });
      out.push({ pointer, depth, key: "", text: close, comma });
      return;
    }
    out.push({ pointer, depth, key, text: JSON.stringify(v) ?? "undefined", comma });
  };
  walk(value, "", 0, "", false);
  return out;
}

/** Pointers the patch removes or replaces (in `before`) and adds or replaces (in `after`). */
export function changedPointers(patch: readonly PatchOperation[] | undefined): { before: string[]; after: string[] } {
  const before: string[] = [];
  const after: string[] = [];
  for (const op of patch ?? []) {
    if (op.op === "remove" || op.op === "replace") before.push(op.path);
    if (op.op === "add" || op.op === "replace" || op.op === "copy" || op.op === "move") {
      after.push(op.path.endsWith("/-") ? op.path.slice(0, -2) : op.path);
    }
    if (op.op === "move" && op.from !== undefined) before.push(op.from);
  }
  return { before, after };
}

/** Whether `pointer` is one of `changed` or inside one. */
export function isChanged(pointer: string, changed: readonly string[]): boolean {
  return changed.some((c) => pointer === c || pointer.startsWith(`${c}/`) || c === "");
}

/**
 * A copy of `state` with WITHHELD at each pointer (relative to the state)
 * that was withheld from this reader, so the view says so in place.
 */
export function markWithheld(state: unknown, pointers: readonly string[]): unknown {
  if (pointers.length === 0 || state === null || typeof state !== "object") return state;
  const copy = structuredClone(state) as Record<string, unknown>;
  for (const pointer of pointers) {
    const tokens = pointer
      .split("/")
      .slice(1)
      .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
    let node: unknown = copy;
    for (let i = 0; i < tokens.length - 1; i++) {
      node = node && typeof node === "object" ? (node as Record<string, unknown>)[tokens[i] as string] : undefined;
    }
    const last = tokens[tokens.length - 1];
    if (node && typeof node === "object" && last !== undefined) (node as Record<string, unknown>)[last] = WITHHELD;
  }
  return copy;
}
