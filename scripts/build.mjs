// Compiles each Node package's TypeScript (src/**/*.ts, tests left out) to
// dist/*.js file by file, so production runs plain JavaScript: no tsx and no
// transpiling at run time. `npm run typecheck` checks the types; this only emits.
//
// esbuild rather than `tsc -b`: the sources are written for per-file
// transpilation (isolatedModules, verbatimModuleSyntax), so both emit the same
// modules, and esbuild does it in well under a second where a tsc build
// repeats the ~15 s type check. That lets `npm start` and the test setup
// rebuild every time, so dist/ is never older than src/.
//
// `--declarations` also writes the type declarations (.d.ts) of the packages
// that export an API (tsconfig.build.json), which the packed packages need;
// scripts/pack.mjs asks for them. A build without the flag leaves existing
// declarations in place.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import ts from "typescript";

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

const DECLARATION = /\.d\.ts$/;

/**
 * Writes only files whose bytes changed, each through a rename, and removes
 * outputs whose source is gone: a test or server reading dist/ while another
 * build runs sees either the old file or the new one, never half of one.
 * Without `declarations` the .d.ts files already in dist/ are kept.
 */
function sync(distDir, outputs, declarations) {
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
    if (!declarations && DECLARATION.test(path)) continue;
    rmSync(path, { force: true });
    removed++;
  }
  return { written, removed };
}

/**
 * Returns the declarations of tsconfig.build.json by package directory, each
 * mapped from <pkg>/src/x.ts to <pkg>/dist/x.d.ts. Throws when a declaration
 * cannot be written (say, an exported type that cannot be named); type errors
 * are `npm run typecheck`'s to report, not repeated here.
 */
function emitDeclarations() {
  const configPath = join(ROOT, "tsconfig.build.json");
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: fail },
  );
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const outDir = config.options.outDir;
  const byPackage = new Map();
  const result = program.emit(undefined, (fileName, text) => {
    const [pkgDir, rest] = relative(outDir, fileName).split(`${sep}src${sep}`);
    const outputs = byPackage.get(pkgDir) ?? [];
    outputs.push({ path: join(ROOT, pkgDir, "dist", rest), contents: Buffer.from(text) });
    byPackage.set(pkgDir, outputs);
  });
  if (result.diagnostics.length > 0) fail(...result.diagnostics);
  return byPackage;
}

function fail(...diagnostics) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => "\n" };
  throw new Error(`type declarations not written:\n${ts.formatDiagnostics(diagnostics, host)}`);
}

async function buildPackage(dir, declarations) {
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
  const outputs = [...result.outputFiles, ...(declarations?.get(dir) ?? [])];
  return { dir, files: entryPoints.length, ...sync(dist, outputs, declarations !== undefined) };
}

/** Builds every package (with `declarations`, their .d.ts too); resolves with what changed per package. */
export function buildPackages({ declarations = false } = {}) {
  const emitted = declarations ? emitDeclarations() : undefined;
  return Promise.all(PACKAGES.map((dir) => buildPackage(dir, emitted)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const results = await buildPackages({ declarations: process.argv.includes("--declarations") });
  const changed = results.filter((r) => r.written + r.removed > 0);
  const summary = changed.map((r) => `${r.dir} (${r.written} written, ${r.removed} removed)`);
  const ms = Math.round(performance.now() - started);
  console.log(
    `built ${results.length} packages in ${ms} ms${summary.length ? `: ${summary.join(", ")}` : ", all up to date"}`,
  );
}
