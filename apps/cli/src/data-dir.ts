// Every command that works on a data directory opens it the same way and
// always closes it (the ledger signs what is unsigned on close). Events it
// appends are bounded as the service bounds them (TRAILPROOF_OCCURRED_AT_*).
import type { AppendedBy } from "@trailproof/core";
import { type DataDir, openDataDir } from "@trailproof/ledger";
import { occurredAtBoundsFromEnv } from "@trailproof/server";

/** appended_by of what a CLI command appends: the command's name. */
export function cliAppender(command: "ingest" | "demo" | "key" | "tenant"): AppendedBy {
  return { type: "cli", id: command };
}

export async function withDataDir<T>(
  dataDir: string,
  fn: (data: DataDir) => Promise<T>,
  options: { checkpointIntervalMs?: number } = {},
): Promise<T> {
  const data = await openDataDir({ dataDir, occurredAtBounds: occurredAtBoundsFromEnv(process.env), ...options });
  try {
    return await fn(data);
  } finally {
    await data.ledger.close();
  }
}
