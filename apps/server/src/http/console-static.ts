// Serves the built web console (apps/console/dist) at `/`, with the SPA
// fallback for its client routes, under a strict Content-Security-Policy.
// The embedded viewer (/embed) may be framed by the configured origins only;
// every other page refuses to be framed.
import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export const DEFAULT_CONSOLE_DIR = join(import.meta.dirname, "../../../console/dist");

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
];

/** Registers static serving; returns the SPA fallback for the not-found handler, or undefined without a build. */
export async function registerConsole(
  app: FastifyInstance,
  options: { consoleDir: string; embedOrigins: readonly string[] },
): Promise<((request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined) | undefined> {
  const frameAncestors = options.embedOrigins.length > 0 ? options.embedOrigins.join(" ") : "'self'";
  app.addHook("onSend", async (request, reply) => {
    if (request.url.startsWith("/docs")) return;
    const embed = request.url === "/embed" || request.url.startsWith("/embed?") || request.url.startsWith("/embed#");
    reply.header(
      "content-security-policy",
      [...CONSOLE_CSP, `frame-ancestors ${embed ? frameAncestors : "'none'"}`].join("; "),
    );
    if (embed) reply.removeHeader("x-frame-options");
  });
  if (!existsSync(join(options.consoleDir, "index.html"))) return undefined;
  await app.register(fastifyStatic, { root: options.consoleDir, prefix: "/", wildcard: false, index: ["index.html"] });
  return (request, reply) => {
    const accept = request.headers.accept ?? "";
    if (request.method !== "GET" || request.url.startsWith("/v1/") || !accept.includes("text/html")) return undefined;
    return reply.type("text/html").sendFile("index.html");
  };
}
