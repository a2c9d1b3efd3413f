// Child-process entry: the in-process append alone, so `node --cpu-prof`
// profiles it without the rest of the suite. Prints its result as JSON.
//   node --cpu-prof --import tsx bench/profile-append.ts <dataDir> <events> <batch> <concurrency>
import { runInProcessAppend } from "./in-process-append.js";

const [dataDir, events, batch, concurrency] = process.argv.slice(2);
if (!dataDir) throw new Error("usage: profile-append.ts <dataDir> <events> <batch> <concurrency>");
const run = await runInProcessAppend(dataDir, Number(events), Number(batch), Number(concurrency));
process.stdout.write(`${JSON.stringify({ eventsPerSecond: run.eventsPerSecond, events: run.events })}\n`);
