// The only request body parser: application/json, through secure-json-parse
// so that __proto__ and constructor.prototype keys are refused with a clear
// problem rather than silently applied or stripped. Every other media type
// is refused with 415 (text/plain in particular: browsers send it
// cross-origin without a preflight).
import type { FastifyInstance } from "fastify";
import sjson from "secure-json-parse";
import { HttpProblem } from "./problem.js";

export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => {
    const text = body as string;
    if (text.length === 0) {
      done(new HttpProblem("REQUEST_MALFORMED_JSON", "the body is empty; send a JSON object"), undefined);
      return;
    }
    try {
      done(null, sjson.parse(text, undefined, { protoAction: "error", constructorAction: "error" }));
    } catch (err) {
      const forbidden = err instanceof SyntaxError && /prototype|__proto__/i.test(err.message);
      done(
        new HttpProblem(
          "REQUEST_MALFORMED_JSON",
          forbidden
            ? "the body holds a forbidden key (__proto__ or constructor.prototype)"
            : "the body is not valid JSON",
        ),
        undefined,
      );
    }
  });
}
