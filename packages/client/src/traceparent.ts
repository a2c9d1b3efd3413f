// W3C Trace Context (https://www.w3.org/TR/trace-context/ section 3.2): the
// traceparent header "version-traceid-parentid-flags". The header comes from
// the caller of the platform, so anything malformed is ignored, never thrown.

export interface TraceIds {
  /** 32 lowercase hex digits, not all zero. */
  trace_id: string;
  /** 16 lowercase hex digits, not all zero: the caller's span. */
  span_id: string;
}

const VERSION_00 = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;
// A later version may append fields after the flags, separated by "-".
const LATER_VERSION = /^(?!ff)[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-.*)?$/;

/** The trace and parent ids of a traceparent header, or undefined when it is absent or invalid. */
export function parseTraceparent(header: string | readonly string[] | undefined | null): TraceIds | undefined {
  // Several traceparent headers make the context ambiguous: the spec says to ignore them.
  if (header === undefined || header === null || typeof header !== "string") return undefined;
  const text = header.trim();
  const match = text.startsWith("00-") ? VERSION_00.exec(text) : LATER_VERSION.exec(text);
  if (!match) return undefined;
  const [, traceId, spanId] = match as unknown as [string, string, string];
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { trace_id: traceId, span_id: spanId };
}
