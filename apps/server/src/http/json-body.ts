// The only request body parser: application/json, strictly. The body is read
// as bytes and parsed as I-JSON (RFC 7493, core's parseStrictJson), so that
// bytes that are not UTF-8, repeated member names, lone surrogates and
// noncharacters are refused instead of repaired (a U+FFFD or a last-wins
// member would otherwise be sealed as if the sender had said it); through
// secure-json-parse, so that __proto__ and constructor.prototype keys are
// refused with a clear problem rather than silently applied or stripped.
// Every other media type, and a charset other than UTF-8, is refused with 415
// (text/plain in particular: browsers send it cross-origin without a preflight).
import { hasErrorCode, parseStrictJson } from "@trailproof/core";
import type { FastifyInstance } from "fastify";
import sjson from "secure-json-parse";
import { HttpProblem } from "./problem.js";

/** `utf8` is not the IANA name, but it is the same encoding: refusing it would protect nothing. */
const UTF8_NAMES = new Set(["utf-8", "utf8"]);
const CHARSET_PARAMETER = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/gi;

/** Every charset parameter of a Content-Type header (untrusted), lower-cased. */
function declaredCharsets(contentType: string | undefined): string[] {
  return [...(contentType ?? "").matchAll(CHARSET_PARAMETER)].map((m) => (m[1] ?? m[2] ?? "").toLowerCase());
}

/** JSON.parse that refuses prototype-reaching keys: the rest of the service assumes none arrive. */
function parseWithoutPrototypeKeys(text: string): unknown {
  try {
    return sjson.parse(text, undefined, { protoAction: "error", constructorAction: "error" });
  } catch (err) {
    if (err instanceof SyntaxError && /prototype|__proto__/i.test(err.message)) {
      throw new HttpProblem(
        "REQUEST_MALFORMED_JSON",
        "the body holds a forbidden key (__proto__ or constructor.prototype)",
      );
    }
    throw err;
  }
}

/**
 * Strict JSON from bytes, as the JSON parser reads it: what compat endpoints
 * use on the bodies they read as bytes. Throws HttpProblem
 * REQUEST_MALFORMED_JSON.
 */
export function parseJsonBytes(bytes: Buffer): unknown {
  if (bytes.length === 0) throw new HttpProblem("REQUEST_MALFORMED_JSON", "the body is empty; send JSON");
  try {
    return parseStrictJson(bytes, parseWithoutPrototypeKeys);
  } catch (err) {
    if (!hasErrorCode(err, "JSON_MALFORMED")) throw err;
    const [first, ...more] = err.problems;
    const detail = `the body is not strict JSON (I-JSON, RFC 7493): ${first?.pointer || "the body"} ${first?.message ?? ""}${more.length > 0 ? ` (and ${more.length} more)` : ""}`;
    throw new HttpProblem("REQUEST_MALFORMED_JSON", detail, { problems: err.problems });
  }
}

export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => {
    const charset = declaredCharsets(request.headers["content-type"]).find((c) => !UTF8_NAMES.has(c));
    if (charset !== undefined) {
      const problem = new HttpProblem(
        "REQUEST_UNSUPPORTED_MEDIA_TYPE",
        `the body is declared as charset=${JSON.stringify(charset.slice(0, 40))}; JSON is UTF-8 (RFC 8259 section 8.1): send charset=utf-8 or no charset`,
      );
      done(problem, undefined);
      return;
    }
    const bytes = body as Buffer;
    if (bytes.length === 0) {
      done(new HttpProblem("REQUEST_MALFORMED_JSON", "the body is empty; send a JSON object"), undefined);
      return;
    }
    try {
      done(null, parseJsonBytes(bytes));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}
