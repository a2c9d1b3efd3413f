// The CEF format's public surface: the stream formatter and the line reader.
export { buildCefFormatter, cefFormatter } from "./cef-formatter.js";
export { type ParsedCef, parseCef } from "./parse-cef.js";
