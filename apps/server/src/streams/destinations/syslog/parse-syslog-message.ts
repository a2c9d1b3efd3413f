// Reads an RFC 5424 message (section 6) back into its fields, for tests and
// for a consumer checking what a stream sent: the header, every SD-ELEMENT
// with its unescaped parameters (section 6.3.3) and MSG without its BOM.

export interface ParsedSyslogMessage {
  pri: number;
  facility: number;
  severity: number;
  version: number;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  /** SD-ID to its parameters; empty for NILVALUE. */
  structuredData: Record<string, Record<string, string>>;
  /** MSG, the BOM removed; `bom` says whether it was there. */
  msg: string;
  bom: boolean;
}

const HEADER = /^<([0-9]{1,3})>([1-9][0-9]{0,2}) (\S+) (\S+) (\S+) (\S+) (\S+) /;

/** Parses one message (untrusted); throws an Error naming the first thing that does not fit. */
export function parseSyslogMessage(text: string): ParsedSyslogMessage {
  const m = HEADER.exec(text);
  if (m === null) throw new Error("not an RFC 5424 header");
  const pri = Number(m[1]);
  if (pri > 191) throw new Error(`PRI ${pri} is above 191`);
  let at = m[0].length;
  const structuredData: Record<string, Record<string, string>> = {};
  if (text[at] === "-") {
    at += 1;
  } else {
    while (text[at] === "[") at = readElement(text, at, structuredData);
    if (at === m[0].length) throw new Error("no STRUCTURED-DATA");
  }
  let msg = "";
  if (at < text.length) {
    if (text[at] !== " ") throw new Error(`unexpected ${JSON.stringify(text[at])} after STRUCTURED-DATA`);
    msg = text.slice(at + 1);
  }
  const bom = msg.startsWith("\uFEFF");
  return {
    pri,
    facility: pri >> 3,
    severity: pri & 7,
    version: Number(m[2]),
    timestamp: m[3] as string,
    hostname: m[4] as string,
    appName: m[5] as string,
    procId: m[6] as string,
    msgId: m[7] as string,
    structuredData,
    msg: bom ? msg.slice(1) : msg,
    bom,
  };
}

/** Reads `[id name="value" ...]` at `start`; returns the index after `]`. */
function readElement(text: string, start: number, into: Record<string, Record<string, string>>): number {
  const idEnd = nameEnd(text, start + 1);
  const id = text.slice(start + 1, idEnd);
  if (id === "") throw new Error(`empty SD-ID at ${start}`);
  const params: Record<string, string> = {};
  let at = idEnd;
  while (text[at] === " ") {
    const end = nameEnd(text, at + 1);
    const name = text.slice(at + 1, end);
    if (name === "" || text.slice(end, end + 2) !== '="') throw new Error(`bad SD-PARAM at ${at}`);
    at = end + 2;
    let value = "";
    while (at < text.length && text[at] !== '"') {
      // Section 6.3.3: a backslash escapes only `"`, `\` and `]`; before anything else it is itself.
      if (text[at] === "\\" && (text[at + 1] === '"' || text[at + 1] === "\\" || text[at + 1] === "]")) at += 1;
      value += text[at];
      at += 1;
    }
    if (at >= text.length) throw new Error("unterminated PARAM-VALUE");
    params[name] = value;
    at += 1;
  }
  if (text[at] !== "]") throw new Error(`SD-ELEMENT at ${start} is not closed`);
  into[id] = params;
  return at + 1;
}

function nameEnd(text: string, from: number): number {
  let at = from;
  while (at < text.length && !' =]"'.includes(text[at] as string)) at += 1;
  return at;
}
