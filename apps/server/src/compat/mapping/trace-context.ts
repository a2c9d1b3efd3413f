// W3C Trace Context ids as the envelope's context.trace_id and span_id take
// them: lower-case hex, 32 and 16 digits, not all zero (the spec's invalid
// value). Sources send them in their own fields (an OTLP record's traceId, a
// CloudEvent's traceparent extension, an OPA decision's trace_id); untrusted.

const TRACE_ID = /^(?!0{32}$)[0-9a-f]{32}$/;
const SPAN_ID = /^(?!0{16}$)[0-9a-f]{16}$/;
const TRACEPARENT = /^[0-9a-f]{2}-((?!0{32})[0-9a-f]{32})-((?!0{16})[0-9a-f]{16})-[0-9a-f]{2}$/;

/** True for a valid trace id. */
export function isTraceId(value: string | undefined): value is string {
  return value !== undefined && TRACE_ID.test(value);
}

/** True for a valid span (parent) id. */
export function isSpanId(value: string | undefined): value is string {
  return value !== undefined && SPAN_ID.test(value);
}

/** The trace and parent span ids of a `traceparent` value; undefined when it is none. */
export function parseTraceparent(value: string | undefined): { traceId: string; spanId: string } | undefined {
  const match = TRACEPARENT.exec(value ?? "");
  return match ? { traceId: match[1] as string, spanId: match[2] as string } : undefined;
}
