// A host process for the SIGKILL suite, run as `node --import tsx spool-child.ts`.
// argv: url key spoolDir count prefix. Records `count` events (none when 0)
// through a FileSpool, prints "SPOOLED" once all are fsynced, then flushes
// and prints its stats as JSON. The parent kills it wherever it likes.
import { events, TrailproofClient } from "@trailproof/client";
import { FileSpool } from "@trailproof/client/node";

const [url, apiKey, dir, countText, prefix] = process.argv.slice(2) as [string, string, string, string, string];
const client = new TrailproofClient({
  url,
  apiKey,
  spool: new FileSpool({ dir }),
  batchSize: 50,
  flushIntervalMs: 20,
  backoff: { baseMs: 20, capMs: 200 },
});
const pending = [];
for (let i = 0; i < Number(countText); i++) {
  pending.push(
    client.record(
      events.recordCreated({
        id: `${prefix}_${i}`,
        occurredAt: new Date(Date.UTC(2026, 4, 2) + i * 1000),
        actor: { type: "service_account", id: "svc_import" },
        target: { type: "record", id: `rec_${i}` },
        tags: [`test:${prefix}`],
        after: { n: i },
      }),
    ),
  );
}
await Promise.all(pending.map((p) => p.enqueued));
process.stdout.write("SPOOLED\n");
await client.flush();
await client.close();
process.stdout.write(`${JSON.stringify(client.stats())}\n`);
