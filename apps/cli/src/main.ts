// The trailproof command line: thin commands over core and ledger.
import { Command } from "commander";
import { registerApiKeyCommands } from "./commands/api-key.js";
import { registerCheckpointCommands } from "./commands/checkpoint.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerExportCommand } from "./commands/export.js";
import { registerIngestCommand } from "./commands/ingest.js";
import { registerInitCommand } from "./commands/init.js";
import { registerMasterKeyCommands } from "./commands/master-key.js";
import { registerMigrateCommand } from "./commands/migrate.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerKeyCommands } from "./commands/signing-key.js";
import { registerSimulateCommand } from "./commands/simulate.js";
import { registerTenantCommands } from "./commands/tenant.js";
import { registerVerifyCommand } from "./commands/verify.js";
import { reportFailure } from "./output.js";

const program = new Command()
  .name("trailproof")
  .description("Tamper-evident audit logs for no-code and low-code platforms.")
  .showHelpAfterError();

registerServeCommand(program);
registerMasterKeyCommands(program);
registerInitCommand(program);
registerTenantCommands(program);
registerApiKeyCommands(program);
registerIngestCommand(program);
registerCheckpointCommands(program);
registerKeyCommands(program);
registerVerifyCommand(program);
registerMigrateCommand(program);
registerExportCommand(program);
registerDemoCommand(program);
registerSimulateCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = reportFailure(err);
}
