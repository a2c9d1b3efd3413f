// Starts a seal worker from TypeScript source. A worker thread does not get
// the loader hooks its parent registered (tsx's register(), vitest), and on
// Node 20 `--import tsx` in a worker's execArgv does not cover its entry, so
// the worker registers tsx itself first.
import { register } from "tsx/esm/api";

register();
await import("./seal-worker.ts");
