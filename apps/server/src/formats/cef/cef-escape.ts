// ArcSight CEF escaping (Common Event Format, "Character Encoding"): in the
// header a backslash and a pipe are escaped with a backslash; in extension
// values a backslash and an equals sign are, and line breaks are written as
// \n and \r. Keys are never escaped: they are the dictionary's names.

/** A header field. CEF has no line breaks in the header: each becomes a space, so the line stays one line. */
export function escapeCefHeader(value: string): string {
  return value.replace(/[\\|]/g, (ch) => `\\${ch}`).replace(/\r\n|[\r\n]/g, " ");
}

/** An extension value. */
export function escapeCefValue(value: string): string {
  return value.replace(/[\\=\r\n]/g, (ch) => (ch === "\n" ? "\\n" : ch === "\r" ? "\\r" : `\\${ch}`));
}

/** The inverse of escapeCefHeader for everything but the line breaks it replaced. */
export function unescapeCefHeader(value: string): string {
  return value.replace(/\\([\\|])/g, "$1");
}

/** The inverse of escapeCefValue. A backslash before any other character is kept as it is. */
export function unescapeCefValue(value: string): string {
  return value.replace(/\\([\\=nr])/g, (_, ch: string) => (ch === "n" ? "\n" : ch === "r" ? "\r" : ch));
}
