// Demo data for a fresh install: a few days of sample no-code activity in
// the demo tenant, so the first look at the service shows something real.
import type { AppendedBy } from "@trailproof/core";
import type { Ledger } from "@trailproof/ledger";
import { sampleEvents } from "./sample-events.js";

/** appended_by of the demo tenant's sample data, whoever seeds it. */
export const DEMO_APPENDER: AppendedBy = { type: "service", id: "demo" };

export async function seedDemoData(ledger: Ledger, tenant: string, count = 500): Promise<number> {
  const start = Date.now() - 3 * 24 * 3600_000;
  const results = await ledger.append(
    tenant,
    sampleEvents(count, { startMs: start, idPrefix: `demo_${start}`, meanGapMs: (3 * 24 * 3600_000) / count }),
    { appendedBy: DEMO_APPENDER },
  );
  await ledger.publishCheckpoints();
  return results.filter((r) => r.status === "created").length;
}
