// One JSON API call to a benchmark's server child for its setup (create a
// stream, a rule, a tenant...): a fresh connection, the answer parsed, and
// any status of 300 or more thrown with its body so a broken setup stops the run.
import { Agent } from "node:http";
import { httpCall } from "./http-load.js";
import type { ServerChild } from "./server-child.js";

export async function callServer(
  server: ServerChild,
  key: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const agent = new Agent();
  try {
    const res = await httpCall(agent, `${server.url}${path}`, {
      method,
      key,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.body}`);
    return JSON.parse(res.body) as Record<string, unknown>;
  } finally {
    agent.destroy();
  }
}
