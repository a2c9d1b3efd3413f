// The service in a child process, seen from the bench: start it on a data
// directory, wait for its URL, watch its memory, stop it gracefully.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ServerConfig } from "@trailproof/server";
import { currentRssMb, RssSampler } from "./rss-sampler.js";

export interface ServerChild {
  pid: number;
  url: string;
  /** Only on a fresh data directory. */
  operatorKey: string | null;
  rss: RssSampler;
  /** Resident memory once listening, before any request. */
  startRssMb: number;
  close(): Promise<void>;
}

export interface ServerChildOptions {
  dataDir: string;
  logLevel: string;
  /** Write a V8 CPU profile of the server here when it exits. */
  cpuProfDir?: string;
}

const ENTRY = fileURLToPath(new URL("./server-process.ts", import.meta.url));

export function startServerChild(options: ServerChildOptions): Promise<ServerChild> {
  // The bench drives far more requests per key than the default per-minute limit allows.
  const config: Partial<ServerConfig> = {
    dataDir: options.dataDir,
    logLevel: options.logLevel,
    rateLimitPerMinute: 100_000_000,
  };
  const child = fork(ENTRY, [], {
    execArgv: [
      "--import",
      "tsx",
      ...(options.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`] : []),
    ],
    env: { ...process.env, BENCH_SERVER_CONFIG: JSON.stringify(config) },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("the server did not start within 60 s"));
    }, 60_000);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} before it was ready`));
    });
    child.once("message", (m: { type: string; url: string; operatorKey: string | null }) => {
      clearTimeout(timer);
      const pid = child.pid as number;
      resolve({
        pid,
        url: m.url,
        operatorKey: m.operatorKey,
        rss: new RssSampler(pid),
        startRssMb: currentRssMb(pid),
        close: async () => {
          child.send("close");
          const kill = setTimeout(() => child.kill("SIGKILL"), 60_000);
          await exited;
          clearTimeout(kill);
        },
      });
    });
  });
}
