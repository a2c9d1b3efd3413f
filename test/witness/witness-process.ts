// Test helpers: `trailproof witness serve` as a real child process (started,
// its printed key and URL read, stopped with SIGTERM), and one raw
// add-checkpoint POST to it.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { toBase64 } from "@trailproof/core";
import { ROOT, TRAILPROOF_BIN } from "../run-cli.js";

export interface WitnessProcess {
  url: string;
  vkey: string;
  port: number;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts the witness on `port` (0: any free one) and resolves once it listens. */
export async function startWitness(dir: string, port = 0, extra: string[] = []): Promise<WitnessProcess> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TRAILPROOF_")));
  const proc: ChildProcess = spawn(
    process.execPath,
    [TRAILPROOF_BIN, "witness", "serve", "--data", dir, "--port", String(port), ...extra],
    { cwd: ROOT, env: clean, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  proc.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = once(proc, "exit");
  const ready = await new Promise<{ url: string; vkey: string }>((resolve, reject) => {
    proc.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
      const vkey = /^witness (\S+)$/m.exec(stdout)?.[1];
      const url = /listening on (http:\/\/\S+)\/add-checkpoint/.exec(stdout)?.[1];
      if (vkey && url) resolve({ url, vkey });
    });
    void exited.then(([code]) => reject(new Error(`witness exited (${code}) before listening: ${stderr}`)));
  });
  return {
    ...ready,
    port: Number(new URL(ready.url).port),
    stderr: () => stderr,
    stop: async () => {
      if (proc.exitCode !== null) return;
      proc.kill("SIGTERM");
      await exited;
    },
  };
}

export async function postCheckpoint(
  url: string,
  oldSize: number,
  proof: readonly Uint8Array[],
  note: string,
): Promise<{ status: number; contentType: string | null; body: string }> {
  const body = `old ${oldSize}\n${proof.map((h) => `${toBase64(h)}\n`).join("")}\n${note}`;
  const res = await fetch(`${url}/add-checkpoint`, { method: "POST", body });
  return { status: res.status, contentType: res.headers.get("content-type"), body: await res.text() };
}
