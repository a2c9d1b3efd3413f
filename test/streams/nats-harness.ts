// A nats-server of a test's own: the machine's binary on a free port, with
// JetStream, token auth and its own store directory, so a test can kill it
// and start it again (the store kept) without disturbing other tests or the
// machine's shared server.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { freePort } from "./rsyslog-harness.js";

export const NATS_SERVER = "/usr/sbin/nats-server";
export const TOKEN = "s3cret-token-for-the-test";

/** A nats-server of the test's own, with JetStream and token auth; start() again after kill() reuses its store. */
export class OwnNatsServer {
  readonly storeDir = mkdtempSync(join(tmpdir(), "tp-nats-"));
  port = 0;
  #child: ChildProcess | undefined;

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    const child = spawn(
      NATS_SERVER,
      ["-a", "127.0.0.1", "-p", String(this.port), "-js", "-sd", this.storeDir, "--auth", TOKEN],
      { stdio: "ignore" },
    );
    this.#child = child;
    const end = Date.now() + 15_000;
    for (;;) {
      try {
        const nc = await connect({ servers: [this.url], token: TOKEN, timeout: 1000, reconnect: false });
        await nc.close();
        return;
      } catch (err) {
        if (Date.now() > end || child.exitCode !== null) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Kills the server outright (SIGKILL): connections drop without a goodbye. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }

  async remove(): Promise<void> {
    await this.kill();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}
