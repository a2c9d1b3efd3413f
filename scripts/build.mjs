// Compiles each Node package's TypeScript (src/**/*.ts, tests left out) to
// dist/*.js file by file, so production runs plain JavaScript: no tsx and no
// transpiling at run time. `npm run typecheck` checks the types; this only emits.
//
// esbuild rather than `tsc -b`: the sources are written for per-file
// transpilation (isolatedModules, verbatimModuleSyntax), so both emit the same
// modules, and esbuild does it in well under a second where a tsc build
// repeats the ~15 s type check. That lets `npm start` and the test setup
// rebuild every time, so dist/ is never older than src/.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Every workspace that Node runs; the console has its own Vite build. */
export const PACKAGES = [
  "packages/core",
  "packages/protocol",
  "packages/ledger",
  "packages/client",
  "apps/server",
  "apps/cli",
];

/** Test code beside the sources; never shipped. */
const TEST_ONLY = /\.(test|conformance|fixture)\.ts$/;

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/**
 * Writes only files whose bytes changed, each through a rename, and removes
 * outputs whose source is gone: a test or server reading dist/ while another
 * build runs sees either the old file or the new one, never half of one.
 */
function sync(distDir, outputs) {
  const wanted = new Set(outputs.map((o) => o.path));
  let written = 0;
  for (const { path, contents } of outputs) {
    let current;
    try {
      current = readFileSync(path);
    } catch {
      current = undefined;
    }
    if (current?.equals(contents)) continue;
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, contents);
    renameSync(temporary, path);
    written++;
  }
  let removed = 0;
  for (const path of filesUnder(distDir)) {
    if (wanted.has(path) || path.endsWith(".tmp")) continue;
    rmSync(path, { force: true });
    removed++;
  }
  return { written, removed };
}

async function buildPackage(dir) {
  const src = join(ROOT, dir, "src");
  const dist = join(ROOT, dir, "dist");
  const entryPoints = filesUnder(src).filter((f) => f.endsWith(".ts") && !TEST_ONLY.test(f));
  const result = await build({
    entryPoints,
    outbase: src,
    outdir: dist,
    bundle: false,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: "linked",
    write: false,
    logLevel: "warning",
  });
  mkdirSync(dist, { recursive: true });
  return { dir, files: entryPoints.length, ...sync(dist, result.outputFiles) };
}

/** Builds every package; resolves with what changed per package. */
export function buildPackages() {
  return Promise.all(PACKAGES.map(buildPackage));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const results = await buildPackages();
  const changed = results.filter((r) => r.written + r.removed > 0);
  const summary = changed.map((r) => `${r.dir} (${r.written} written, ${r.removed} removed)`);
  const ms = Math.round(performance.now() - started);
  console.log(
    `built ${results.length} packages in ${ms} ms${summary.length ? `: ${summary.join(", ")}` : ", all up to date"}`,
  );
}
