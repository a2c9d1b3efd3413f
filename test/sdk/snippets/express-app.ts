// Trailproof in an Express app: request context on every event, before/after changes, a durable spool.
import { TrailproofClient } from "@trailproof/client";
import { expressContext, FileSpool } from "@trailproof/client/node";
import express from "express";

export const audit = new TrailproofClient({
  url: process.env.TRAILPROOF_URL ?? "http://127.0.0.1:8080",
  apiKey: process.env.TRAILPROOF_INGEST_KEY ?? "",
  spool: new FileSpool({ dir: process.env.TRAILPROOF_SPOOL_DIR ?? "./trailproof-spool" }),
});
export const app = express();
app.use(express.json());
app.use(
  expressContext({
    trustedProxies: ["127.0.0.1"],
    actor: (req) => ({ type: "user", id: `${req.headers["x-user-id"]}` }),
  }),
);

const pages = new Map<string, { layout: string }>();
app.put("/pages/:id", (req, res) => {
  const before = pages.get(req.params.id);
  pages.set(req.params.id, req.body);
  void audit.recordChange({
    action: "app.page.update",
    target: { type: "page", id: req.params.id },
    before,
    after: req.body,
  });
  res.sendStatus(204);
});
