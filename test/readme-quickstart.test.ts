// Keeps the README's curl session true: runs it, as written, with bash and
// curl against a real server on a free port.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DEFAULT_CONFIG, type RunningServer, startServer } from "@trailproof/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
let server: RunningServer;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "trailproof-readme-"));
  server = await startServer({ ...DEFAULT_CONFIG, dataDir, port: 0, logLevel: "silent" }, () => undefined);
});
afterAll(async () => {
  await server?.close();
});

function curlSession(): string {
  const readme = readFileSync(join(import.meta.dirname, "../README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### A curl session"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error("README has no curl session");
  return block;
}

describe("README quick start", () => {
  it("runs the curl session as written", async () => {
    const port = new URL(server.url).port;
    const script = `set -euo pipefail\n${curlSession().replaceAll("localhost:8080", `127.0.0.1:${port}`)}`;
    const { stdout } = await run("bash", ["-c", script], {
      env: { ...process.env, ADMIN: server.created.demoAdminKey as string },
    });
    // One JSON answer a line: the ingest receipt, the search, the event, the key.
    const [sent, search, fetched, key] = stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(sent.results).toEqual([expect.objectContaining({ id: "evt_quickstart_1", status: "created" })]);
    // The search's first page holds the event just sent, not only the demo's events.
    expect(search.events.map((e: { event: { id: string } }) => e.event.id)).toEqual(["evt_quickstart_1"]);
    expect(fetched).toMatchObject({
      event: { id: "evt_quickstart_1" },
      proof: { inclusion: { index: sent.results[0].index } },
    });
    expect(key).toMatchObject({ verifier_key: expect.stringMatching(/^trailproof\.localhost\/log\/demo\+/) });
  }, 60_000);
});
