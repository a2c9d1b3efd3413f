// The OTLP/HTTP protobuf messages the logs endpoint reads and writes, as a
// protobufjs descriptor written from opentelemetry-proto (logs/v1, common/v1,
// resource/v1, collector/logs/v1) and google.rpc.Status, field numbers as there.
// Only the fields a log export carries are declared: protobuf readers skip the
// rest (entity_refs, the deprecated instrumentation_library_logs).
import protobuf from "protobufjs";
import { HttpProblem } from "../../http/problem.js";

const field = (type: string, id: number, rule?: "repeated") => ({ type, id, ...(rule ? { rule } : {}) });

const root = protobuf.Root.fromJSON({
  nested: {
    otlp: {
      nested: {
        AnyValue: {
          oneofs: {
            value: {
              oneof: ["stringValue", "boolValue", "intValue", "doubleValue", "arrayValue", "kvlistValue", "bytesValue"],
            },
          },
          fields: {
            stringValue: field("string", 1),
            boolValue: field("bool", 2),
            intValue: field("int64", 3),
            doubleValue: field("double", 4),
            arrayValue: field("ArrayValue", 5),
            kvlistValue: field("KeyValueList", 6),
            bytesValue: field("bytes", 7),
          },
        },
        ArrayValue: { fields: { values: field("AnyValue", 1, "repeated") } },
        KeyValueList: { fields: { values: field("KeyValue", 1, "repeated") } },
        KeyValue: { fields: { key: field("string", 1), value: field("AnyValue", 2) } },
        InstrumentationScope: {
          fields: {
            name: field("string", 1),
            version: field("string", 2),
            attributes: field("KeyValue", 3, "repeated"),
            droppedAttributesCount: field("uint32", 4),
          },
        },
        Resource: {
          fields: { attributes: field("KeyValue", 1, "repeated"), droppedAttributesCount: field("uint32", 2) },
        },
        LogRecord: {
          fields: {
            timeUnixNano: field("fixed64", 1),
            severityNumber: field("int32", 2),
            severityText: field("string", 3),
            body: field("AnyValue", 5),
            attributes: field("KeyValue", 6, "repeated"),
            droppedAttributesCount: field("uint32", 7),
            flags: field("fixed32", 8),
            traceId: field("bytes", 9),
            spanId: field("bytes", 10),
            observedTimeUnixNano: field("fixed64", 11),
            eventName: field("string", 12),
          },
        },
        ScopeLogs: {
          fields: {
            scope: field("InstrumentationScope", 1),
            logRecords: field("LogRecord", 2, "repeated"),
            schemaUrl: field("string", 3),
          },
        },
        ResourceLogs: {
          fields: {
            resource: field("Resource", 1),
            scopeLogs: field("ScopeLogs", 2, "repeated"),
            schemaUrl: field("string", 3),
          },
        },
        ExportLogsServiceRequest: { fields: { resourceLogs: field("ResourceLogs", 1, "repeated") } },
        ExportLogsPartialSuccess: {
          fields: { rejectedLogRecords: field("int64", 1), errorMessage: field("string", 2) },
        },
        ExportLogsServiceResponse: { fields: { partialSuccess: field("ExportLogsPartialSuccess", 1) } },
        Status: { fields: { code: field("int32", 1), message: field("string", 2) } },
      },
    },
  },
});

const RequestType = root.lookupType("otlp.ExportLogsServiceRequest");
const ResponseType = root.lookupType("otlp.ExportLogsServiceResponse");
const StatusType = root.lookupType("otlp.Status");

/** Rewrites bytes fields decoded as base64 into OTLP/JSON's hex for trace and span ids. */
function idsToHex(request: { resourceLogs?: { scopeLogs?: { logRecords?: Record<string, unknown>[] }[] }[] }): void {
  for (const resourceLogs of request.resourceLogs ?? []) {
    for (const scopeLogs of resourceLogs.scopeLogs ?? []) {
      for (const record of scopeLogs.logRecords ?? []) {
        for (const key of ["traceId", "spanId"]) {
          const value = record[key];
          if (typeof value === "string") record[key] = Buffer.from(value, "base64").toString("hex");
        }
      }
    }
  }
}

/**
 * An ExportLogsServiceRequest from protobuf bytes (untrusted), in the shape
 * of its OTLP/JSON encoding (64-bit integers as decimal strings, bytes as
 * base64, trace and span ids as hex), so one reader parses both. Throws
 * HttpProblem REQUEST_INVALID when the bytes are no such message.
 */
export function decodeExportRequest(bytes: Buffer): unknown {
  let message: protobuf.Message;
  try {
    message = RequestType.decode(bytes);
  } catch (err) {
    throw new HttpProblem(
      "REQUEST_INVALID",
      `the body is not a protobuf ExportLogsServiceRequest: ${(err as Error).message.slice(0, 200)}`,
    );
  }
  const plain = RequestType.toObject(message, { longs: String, bytes: String, enums: Number, defaults: false });
  idsToHex(plain);
  return plain;
}

/** A protobuf ExportLogsServiceResponse, with partial_success when records were rejected. */
export function encodeExportResponse(rejected: number, errorMessage: string): Buffer {
  const body = rejected > 0 ? { partialSuccess: { rejectedLogRecords: rejected, errorMessage } } : {};
  return Buffer.from(ResponseType.encode(ResponseType.fromObject(body)).finish());
}

/** A protobuf google.rpc.Status, the body of OTLP/HTTP's 4xx and 5xx answers. */
export function encodeStatus(code: number, message: string): Buffer {
  return Buffer.from(StatusType.encode(StatusType.fromObject({ code, message })).finish());
}

/** Decodes a response (tests read the endpoint's protobuf answers with it). */
export function decodeExportResponse(bytes: Uint8Array): {
  partialSuccess?: { rejectedLogRecords?: string; errorMessage?: string };
} {
  return ResponseType.toObject(ResponseType.decode(bytes), { longs: String, defaults: false });
}

/** Decodes a Status (tests read the endpoint's protobuf error answers with it). */
export function decodeStatus(bytes: Uint8Array): { code?: number; message?: string } {
  return StatusType.toObject(StatusType.decode(bytes), { defaults: false });
}
