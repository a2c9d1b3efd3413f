// vitest globalSetup: build the console once before the browser suites, so
// `npm test` works on a fresh clone (apps/console/dist is not committed).
import { ensureConsoleBuilt } from "./console-build.js";

export function setup(): void {
  ensureConsoleBuilt();
}
