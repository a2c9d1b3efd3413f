// Between phases: flush the kernel's dirty pages (and PostgreSQL's, with a
// CHECKPOINT) so one phase's writeback does not land in the next one's fsyncs.
import { execFileSync } from "node:child_process";
import type { Sql } from "./baseline-postgres.js";

export async function settle(sql?: Sql): Promise<void> {
  // CHECKPOINT needs a superuser or pg_checkpoint; without either, the kernel flush still runs.
  if (sql) await sql`CHECKPOINT`.catch(() => undefined);
  execFileSync("sync");
}
