// Packs the published packages into npm tarballs: `node scripts/pack.mjs [dir]`
// (default ./dist, which git ignores). Builds first, with type declarations, so every tarball
// carries compiled JavaScript and .d.ts and nothing else (each package's
// `files` keeps src/ and tests out). The SDK is @trailproof/client with
// @trailproof/core and @trailproof/protocol; the CLI also needs
// @trailproof/ledger and @trailproof/server. Publishing is `npm publish` of
// these tarballs, dependencies first.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildPackages, PACKAGES } from "./build.mjs";

const ROOT = join(fileURLToPath(import.meta.url), "../..");

/** Builds and packs every package into `destination`; returns the tarball paths by package name. */
export async function packPackages(destination) {
  await buildPackages({ declarations: true });
  mkdirSync(destination, { recursive: true });
  const workspaces = PACKAGES.flatMap((dir) => ["--workspace", dir]);
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", destination, ...workspaces], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return Object.fromEntries(JSON.parse(out).map((p) => [p.name, join(destination, p.filename)]));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const tarballs = await packPackages(resolve(process.argv[2] ?? "dist"));
  for (const path of Object.values(tarballs)) console.log(path);
}
