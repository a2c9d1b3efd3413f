// RFC 6587 section 3.4.1 octet-counting framing, which RFC 5425 section 4.3
// mandates over TLS: "MSG-LEN SP SYSLOG-MSG", MSG-LEN the message's length
// in bytes (not characters: a UTF-8 body counts every byte).

/** One framed message, ready to write. */
export function frameMessage(message: string): Buffer {
  const body = Buffer.from(message, "utf8");
  return Buffer.concat([Buffer.from(`${body.length} `, "ascii"), body]);
}

/**
 * The messages in `bytes`, a stream of whole frames (a test reading what was
 * sent). Throws on a malformed or truncated frame: untrusted input fails loudly.
 */
export function parseFrames(bytes: Buffer): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    const space = bytes.indexOf(0x20, at);
    const digits = space < 0 ? "" : bytes.subarray(at, space).toString("ascii");
    if (!/^[1-9][0-9]{0,8}$/.test(digits)) throw new Error(`no MSG-LEN at byte ${at}`);
    const end = space + 1 + Number(digits);
    if (end > bytes.length) throw new Error(`frame at byte ${at} is truncated`);
    out.push(bytes.subarray(space + 1, end).toString("utf8"));
    at = end;
  }
  return out;
}
