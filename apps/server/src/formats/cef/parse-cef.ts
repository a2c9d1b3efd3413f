// Reads one CEF line back (ArcSight Common Event Format): the seven header
// fields split at unescaped pipes, and the extension's key=value pairs split
// at unescaped equals signs, every value unescaped. For tests that check a
// round trip, and for a consumer that wants the fields without a SIEM.

export interface ParsedCef {
  version: number;
  vendor: string;
  product: string;
  productVersion: string;
  signatureId: string;
  name: string;
  severity: string;
  extension: Record<string, string>;
}

import { unescapeCefHeader, unescapeCefValue } from "./cef-escape.js";

/** Parses `line` (untrusted), which may follow a syslog header; throws an Error on a line that is not CEF. */
export function parseCef(line: string): ParsedCef {
  const start = line.indexOf("CEF:");
  if (start < 0) throw new Error("no CEF: prefix");
  const fields: string[] = [];
  let at = start;
  let fieldStart = start;
  while (fields.length < 7) {
    if (at >= line.length) throw new Error(`CEF header has ${fields.length} of 7 fields`);
    if (line[at] === "\\") at += 2;
    else if (line[at] === "|") {
      fields.push(line.slice(fieldStart, at));
      at += 1;
      fieldStart = at;
    } else at += 1;
  }
  const version = /^CEF:([0-9]+)$/.exec(fields[0] as string);
  if (version === null) throw new Error("bad CEF version");
  const [, vendor, product, productVersion, signatureId, name, severity] = fields.map(unescapeCefHeader) as string[];
  return {
    version: Number(version[1]),
    vendor: vendor as string,
    product: product as string,
    productVersion: productVersion as string,
    signatureId: signatureId as string,
    name: name as string,
    severity: severity as string,
    extension: parseExtension(line.slice(at)),
  };
}

const KEY = /^[A-Za-z0-9_.[\]-]+$/;

/**
 * Every unescaped `=` ends a key: the key is the word before it, and the
 * value before it runs to the space that precedes that key.
 */
function parseExtension(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const equals: number[] = [];
  for (let at = 0; at < text.length; at += 1) {
    if (text[at] === "\\") at += 1;
    else if (text[at] === "=") equals.push(at);
  }
  let keyStart = 0;
  for (let i = 0; i < equals.length; i += 1) {
    const eq = equals[i] as number;
    const key = text.slice(keyStart, eq);
    if (!KEY.test(key)) throw new Error(`bad extension key ${JSON.stringify(key)}`);
    const next = equals[i + 1];
    const valueEnd = next === undefined ? text.length : text.lastIndexOf(" ", next);
    if (valueEnd < eq) throw new Error(`no space before the key ending at ${next}`);
    out[key] = unescapeCefValue(text.slice(eq + 1, valueEnd));
    keyStart = valueEnd + 1;
  }
  if (equals.length === 0 && text.trim() !== "") throw new Error("extension without key=value");
  return out;
}
