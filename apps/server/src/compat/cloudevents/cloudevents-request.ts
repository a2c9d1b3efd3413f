// Reads the CloudEvents of an HTTP request (CloudEvents 1.0 HTTP protocol
// binding): binary mode (attributes in ce-* headers, the body is the data),
// structured mode (application/cloudevents+json) and batch mode
// (application/cloudevents-batch+json), detected as the cloudevents SDK's
// HTTP.toEvent does. Each event is checked by the SDK's own validator
// (new CloudEvent(..., strict)); the body is parsed by our strict JSON parser
// first, which the SDK's lenient parsing would not be. Everything is untrusted.
import type { IncomingHttpHeaders } from "node:http";
import type { JsonObject, JsonValue } from "@trailproof/core";
import { CloudEvent, ValidationError } from "cloudevents";
import { parseJsonBytes } from "../../http/json-body.js";
import { HttpProblem } from "../../http/problem.js";
import { isObject } from "../mapping/json-guards.js";

export type CloudEventsMode = "binary" | "structured" | "batch";

/** One event's attributes (context attributes and extensions) and its data as sent. */
export interface ReceivedCloudEvent {
  /** Where it sits in the request: "" for a single event, "/2" in a batch. */
  pointer: string;
  attributes: { id: string; source: string; type: string; specversion: string; [name: string]: JsonValue };
  /** Parsed JSON, a string, or undefined when none was sent. */
  data?: JsonValue;
  /** Binary data (data_base64, or a binary-mode body of another media type), base64. */
  dataBase64?: string;
}

const NOT_A_CLOUDEVENT =
  "the request is not a CloudEvent: send ce-id, ce-source, ce-type and ce-specversion headers (binary mode), application/cloudevents+json (structured mode) or application/cloudevents-batch+json (batch mode)";

const headerValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(",") : value);

function isJsonMediaType(type: string): boolean {
  return type === "application/json" || type.endsWith("+json") || type === "text/json";
}

/** Checks `event` against the CloudEvents 1.0 spec with the SDK's validator; throws 400 REQUEST_INVALID. */
function validated(event: Record<string, unknown>, pointer: string): ReceivedCloudEvent {
  const invalid = (message: string): never => {
    throw new HttpProblem("REQUEST_INVALID", `not a valid CloudEvent${pointer ? ` at ${pointer}` : ""}: ${message}`, {
      problems: [{ pointer: pointer || "/", message }],
    });
  };
  // The SDK fills a missing id, time and specversion in; a receiver must not.
  for (const name of ["id", "source", "type", "specversion"]) {
    if (typeof event[name] !== "string" || event[name] === "") invalid(`${name} is required and must be a string`);
  }
  if (event.specversion !== "1.0")
    invalid(`specversion ${JSON.stringify(event.specversion)} is not supported: send 1.0`);
  const { data, data_base64, ...attributes } = event;
  try {
    new CloudEvent({ ...attributes, ...(typeof data_base64 === "string" ? { data_base64 } : {}) }, true);
  } catch (err) {
    if (err instanceof ValidationError) {
      const first = (err.errors?.[0] ?? {}) as { instancePath?: string; message?: string };
      invalid(
        first.message ? `${first.instancePath ?? ""} ${first.message}`.trim() : (err.message.split("\n")[0] ?? ""),
      );
    }
    throw err;
  }
  const received: ReceivedCloudEvent = {
    pointer,
    attributes: attributes as ReceivedCloudEvent["attributes"],
  };
  if (data !== undefined && data !== null) received.data = data as JsonValue;
  if (typeof data_base64 === "string") received.dataBase64 = data_base64;
  return received;
}

/** A binary-mode event: attributes from the ce-* headers, the body as its data. */
function fromBinary(headers: IncomingHttpHeaders, body: Buffer | undefined, type: string): ReceivedCloudEvent {
  const attributes: JsonObject = {};
  for (const [name, value] of Object.entries(headers)) {
    const text = headerValue(value);
    if (name.startsWith("ce-") && text !== undefined) attributes[name.slice(3)] = text;
  }
  const contentType = headerValue(headers["content-type"]);
  if (contentType !== undefined) attributes.datacontenttype = contentType;
  const event: Record<string, unknown> = { ...attributes };
  if (body !== undefined && body.length > 0) {
    if (isJsonMediaType(type)) {
      // A string payload arrives raw under a JSON media type (the SDK sends it so): keep it as text.
      try {
        event.data = parseJsonBytes(body);
      } catch {
        event.data = body.toString("utf8");
      }
    } else if (type.startsWith("text/")) {
      event.data = body.toString("utf8");
    } else {
      event.data_base64 = body.toString("base64");
    }
  }
  return validated(event, "");
}

/** The events of a request, in order; throws HttpProblem 400 (not CloudEvents) or 415 (a structured format but JSON). */
export function parseCloudEvents(
  headers: IncomingHttpHeaders,
  body: Buffer | undefined,
): { mode: CloudEventsMode; events: ReceivedCloudEvent[] } {
  const type = (headerValue(headers["content-type"]) ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type.startsWith("application/cloudevents-batch")) {
    if (type !== "application/cloudevents-batch+json") {
      throw new HttpProblem(
        "REQUEST_UNSUPPORTED_MEDIA_TYPE",
        "batch mode is read as application/cloudevents-batch+json only",
      );
    }
    const batch = parseJsonBytes(body ?? Buffer.alloc(0));
    if (!Array.isArray(batch)) throw new HttpProblem("REQUEST_INVALID", "a batch is a JSON array of CloudEvents");
    return {
      mode: "batch",
      events: batch.map((e, i) => {
        if (!isObject(e)) throw new HttpProblem("REQUEST_INVALID", `the batch's element /${i} is not a JSON object`);
        return validated(e, `/${i}`);
      }),
    };
  }
  if (type.startsWith("application/cloudevents")) {
    if (type !== "application/cloudevents+json") {
      throw new HttpProblem(
        "REQUEST_UNSUPPORTED_MEDIA_TYPE",
        "structured mode is read as application/cloudevents+json only",
      );
    }
    const event = parseJsonBytes(body ?? Buffer.alloc(0));
    if (!isObject(event)) throw new HttpProblem("REQUEST_INVALID", "a structured CloudEvent is a JSON object");
    return { mode: "structured", events: [validated(event, "")] };
  }
  if (headers["ce-id"] !== undefined) return { mode: "binary", events: [fromBinary(headers, body, type)] };
  throw new HttpProblem("REQUEST_INVALID", NOT_A_CLOUDEVENT);
}
