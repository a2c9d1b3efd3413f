// The one table from error codes to HTTP statuses (RFC 9110). Anything not
// listed is a 500 whose message is never echoed.

const STATUS: Record<string, number> = {
  // 400: the request itself is wrong.
  REQUEST_INVALID: 400,
  REQUEST_METHOD_NOT_ALLOWED: 405,
  REQUEST_EXPECTATION_FAILED: 417,
  REQUEST_MALFORMED_JSON: 400,
  JSON_MALFORMED: 400,
  EVENT_INVALID: 400,
  EVENT_TIMESTAMP_INVALID: 400,
  CANONICAL_UNSUPPORTED_VALUE: 400,
  SEARCH_QUERY_INVALID: 400,
  SEARCH_CURSOR_INVALID: 400,
  STATS_TOO_MANY_BUCKETS: 400,
  PROOF_SIZE_OUT_OF_RANGE: 400,
  LOG_RANGE_INVALID: 400,
  SCHEMA_INVALID: 400,
  TENANT_NAME_INVALID: 400,
  KEY_NAME_INVALID: 400,
  PASSWORD_INVALID: 400,
  PERSON_INVALID: 400,
  BUNDLE_MALFORMED: 400,
  // 401 / 403: who is asking, and may they.
  AUTH_MISSING: 401,
  AUTH_INVALID: 401,
  AUTH_FORBIDDEN: 403,
  AUTH_CSRF: 403,
  // 404: absent, or belonging to someone else (never an existence oracle).
  NOT_FOUND: 404,
  EVENT_NOT_FOUND: 404,
  KEY_NOT_FOUND: 404,
  PERSON_NOT_FOUND: 404,
  SCHEMA_NOT_FOUND: 404,
  TENANT_NOT_FOUND: 404,
  // 409: conflicts with what is recorded.
  TENANT_EXISTS: 409,
  PERSON_EXISTS: 409,
  SCHEMA_INCOMPATIBLE: 409,
  LAST_ADMIN: 409,
  // 408, 413, 415, 431: the request as it arrives (timing, sizes, media types).
  REQUEST_TIMEOUT: 408,
  REQUEST_TOO_LARGE: 413,
  BATCH_TOO_LARGE: 413,
  REQUEST_UNSUPPORTED_MEDIA_TYPE: 415,
  REQUEST_HEADERS_TOO_LARGE: 431,
  // 429, 503: come back later (with Retry-After).
  RATE_LIMITED: 429,
  // Admission control (ledger append/ingest-admission.ts): this tenant, then the whole service.
  INGEST_TENANT_OVERLOADED: 429,
  INGEST_OVERLOADED: 503,
  // Nodes over one database kept overtaking this node's append (write-entries.ts): retry.
  STORE_SEQUENCE_CONFLICT: 503,
  STORE_EVENT_ID_CONFLICT: 503,
  LEDGER_CLOSED: 503,
  SERVICE_UNAVAILABLE: 503,
};

export function httpStatusFor(code: string): number {
  return STATUS[code] ?? 500;
}

/** The RFC 9457 `type` URI of a problem code: a stable identifier, documented in docs/api.md. */
export function problemTypeFor(code: string): string {
  return `urn:trailproof:problem:${code.toLowerCase().replaceAll("_", "-")}`;
}
