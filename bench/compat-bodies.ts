// Request bodies for each drop-in ingest endpoint (docs/compat.md), as the
// real clients send them: a Retraced bulk, a WorkOS single event, an OTLP
// JSON export, a CloudEvents batch, a gzipped OPA decision array and a
// Kubernetes EventList. Every request carries new ids, decision ids, audit
// ids or timestamps, so none is deduplicated as a redelivery.
import { gzipSync } from "node:zlib";
import { ProtobufLogsSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";

export interface CompatBody {
  body: string | Buffer;
  headers: Record<string, string>;
}

/** The first day of the bench's compat events; load `day` of them occurs on day `day` after it. */
export const COMPAT_START_MS = Date.UTC(2026, 10, 2);
const DAY_MS = 86_400_000;
/** occurred_at of event k of request n on `day`: one second per request, so a day holds 86,400 requests. */
const atOn = (day: number) => (n: number, k: number) =>
  new Date(COMPAT_START_MS + day * DAY_MS + (n % 86_400) * 1000 + k).toISOString();
const ip = (n: number, k: number) => `10.${(n >> 8) & 255}.${n & 255}.${(k % 250) + 1}`;
const hex32 = (n: number, k: number) => `${n.toString(16).padStart(24, "0")}${k.toString(16).padStart(8, "0")}`;
const uuid = (n: number, k: number) => {
  const h = hex32(n, k);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20)}`;
};
const range = (batch: number) => Array.from({ length: batch }, (_, k) => k);

export function retracedBulk(key: string, batch: number, day: number): (n: number) => CompatBody {
  const at = atOn(day);
  return (n) => ({
    headers: { authorization: `token=${key}` },
    body: JSON.stringify({
      events: range(batch).map((k) => ({
        action: "invoice.create",
        group: { id: "org_1", name: "Acme" },
        crud: "c",
        created: at(n, k),
        actor: { id: `u${k % 50}`, name: "Alice" },
        target: { id: `inv:${n}-${k}`, type: "invoice", name: `Invoice ${n}-${k}` },
        source_ip: ip(n, k),
        description: "Alice created an invoice",
        is_failure: false,
        is_anonymous: false,
        fields: { amount: String(k) },
        external_id: `ext-${n}-${k}`,
      })),
    }),
  });
}

/** WorkOS sends one event per request, each with its own Idempotency-Key. */
export function workosEvent(tenant: string, day: number): (n: number) => CompatBody {
  const at = atOn(day);
  return (n) => ({
    headers: { "idempotency-key": `bench-${n}` },
    body: JSON.stringify({
      event: {
        action: "document.updated",
        version: 1,
        occurred_at: at(n, 0),
        actor: { id: `user_${n % 50}`, name: "Jon Smith", type: "user" },
        targets: [{ id: `document_${n}`, type: "document", name: "Q3 plan" }],
        context: { location: ip(n, 0), user_agent: "Firefox" },
        metadata: { n },
      },
      organization_id: tenant,
    }),
  });
}

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

export function otlpLogs(batch: number, day: number): (n: number) => CompatBody {
  const at = atOn(day);
  return (n) => ({
    headers: {},
    body: JSON.stringify({
      resourceLogs: [
        {
          resource: { attributes: [str("service.name", "billing-api"), str("service.version", "1.2.3")] },
          scopeLogs: [
            {
              scope: { name: "audit", version: "1.0.0" },
              logRecords: range(batch).map((k) => ({
                timeUnixNano: `${BigInt(Date.parse(at(n, k))) * 1_000_000n}`,
                observedTimeUnixNano: `${BigInt(Date.parse(at(n, k))) * 1_000_000n + 5n}`,
                severityNumber: 9,
                severityText: "INFO",
                body: { stringValue: "Alice created an invoice" },
                eventName: "invoice.create",
                attributes: [
                  str("event.id", `otlp-${n}-${k}`),
                  str("user.id", `u${k % 50}`),
                  str("client.address", ip(n, k)),
                  str("audit.target.type", "invoice"),
                  str("audit.target.id", `inv-${n}-${k}`),
                  { key: "amount", value: { intValue: k } },
                ],
              })),
            },
          ],
        },
      ],
    }),
  });
}

/**
 * The same records as otlpLogs, as the official protobuf exporter encodes
 * them (@opentelemetry/otlp-transformer's serializer, which
 * @opentelemetry/exporter-logs-otlp-proto sends).
 */
export function otlpProtobufLogs(batch: number, day: number): (n: number) => CompatBody {
  const at = atOn(day);
  const resource = resourceFromAttributes({ "service.name": "billing-api", "service.version": "1.2.3" });
  const scope = { name: "audit", version: "1.0.0" };
  return (n) => {
    const records = range(batch).map((k) => {
      const ms = Date.parse(at(n, k));
      return {
        hrTime: [Math.floor(ms / 1000), (ms % 1000) * 1_000_000] as [number, number],
        hrTimeObserved: [Math.floor(ms / 1000), (ms % 1000) * 1_000_000 + 5] as [number, number],
        severityNumber: 9,
        severityText: "INFO",
        body: "Alice created an invoice",
        eventName: "invoice.create",
        attributes: {
          "event.id": `otlp-${day}-${n}-${k}`,
          "user.id": `u${k % 50}`,
          "client.address": ip(n, k),
          "audit.target.type": "invoice",
          "audit.target.id": `inv-${n}-${k}`,
          amount: k,
        },
        resource,
        instrumentationScope: scope,
        droppedAttributesCount: 0,
      };
    });
    // The serializer reads only the fields above of each ReadableLogRecord.
    const body = ProtobufLogsSerializer.serializeRequest(records as never);
    if (!body) throw new Error("the OTLP protobuf serializer returned nothing");
    return { headers: { "content-type": "application/x-protobuf" }, body: Buffer.from(body) };
  };
}

export function cloudEventsBatch(batch: number, day: number): (n: number) => CompatBody {
  const at = atOn(day);
  return (n) => ({
    headers: { "content-type": "application/cloudevents-batch+json" },
    body: JSON.stringify(
      range(batch).map((k) => ({
        specversion: "1.0",
        id: `ce-${n}-${k}`,
        source: "urn:app:billing",
        type: "com.example.invoice.created",
        time: at(n, k),
        datacontenttype: "application/json",
        subject: `invoice/${n}-${k}`,
        data: { actor: { id: `u${k % 50}`, name: "Alice", type: "user" }, outcome: "success" },
      })),
    ),
  });
}

/** OPA's plugin gzips a JSON array whose every element ends with a newline. */
export function opaDecisions(batch: number, day: number): (n: number) => CompatBody {
  const at = atOn(day);
  return (n) => {
    const items = range(batch).map((k) =>
      JSON.stringify({
        labels: { id: "1780d507-aea2-45cc-ae50-fa153c8e4a5a", version: "1.22.3" },
        decision_id: uuid(n, k),
        bundles: { authz: { revision: "rev-7" } },
        path: "http/example/authz/allow",
        input: { method: "GET", path: `/salary/${k % 50}`, user: `u${k % 50}` },
        result: k % 10 !== 0,
        requested_by: `${ip(n, k)}:59943`,
        timestamp: at(n, k),
        metrics: { timer_rego_query_eval_ns: 21000 },
        req_id: k,
      }),
    );
    return {
      headers: { "content-encoding": "gzip", "user-agent": "Open Policy Agent/1.22.3 (linux, amd64)" },
      body: gzipSync(`[${items.map((i) => `${i}\n`).join(",")}]`),
    };
  };
}

export function kubernetesEventList(batch: number, day: number): (n: number) => CompatBody {
  const at = atOn(day);
  return (n) => ({
    headers: { "user-agent": "kube-apiserver/v1.34.0 (linux/amd64) kubernetes/abcdef0" },
    body: JSON.stringify({
      kind: "EventList",
      apiVersion: "audit.k8s.io/v1",
      metadata: {},
      items: range(batch).map((k) => ({
        level: "Metadata",
        auditID: uuid(n, k),
        stage: "ResponseComplete",
        requestURI: `/api/v1/namespaces/default/pods/web-${k}`,
        verb: "get",
        user: { username: `user${k % 50}@example.com`, uid: `uid-${k % 50}`, groups: ["devs", "system:authenticated"] },
        sourceIPs: [ip(n, k)],
        userAgent: "kubectl/v1.34.0 (linux/amd64) kubernetes/abc",
        objectRef: { resource: "pods", namespace: "default", name: `web-${k}`, apiVersion: "v1" },
        responseStatus: { metadata: {}, code: 200 },
        requestReceivedTimestamp: `${at(n, k).slice(0, 23)}123Z`,
        stageTimestamp: `${at(n, k).slice(0, 23)}456Z`,
        annotations: { "authorization.k8s.io/decision": "allow" },
      })),
    }),
  });
}
