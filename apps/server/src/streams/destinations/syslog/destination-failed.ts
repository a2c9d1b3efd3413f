// The error a syslog send or connect fails with: STREAM_DESTINATION_FAILED
// (the streams' one StreamDestinationError) and a short cause the stream
// shows as its last error. The cause names the receiver and the socket's
// error code, never a message body.
import { StreamDestinationError } from "../../destination-error.js";

export function destinationFailed(what: string, err: unknown): StreamDestinationError {
  const code = (err as { code?: unknown } | null)?.code;
  const reason = typeof code === "string" ? code : err instanceof Error ? err.message : String(err);
  return new StreamDestinationError(`syslog ${what}: ${reason}`, { cause: err });
}
