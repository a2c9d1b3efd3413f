// Which NATS destination configurations a stream may have (docs/nats.md):
// nats:// server URLs with no credentials in them (the
// token is the stream's sealed secret, never its stored configuration), and
// a subject a publisher may use: dot-separated tokens, no wildcards, no
// whitespace, not one of the server's own `$` subjects.
import type { Problem } from "@trailproof/core";
import type { NatsDestinationConfig } from "../../stream-types.js";

export const MAX_NATS_SERVERS = 16;
const MAX_SUBJECT_LENGTH = 255;

/** Every problem with `config`, each with its JSON pointer under `pointer`; empty when it may be used. */
export function natsConfigProblems(
  config: Pick<NatsDestinationConfig, "servers" | "subject">,
  pointer = "/body/destination",
): Problem[] {
  const problems: Problem[] = [];
  if (config.servers.length === 0) problems.push({ pointer: `${pointer}/servers`, message: "must name a server" });
  if (config.servers.length > MAX_NATS_SERVERS) {
    problems.push({ pointer: `${pointer}/servers`, message: `must name at most ${MAX_NATS_SERVERS} servers` });
  }
  config.servers.forEach((server, i) => {
    for (const message of serverProblems(server)) problems.push({ pointer: `${pointer}/servers/${i}`, message });
  });
  for (const message of subjectProblems(config.subject)) problems.push({ pointer: `${pointer}/subject`, message });
  return problems;
}

function serverProblems(server: string): string[] {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return ["is not a nats://host:port URL"];
  }
  const problems: string[] = [];
  // The destination has no TLS settings (NatsDestinationConfig), so tls:// would promise what it does not do.
  if (url.protocol !== "nats:") problems.push(`must use the nats scheme, not ${url.protocol.replace(/:$/, "")}`);
  if (url.hostname === "") problems.push("must name a host");
  if (url.username !== "" || url.password !== "") {
    problems.push("must not carry credentials (the token is the stream's secret)");
  }
  if ((url.pathname !== "" && url.pathname !== "/") || url.search !== "" || url.hash !== "") {
    problems.push("must be only scheme, host and port");
  }
  return problems;
}

function subjectProblems(subject: string): string[] {
  if (subject === "") return ["must not be empty"];
  const problems: string[] = [];
  if (subject.length > MAX_SUBJECT_LENGTH) problems.push(`must be at most ${MAX_SUBJECT_LENGTH} characters`);
  if (/\s/.test(subject)) problems.push("must not contain whitespace");
  const tokens = subject.split(".");
  if (tokens.some((t) => t === "")) problems.push("must not have an empty token (a leading, trailing or double dot)");
  if (tokens.some((t) => t === "*" || t === ">")) problems.push("must not contain a wildcard (* or >)");
  if (subject.startsWith("$")) problems.push("must not be one of the server's own $ subjects");
  return problems;
}
