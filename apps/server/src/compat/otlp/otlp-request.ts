// Reads an ExportLogsServiceRequest in its OTLP/JSON shape (the JSON body,
// or the protobuf body as otlp-proto.ts decodes it) into flat log records,
// each carrying its resource and scope. AnyValues become plain JSON: ints as
// numbers (decimal strings beyond 2^53), bytes as base64, kvlists as objects.
// Everything here is untrusted input: a shape OTLP does not allow is a
// malformed request (400, nothing written), unknown fields are ignored as the
// OTLP/JSON rules say.
import type { JsonObject, JsonValue } from "@trailproof/core";
import { HttpProblem } from "../../http/problem.js";

export interface OtlpLogRecord {
  /** Where the record sits in the request, e.g. resourceLogs/0/scopeLogs/1/logRecords/2. */
  pointer: string;
  resource: JsonObject;
  scope: { name?: string; version?: string; attributes?: JsonObject };
  /** Nanoseconds since the epoch as a decimal string; "0" when unknown. */
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber?: number;
  severityText?: string;
  body?: JsonValue;
  attributes: JsonObject;
  /** Lower-case hex, as sent (checked when mapped). */
  traceId?: string;
  spanId?: string;
  flags?: number;
  eventName?: string;
}

/** Nesting allowed inside one AnyValue: deeper values could not be stored anyway (MAX_EVENT_DEPTH). */
const MAX_VALUE_DEPTH = 24;

function malformed(pointer: string, message: string): never {
  throw new HttpProblem("REQUEST_INVALID", `the body is not an OTLP ExportLogsServiceRequest: /${pointer} ${message}`, {
    problems: [{ pointer: `/${pointer}`, message }],
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function objectAt(value: unknown, pointer: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) malformed(pointer, "must be an object");
  return value;
}

function listAt(value: unknown, pointer: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) malformed(pointer, "must be an array");
  return value;
}

function stringAt(value: unknown, pointer: string): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") malformed(pointer, "must be a string");
  return value;
}

/** A 64-bit integer sent as a JSON number or a decimal string (both are allowed), as a decimal string. */
function int64At(value: unknown, pointer: string, signed: boolean): string {
  if (value === undefined || value === null) return "0";
  if (typeof value === "number" && Number.isSafeInteger(value) && (signed || value >= 0)) return String(value);
  if (typeof value === "string" && (signed ? /^-?[0-9]{1,20}$/ : /^[0-9]{1,20}$/).test(value)) {
    const n = BigInt(value);
    const fits = signed ? n >= -(2n ** 63n) && n < 2n ** 63n : n < 2n ** 64n;
    if (fits) return n.toString();
  }
  return malformed(
    pointer,
    `must be a ${signed ? "" : "non-negative "}64-bit integer, as a number or a decimal string`,
  );
}

function plainInt(decimal: string): number | string {
  const n = Number(decimal);
  return Number.isSafeInteger(n) ? n : decimal;
}

/** An AnyValue as plain JSON; an empty AnyValue (null, undefined) is null. */
export function parseAnyValue(value: unknown, pointer: string, depth = 0): JsonValue {
  if (depth > MAX_VALUE_DEPTH) malformed(pointer, `nests deeper than ${MAX_VALUE_DEPTH} levels`);
  if (value === undefined || value === null) return null;
  if (!isObject(value)) malformed(pointer, "must be an AnyValue object");
  if ("stringValue" in value && value.stringValue !== undefined) {
    if (typeof value.stringValue !== "string") malformed(`${pointer}/stringValue`, "must be a string");
    return value.stringValue;
  }
  if ("boolValue" in value && value.boolValue !== undefined) {
    if (typeof value.boolValue !== "boolean") malformed(`${pointer}/boolValue`, "must be a boolean");
    return value.boolValue;
  }
  if ("intValue" in value && value.intValue !== undefined) {
    return plainInt(int64At(value.intValue, `${pointer}/intValue`, true));
  }
  if ("doubleValue" in value && value.doubleValue !== undefined) {
    const d = value.doubleValue;
    if (typeof d === "number") return d;
    // proto3 JSON spells the non-finite doubles as strings.
    if (d === "NaN" || d === "Infinity" || d === "-Infinity") return d;
    if (typeof d === "string" && d.trim() !== "" && Number.isFinite(Number(d))) return Number(d);
    malformed(`${pointer}/doubleValue`, "must be a number");
  }
  if ("bytesValue" in value && value.bytesValue !== undefined) {
    if (typeof value.bytesValue !== "string" || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(value.bytesValue)) {
      malformed(`${pointer}/bytesValue`, "must be base64");
    }
    return value.bytesValue;
  }
  if ("arrayValue" in value && value.arrayValue !== undefined) {
    const array = objectAt(value.arrayValue, `${pointer}/arrayValue`);
    return listAt(array.values, `${pointer}/arrayValue/values`).map((v, i) =>
      parseAnyValue(v, `${pointer}/arrayValue/values/${i}`, depth + 1),
    );
  }
  if ("kvlistValue" in value && value.kvlistValue !== undefined) {
    const list = objectAt(value.kvlistValue, `${pointer}/kvlistValue`);
    return parseKeyValues(list.values, `${pointer}/kvlistValue/values`, depth + 1);
  }
  return null;
}

