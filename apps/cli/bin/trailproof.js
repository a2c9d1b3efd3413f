#!/usr/bin/env node
// The installed `trailproof` command: runs the compiled CLI (apps/cli/dist,
// written by `npm run build`, which `npm start` runs). Nothing here loads tsx
// or TypeScript; from sources use `npm run trailproof:src -- <command>`.
import { fileURLToPath } from "node:url";

const main = new URL("../dist/main.js", import.meta.url);
try {
  await import(main.href);
} catch (err) {
  // Only a missing build gets the hint; any other failure is the CLI's own.
  if (err?.code !== "ERR_MODULE_NOT_FOUND" || !String(err.message).includes(fileURLToPath(main))) throw err;
  console.error("trailproof: the CLI is not built (apps/cli/dist/main.js is missing); run `npm run build` first");
  process.exitCode = 1;
}
