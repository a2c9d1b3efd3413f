// The trailproof command line: thin commands over core and ledger. Every
// failure is one line on stderr and exit 2 when the input is the operator's to
// fix (output.ts); --debug adds the stack.
import { readFileSync } from "node:fs";
import { TrailproofError } from "@trailproof/core";
import { Command, CommanderError } from "commander";
import { registerApiKeyCommands } from "./commands/api-key.js";
import { registerBackupCommand } from "./commands/backup.js";
import { registerCheckpointCommands } from "./commands/checkpoint.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerExportCommand } from "./commands/export.js";
import { registerIngestCommand } from "./commands/ingest.js";
import { registerInitCommand } from "./commands/init.js";
import { registerMasterKeyCommands } from "./commands/master-key.js";
import { registerMigrateCommand } from "./commands/migrate.js";
import { registerMirrorCommand } from "./commands/mirror.js";
import { registerPlatformKeyCommands } from "./commands/platform-key.js";
import { registerPruneCommand } from "./commands/prune.js";
import { registerRestoreCommand } from "./commands/restore.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerKeyCommands } from "./commands/signing-key.js";
import { registerSimulateCommand } from "./commands/simulate.js";
import { registerTenantCommands } from "./commands/tenant.js";
import { registerVerifyCommand } from "./commands/verify.js";
import { registerWitnessCommands, WITNESS_COMMANDS } from "./commands/witness.js";
import { requireExistingDataDir } from "./data-dir.js";
import type { DatabaseFlags } from "./database-options.js";
import { reportFailure } from "./output.js";

// apps/cli/package.json, beside both src/ and the compiled dist/.
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

/** Commands that may create a store where --data points; every other one MUST find an existing one. */
const CREATES_STORE = new Set(["serve", "init", "demo", "tenant create", "restore", ...WITNESS_COMMANDS]);

const program = new Command()
  .name("trailproof")
  .description("Tamper-evident audit logs for no-code and low-code platforms.")
  .version(version, "-V, --version", "print the version")
  .option("--debug", "show the stack of a failure")
  // Set before the commands are added, which inherit them: commander's usage
  // errors become one line and a thrown CommanderError instead of process.exit.
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(`${text.trim().replace(/\s*\n\s*/g, " ")}\n`) })
  .hook("preAction", (_program, action) => {
    const name = commandPath(action);
    const opts = action.opts<
      DatabaseFlags & {
        bundle?: string;
        erasureReceipt?: string;
        report?: string;
        tiles?: string;
        proof?: string;
        port?: string;
      }
    >();
    if (opts.port !== undefined) requirePort(opts.port);
    // A bundle, an erasure receipt, a report, a tile copy or a proof is verified from itself alone.
    const opensStore =
      action.options.some((o) => o.long === "--data") &&
      opts.bundle === undefined &&
      opts.erasureReceipt === undefined &&
      opts.report === undefined &&
      opts.tiles === undefined &&
      opts.proof === undefined;
    if (opensStore && !CREATES_STORE.has(name)) requireExistingDataDir(opts);
  });

registerServeCommand(program);
registerMasterKeyCommands(program);
registerInitCommand(program);
registerTenantCommands(program);
registerApiKeyCommands(program);
registerPlatformKeyCommands(program);
registerIngestCommand(program);
registerCheckpointCommands(program);
registerPruneCommand(program);
registerKeyCommands(program);
registerVerifyCommand(program);
registerMigrateCommand(program);
registerExportCommand(program);
registerMirrorCommand(program);
registerBackupCommand(program);
registerRestoreCommand(program);
registerDemoCommand(program);
registerSimulateCommand(program);
registerWitnessCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Commander has already printed its own line (or the help, or the version).
  if (err instanceof CommanderError) process.exitCode = err.exitCode === 0 ? 0 : 2;
  else process.exitCode = reportFailure(err, program.opts().debug === true || process.argv.includes("--debug"));
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** --port as a TCP port, refused here with its value rather than as a RangeError from listen(). */
function requirePort(text: string): void {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new TrailproofError(
      "CONFIG_INVALID",
      `--port must be a TCP port from 0 to 65535, not ${JSON.stringify(text)} (or set TRAILPROOF_PORT)`,
    );
  }
}
