// `npm run test:reliability`: the reliability suite at release size (the
// authorisation matrix, the fuzzer's 10,000 cases, 20 SIGKILLs), or a soak
// with `--soak --minutes N`. Prints the figures docs/reliability.md records;
// exits 1 when any part failed. `npm test` runs the same parts at CI size
// (the *.test.ts files here; the matrix in full).
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { formatFuzzSummary, fuzzPassed, runFuzz } from "./fuzz.js";
import { formatKillSummary, killLoopPassed, runKillLoop } from "./kill-loop.js";
import { formatSoakSummary, runSoak, soakPassed } from "./soak.js";

const HELP = `npm run test:reliability -- [options]

  --cases N        fuzzer cases (default 10000)
  --kills N        SIGKILLs of the kill loop (default 20)
  --seed N         seed of the fuzzer and the kill loop (default: from the clock, printed)
  --only LIST      matrix,fuzz,kill (default: all three)
  --soak           run the soak instead: 80% of the measured maximum ingest rate
  --minutes N      soak length (default 10)
  --keep           keep the data directories (their paths are printed)
  --help`;

const { values } = parseArgs({
  options: {
    cases: { type: "string", default: "10000" },
    kills: { type: "string", default: "20" },
    seed: { type: "string" },
    only: { type: "string", default: "matrix,fuzz,kill" },
    soak: { type: "boolean", default: false },
    minutes: { type: "string", default: "10" },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const count = (name: string, value: string) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, not ${value}`);
  return n;
};
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : count("seed", values.seed);
const progress = (line: string) => process.stderr.write(`${line}\n`);
const keep = values.keep;
let ok = true;

console.log(`reliability run, ${new Date().toISOString()}, node ${process.version}, seed ${seed}`);
if (values.soak) {
  const summary = await runSoak({ minutes: count("minutes", values.minutes), keep, progress });
  console.log(formatSoakSummary(summary));
  if (keep) console.log(`  data directory kept: ${summary.dataDir}`);
  ok = soakPassed(summary);
} else {
  const only = new Set(values.only.split(","));
  if (only.has("matrix")) {
    // The matrix is a vitest suite (its table is the test); it runs the same here as in CI.
    const code = await new Promise<number | null>((resolve) =>
      spawn("npx", ["vitest", "run", "test/reliability/auth-matrix.test.ts"], { stdio: "inherit" }).once(
        "exit",
        resolve,
      ),
    );
    console.log(`authorisation matrix: ${code === 0 ? "PASSED" : "FAILED"}`);
    ok &&= code === 0;
  }
  if (only.has("fuzz")) {
    const summary = await runFuzz({ cases: count("cases", values.cases), seed, keep, progress });
    console.log(formatFuzzSummary(summary));
    if (keep) console.log(`  data directory kept: ${summary.dataDir}`);
    ok &&= fuzzPassed(summary);
  }
  if (only.has("kill")) {
    const summary = await runKillLoop({ kills: count("kills", values.kills), seed, keep, progress });
    console.log(formatKillSummary(summary));
    if (keep) console.log(`  data directory kept: ${summary.dataDir}`);
    ok &&= killLoopPassed(summary);
  }
}
console.log(ok ? "PASSED" : "FAILED");
process.exitCode = ok ? 0 : 1;