/**
 * KeyValues as an object. Keys are unique in OTLP; a repeated key keeps its
 * first value. Built with fromEntries so a key named __proto__ stays a plain
 * property (validation then refuses it) instead of reaching the prototype.
 */
export function parseKeyValues(value: unknown, pointer: string, depth = 0): JsonObject {
  const entries = new Map<string, JsonValue>();
  listAt(value, pointer).forEach((kv, i) => {
    const item = objectAt(kv, `${pointer}/${i}`);
    if (typeof item.key !== "string") malformed(`${pointer}/${i}/key`, "must be a string");
    if (!entries.has(item.key)) entries.set(item.key, parseAnyValue(item.value, `${pointer}/${i}/value`, depth));
  });
  return Object.fromEntries(entries);
}

function hexIdAt(value: unknown, pointer: string): string | undefined {
  const id = stringAt(value, pointer);
  if (id === undefined) return undefined;
  if (!/^[0-9a-fA-F]*$/.test(id)) malformed(pointer, "must be hex");
  return id.toLowerCase();
}

function parseRecord(
  value: unknown,
  pointer: string,
  resource: JsonObject,
  scope: OtlpLogRecord["scope"],
): OtlpLogRecord {
  const r = objectAt(value, pointer);
  const record: OtlpLogRecord = {
    pointer,
    resource,
    scope,
    timeUnixNano: int64At(r.timeUnixNano, `${pointer}/timeUnixNano`, false),
    observedTimeUnixNano: int64At(r.observedTimeUnixNano, `${pointer}/observedTimeUnixNano`, false),
    attributes: parseKeyValues(r.attributes, `${pointer}/attributes`),
  };
  if (r.severityNumber !== undefined && r.severityNumber !== null && r.severityNumber !== 0) {
    if (typeof r.severityNumber !== "number" || !Number.isInteger(r.severityNumber)) {
      malformed(`${pointer}/severityNumber`, "must be an integer");
    }
    record.severityNumber = r.severityNumber;
  }
  const severityText = stringAt(r.severityText, `${pointer}/severityText`);
  if (severityText !== undefined) record.severityText = severityText;
  if (r.body !== undefined && r.body !== null) record.body = parseAnyValue(r.body, `${pointer}/body`);
  const traceId = hexIdAt(r.traceId, `${pointer}/traceId`);
  if (traceId !== undefined) record.traceId = traceId;
  const spanId = hexIdAt(r.spanId, `${pointer}/spanId`);
  if (spanId !== undefined) record.spanId = spanId;
  if (typeof r.flags === "number" && r.flags !== 0) record.flags = r.flags;
  const eventName = stringAt(r.eventName, `${pointer}/eventName`);
  if (eventName !== undefined) record.eventName = eventName;
  return record;
}

/** Every log record of an ExportLogsServiceRequest (untrusted, OTLP/JSON shape), in request order. */
export function parseExportRequest(value: unknown): OtlpLogRecord[] {
  if (!isObject(value)) malformed("", "must be a JSON object");
  const records: OtlpLogRecord[] = [];
  listAt(value.resourceLogs, "resourceLogs").forEach((rl, i) => {
    const at = `resourceLogs/${i}`;
    const resourceLogs = objectAt(rl, at);
    const resource = parseKeyValues(
      objectAt(resourceLogs.resource, `${at}/resource`).attributes,
      `${at}/resource/attributes`,
    );
    listAt(resourceLogs.scopeLogs, `${at}/scopeLogs`).forEach((sl, j) => {
      const sat = `${at}/scopeLogs/${j}`;
      const scopeLogs = objectAt(sl, sat);
      const s = objectAt(scopeLogs.scope, `${sat}/scope`);
      const scope: OtlpLogRecord["scope"] = {};
      const name = stringAt(s.name, `${sat}/scope/name`);
      if (name !== undefined) scope.name = name;
      const version = stringAt(s.version, `${sat}/scope/version`);
      if (version !== undefined) scope.version = version;
      const attributes = parseKeyValues(s.attributes, `${sat}/scope/attributes`);
      if (Object.keys(attributes).length > 0) scope.attributes = attributes;
      listAt(scopeLogs.logRecords, `${sat}/logRecords`).forEach((lr, k) => {
        records.push(parseRecord(lr, `${sat}/logRecords/${k}`, resource, scope));
      });
    });
  });
  return records;
}
