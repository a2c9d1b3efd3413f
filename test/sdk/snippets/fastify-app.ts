// Trailproof in a Fastify app: the same with an onRequest hook; closing the app flushes the client.
import { TrailproofClient } from "@trailproof/client";
import { FileSpool, fastifyContext } from "@trailproof/client/node";
import Fastify from "fastify";

export const audit = new TrailproofClient({
  url: process.env.TRAILPROOF_URL ?? "http://127.0.0.1:8080",
  apiKey: process.env.TRAILPROOF_INGEST_KEY ?? "",
  spool: new FileSpool({ dir: process.env.TRAILPROOF_SPOOL_DIR ?? "./trailproof-spool" }),
});
export const app = Fastify();
app.addHook(
  "onRequest",
  fastifyContext({
    trustedProxies: ["127.0.0.1"],
    actor: (req) => ({ type: "user", id: `${req.headers["x-user-id"]}` }),
  }),
);
app.addHook("onClose", () => audit.close());

const pages = new Map<string, { layout: string }>();
app.put<{ Params: { id: string }; Body: { layout: string } }>("/pages/:id", async (request, reply) => {
  const before = pages.get(request.params.id);
  pages.set(request.params.id, request.body);
  void audit.recordChange({
    action: "app.page.update",
    target: { type: "page", id: request.params.id },
    before,
    after: request.body,
  });
  return reply.code(204).send();
});
