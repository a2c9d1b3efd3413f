// `trailproof witness init|add-log|serve`: a C2SP tlog-witness of its own,
// with its own key and directory (docs/witness.md). It cosigns a log's
// checkpoints only when they are consistent with the last one it cosigned.
import { portableHasher } from "@trailproof/core";
import type { Command } from "commander";
import { Witness } from "../witness/add-checkpoint.js";
import { addTrustedLog, initWitnessKey, readTrustedLogs, trustedVerifiers } from "../witness/witness-dir.js";
import { createWitnessServer } from "../witness/witness-server.js";
import { WitnessState } from "../witness/witness-state.js";

/** The witness commands: their --data is the witness's own directory, never a log's data directory. */
export const WITNESS_COMMANDS = ["witness init", "witness add-log", "witness serve"];

interface WitnessFlags {
  data: string;
  name?: string;
  origin?: string;
  key?: string;
  port?: string;
  host?: string;
}

export function registerWitnessCommands(program: Command): void {
  const witness = program.command("witness").description("run a transparency-log witness that cosigns checkpoints");

  witness
    .command("init")
    .description("make the witness's key in --data (kept if it exists) and print its verifier key")
    .requiredOption("--data <dir>", "the witness's directory")
    .requiredOption("--name <name>", "the witness's key name, e.g. witness.example.com/w1")
    .action((opts: WitnessFlags) => {
      const { cosigner, created } = initWitnessKey(opts.data, opts.name);
      if (!created) process.stderr.write(`${opts.data} already holds this witness's key; kept\n`);
      process.stdout.write(`${cosigner.verifierKey}\n`);
    });

  witness
    .command("add-log")
    .description("trust a log's checkpoint verifier key for its origin")
    .requiredOption("--data <dir>", "the witness's directory")
    .requiredOption("--origin <origin>", "the log's origin line (GET /v1/log/key: origin)")
    .requiredOption("--key <vkey>", "the log's verifier key (GET /v1/log/key: verifier_key)")
    .action((opts: WitnessFlags) => {
      const log = addTrustedLog(opts.data, opts.origin as string, opts.key as string);
      process.stdout.write(`trusting ${log.keys.length} key(s) for ${log.origin}\n`);
    });

  witness
    .command("serve")
    .description("serve POST /add-checkpoint; makes the key on first start when --name is given")
    .requiredOption("--data <dir>", "the witness's directory")
    .option("--name <name>", "the key name, when the directory has no key yet")
    .option("--port <port>", "TCP port", "7380")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .action(async (opts: WitnessFlags) => {
      const { cosigner } = initWitnessKey(opts.data, opts.name);
      const logs = trustedVerifiers(opts.data);
      const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
      const server = createWitnessServer(
        new Witness({
          cosigner,
          logs,
          state: new WitnessState(opts.data),
          hasher: portableHasher,
          now: () => new Date(),
          onRefused: (origin, status, reason) => log(`refused ${origin} (${status}): ${reason}`),
        }),
        (err) => log(`error: ${err instanceof Error ? err.message : String(err)}`),
      );
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(Number(opts.port), opts.host, () => resolve());
      });
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : opts.port;
      const origins = readTrustedLogs(opts.data).map((l) => l.origin);
      process.stdout.write(`witness ${cosigner.verifierKey}\n`);
      process.stdout.write(
        `listening on http://${opts.host}:${port}/add-checkpoint for ${origins.length} log(s)${origins.length ? `: ${origins.join(", ")}` : ""}\n`,
      );
      const stop = () => server.close(() => process.exit(0));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
}
