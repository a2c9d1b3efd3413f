// The slow, exact pass of strict JSON: walks the text token by token (the
// jsonc-parser scanner decodes strings and escapes) and names every duplicate
// member, forbidden code point and overflowing number at its RFC 6901 pointer. Iterative:
// nesting costs memory, never stack, however deep an untrusted body goes.
import { createScanner } from "jsonc-parser";
import { escapePointer } from "../canonical-json.js";
import type { Problem } from "../errors.js";
import { forbiddenCodePointProblem } from "./unicode-scalars.js";

// jsonc-parser's SyntaxKind and ScanError values (ambient const enums, which
// isolatedModules cannot read from its declarations).
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const COMMA = 5;
const COLON = 6;
const STRING = 10;
const NUMBER = 11;
const EOF = 17;
const UNEXPECTED_END_OF_STRING = 2;

interface Frame {
  /** Names seen so far; undefined for an array. */
  names: Set<string> | undefined;
  /** The current member's name, or the current element's index. */
  at: string | number;
  /** In an object, between `{` or `,` and the next name. */
  expectingName: boolean;
}

function pointerOf(frames: readonly Frame[], depth = frames.length): string {
  let pointer = "";
  for (let i = 0; i < depth; i++) {
    const at = (frames[i] as Frame).at;
    pointer += `/${typeof at === "number" ? at : escapePointer(at)}`;
  }
  return pointer;
}

/** Where the walk stopped: the frames open at the end, and whether it ended inside a string. */
interface WalkEnd {
  frames: Frame[];
  /** The text ends inside a string: a name when `inName`, else a value at `pointerOf(frames)`. */
  openString: "name" | "value" | undefined;
}

/**
 * Walks `text` (JSON, or the valid beginning of a body that goes wrong later),
 * calling `onString` for each complete name and string value with the frames
 * that locate it (for a name, the innermost frame's `at` is that name already).
 */
function walk(
  text: string,
  onString?: (value: string, isName: boolean, frames: Frame[]) => void,
  onNumber?: (literal: string, frames: Frame[]) => void,
): WalkEnd {
  const scanner = createScanner(text, true);
  const frames: Frame[] = [];
  for (let token = scanner.scan(); token !== EOF; token = scanner.scan()) {
    const top = frames[frames.length - 1];
    switch (token) {
      case OPEN_BRACE:
        frames.push({ names: new Set(), at: "", expectingName: true });
        break;
      case OPEN_BRACKET:
        frames.push({ names: undefined, at: 0, expectingName: false });
        break;
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        frames.pop();
        break;
      case COMMA:
        if (top?.names === undefined && top !== undefined) top.at = (top.at as number) + 1;
        else if (top !== undefined) top.expectingName = true;
        break;
      case COLON:
        if (top !== undefined) top.expectingName = false;
        break;
      case STRING: {
        const isName = top?.expectingName === true;
        if (scanner.getTokenError() === UNEXPECTED_END_OF_STRING) {
          return { frames, openString: isName ? "name" : "value" };
        }
        const value = scanner.getTokenValue();
        if (isName) top.at = value;
        onString?.(value, isName, frames);
        if (isName) (top.names as Set<string>).add(value);
        break;
      }
      case NUMBER:
        onNumber?.(scanner.getTokenValue(), frames);
        break;
      default:
        break;
    }
  }
  return { frames, openString: undefined };
}

/**
 * Every member name repeated within its object (I-JSON, RFC 7493 section 2.3;
 * JSON.parse silently keeps the last), every forbidden code point and every
 * number that overflows a double, each at its pointer, in text order. Requires `text` to be JSON that JSON.parse accepts.
 */
export function locateJsonProblems(text: string): Problem[] {
  const problems: Problem[] = [];
  walk(
    text,
    (value, isName, frames) => {
      const top = frames[frames.length - 1];
      if (isName && top?.names?.has(value)) {
        problems.push({
          pointer: pointerOf(frames),
          message: `is a second member named ${JSON.stringify(value)} in one object; I-JSON (RFC 7493 section 2.3) requires unique names, and JSON parsers disagree on which one wins`,
        });
      }
      const wrong = forbiddenCodePointProblem(value);
      if (wrong !== undefined) {
        problems.push({ pointer: pointerOf(frames), message: isName ? `its member name ${wrong}` : wrong });
      }
    },
    (literal, frames) => {
      if (Number.isFinite(Number(literal))) return;
      problems.push({
        pointer: pointerOf(frames),
        message: "is a number beyond the range of an IEEE 754 double; I-JSON (RFC 7493 section 2.2) numbers fit one",
      });
    },
  );
  return problems;
}

/**
 * Where the text that precedes a byte that is not UTF-8 leaves off: the
 * pointer of the string the byte falls in, or of the container it falls
 * between members of. `prefix` is that text, decoded.
 */
export function pointerAtEndOf(prefix: string): { pointer: string; where: string } {
  const { frames, openString } = walk(prefix);
  if (openString === "value") return { pointer: pointerOf(frames), where: "in this string" };
  if (openString === "name") {
    return { pointer: pointerOf(frames, frames.length - 1), where: "in a member name of this object" };
  }
  return { pointer: pointerOf(frames), where: "outside any string, near this value" };
}
