// Command-line options of `npm run bench:soak`, resolved once.
import { parseArgs } from "node:util";
import {
  LOAD_RUN_ARGS,
  LOAD_RUN_USAGE,
  type LoadRunOptions,
  positiveOption,
  resolveLoadRun,
} from "./load-run-options.js";

export const SOAK_USAGE = `npm run bench:soak -- [--minutes 30] [--rate R | --fraction 0.8] [--window-seconds 30] [--max-sockets 64]
  ${LOAD_RUN_USAGE}
  --rate: events/s offered (batches of 100); without it, --fraction of the closed-loop maximum measured first
  --live: ids in time order and occurred_at the send time (as a live platform sends), not the replayed pool`;

export interface SoakOptions extends LoadRunOptions {
  minutes: number;
  /** Offered events/s; null: fraction x the measured maximum. */
  rate: number | null;
  fraction: number;
  windowSeconds: number;
  maxSockets: number;
  /** Bodies with time-ordered ids and occurred_at the send time (liveIngestBodies). */
  live: boolean;
}

export function parseSoakOptions(argv: string[]): SoakOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...LOAD_RUN_ARGS,
      minutes: { type: "string", default: "30" },
      rate: { type: "string" },
      fraction: { type: "string", default: "0.8" },
      "window-seconds": { type: "string", default: "30" },
      "max-sockets": { type: "string", default: "64" },
      live: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${SOAK_USAGE}\n`);
    process.exit(0);
  }
  return {
    ...resolveLoadRun(values, "trailproof-soak-"),
    minutes: positiveOption("minutes", values.minutes),
    rate: values.rate === undefined ? null : positiveOption("rate", values.rate),
    fraction: positiveOption("fraction", values.fraction),
    windowSeconds: positiveOption("window-seconds", values["window-seconds"], 1),
    maxSockets: positiveOption("max-sockets", values["max-sockets"], 1),
    live: values.live === true,
  };
}
