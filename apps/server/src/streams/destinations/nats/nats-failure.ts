// Turns what the NATS client threw into the short cause a stream records as
// its last error. Errors are told apart by name, not class, since the
// client's packages each define their own. Nothing of the token, the servers
// or the message body goes into the cause.

/** A failed publish or connect, as a short cause, and whether the connection is still fit to use. */
export interface NatsFailure {
  cause: string;
  /** True when the connection should be dropped and the next send connect afresh. */
  dropConnection: boolean;
}

export function describeNatsFailure(err: unknown): NatsFailure {
  const name = err instanceof Error ? err.name : "";
  switch (name) {
    case "NoResponders":
    case "JetStreamNotEnabled":
      // Nothing answered on the subject: no JetStream stream captures it (or JetStream is off).
      return { cause: "no JetStream stream bound to the subject", dropConnection: false };
    case "JetStreamApiError":
    case "JetStreamError":
      return { cause: `publish refused: ${shorten((err as Error).message)}`, dropConnection: false };
    case "TimeoutError":
      return { cause: "publish ack timed out", dropConnection: true };
    case "InvalidArgumentError":
      return { cause: "message exceeds the server's max_payload", dropConnection: false };
    case "AuthorizationError":
    case "UserAuthenticationExpiredError":
      return { cause: "authorization failed", dropConnection: true };
    case "PermissionViolationError":
      return { cause: "not permitted to publish to the subject", dropConnection: false };
    case "ClosedConnectionError":
    case "DrainingConnectionError":
    case "ConnectionError":
      return { cause: "connection lost", dropConnection: true };
    default:
      return { cause: "publish failed", dropConnection: true };
  }
}

/** The cause of a failed connect. */
export function describeNatsConnectFailure(err: unknown): string {
  const name = err instanceof Error ? err.name : "";
  if (name === "AuthorizationError" || name === "UserAuthenticationExpiredError") return "authorization failed";
  if (name === "TimeoutError") return "connect timed out";
  if (name === "ConnectionError" && /refused/i.test((err as Error).message)) return "connection refused";
  return "connect failed";
}

/** A server's description, one line and bounded: it reaches the stream's health. */
function shorten(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
