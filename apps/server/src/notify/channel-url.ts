// Which webhook URLs a channel may have: https anywhere, plain http only to
// the machine itself (127.0.0.1, ::1, localhost) or to hosts the operator
// lists in TRAILPROOF_NOTIFY_HTTP_HOSTS. No credentials in the URL.

/** Problems with `url` as a channel's URL, each with its JSON pointer; empty when it may be used. */
export function channelUrlProblems(
  url: string,
  httpHosts: readonly string[],
  pointer = "/body/url",
): { pointer: string; message: string }[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [{ pointer, message: "is not an absolute URL" }];
  }
  const problems: { pointer: string; message: string }[] = [];
  const host = parsed.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (parsed.protocol === "http:") {
    const local = host === "127.0.0.1" || host === "::1" || host === "localhost";
    if (!local && !httpHosts.includes(host)) {
      problems.push({
        pointer,
        message: `must use https (plain http only to 127.0.0.1, localhost or a host in TRAILPROOF_NOTIFY_HTTP_HOSTS), not http://${host}`,
      });
    }
  } else if (parsed.protocol !== "https:") {
    problems.push({ pointer, message: `must be an https URL, not ${parsed.protocol.replace(/:$/, "")}` });
  }
  if (parsed.username !== "" || parsed.password !== "") {
    problems.push({ pointer, message: "must not carry a user name or password" });
  }
  if (parsed.hash !== "") problems.push({ pointer, message: "must not have a fragment" });
  return problems;
}

/** The URL's origin, what the log records of it (the path and query of a Slack URL are its credential). */
export function urlOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "invalid";
  }
}
