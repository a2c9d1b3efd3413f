// Every command that works on a data directory opens it the same way and
// always closes it (the ledger signs what is unsigned on close).
import { type DataDir, openDataDir } from "@trailproof/ledger";

export async function withDataDir<T>(
  dataDir: string,
  fn: (data: DataDir) => Promise<T>,
  options: { checkpointIntervalMs?: number } = {},
): Promise<T> {
  const data = await openDataDir({ dataDir, ...options });
  try {
    return await fn(data);
  } finally {
    await data.ledger.close();
  }
}
