// Command-line options of `npm run bench:overload`, resolved once.
import { parseArgs } from "node:util";
import {
  LOAD_RUN_ARGS,
  LOAD_RUN_USAGE,
  type LoadRunOptions,
  positiveOption,
  resolveLoadRun,
} from "./load-run-options.js";

export const OVERLOAD_USAGE = `npm run bench:overload -- [--seconds 60] [--baseline-seconds 20] [--multiple 5]
  [--trickle-events 10] [--trickle-interval-ms 200] [--flood-sockets 256]
  ${LOAD_RUN_USAGE}`;

export interface OverloadOptions extends LoadRunOptions {
  /** The flood phase's length. */
  seconds: number;
  /** The trickle-only phase before it. */
  baselineSeconds: number;
  /** The flood offers this many times the measured closed-loop maximum. */
  multiple: number;
  trickleEvents: number;
  trickleIntervalMs: number;
  floodSockets: number;
}

export function parseOverloadOptions(argv: string[]): OverloadOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...LOAD_RUN_ARGS,
      seconds: { type: "string", default: "60" },
      "baseline-seconds": { type: "string", default: "20" },
      multiple: { type: "string", default: "5" },
      "trickle-events": { type: "string", default: "10" },
      "trickle-interval-ms": { type: "string", default: "200" },
      "flood-sockets": { type: "string", default: "256" },
    },
  });
  if (values.help) {
    process.stdout.write(`${OVERLOAD_USAGE}\n`);
    process.exit(0);
  }
  return {
    ...resolveLoadRun(values, "trailproof-overload-"),
    seconds: positiveOption("seconds", values.seconds, 1),
    baselineSeconds: positiveOption("baseline-seconds", values["baseline-seconds"], 1),
    multiple: positiveOption("multiple", values.multiple),
    trickleEvents: positiveOption("trickle-events", values["trickle-events"], 1),
    trickleIntervalMs: positiveOption("trickle-interval-ms", values["trickle-interval-ms"], 1),
    floodSockets: positiveOption("flood-sockets", values["flood-sockets"], 1),
  };
}
