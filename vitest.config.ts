import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// Workspace packages export their TypeScript sources under this condition and
// compiled dist/ by default (see scripts/build.mjs). Tests run the sources;
// vitest also hands these conditions to its test processes as --conditions,
// which their worker threads inherit, so a seal worker started from sources
// resolves sources too. Child processes that tests spawn get dist/, which the
// build setup below refreshes before every run.
const SOURCE_CONDITION = "@trailproof/source";

// Not "module": test processes get these as --conditions, which Node's own
// require() honours too, and a CommonJS package requiring one that exports a
// bundler-only "module" build (prom-client requiring @opentelemetry/api, an
// optional peer the compat tests install) would load that build and fail.
const SERVER_CONDITIONS = defaultServerConditions.filter((c) => c !== "module");

export default defineConfig({
  ssr: { resolve: { conditions: [SOURCE_CONDITION, ...SERVER_CONDITIONS] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Compiles the packages (well under a second) so the CLI and production-start suites run
    // current JavaScript, then builds the web console once when its build is missing or stale.
    globalSetup: ["test/build-setup.ts", "test/postgres-setup.ts", "test/browser/global-setup.ts"],
  },
});
