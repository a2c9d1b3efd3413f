// Every action of the built-in catalogue, and tenant actions of every kind,
// become OCSF 1.8.0 objects that validate against the OCSF schema (testdata/
// ocsf/, generated from the schema's own dictionaries), in the class
// docs/ocsf.md names, with the log position in them.
import { ACTION_CATEGORIES, ACTION_KINDS, builtinCatalogue, type JsonObject } from "@trailproof/core";
import { describe, expect, it } from "vitest";
import { ocsfProblems } from "../../../../../test/export/ocsf-validate.js";
import type { StreamMessage } from "../../streams/stream-types.js";
import { nativeFormatter } from "../native-format.js";
import { OCSF_CLASSES, OCSF_VERSION } from "./ocsf-classes.js";
import { ocsfFormatter } from "./ocsf-formatter.js";
import { BUILTIN_OCSF_MAPPING } from "./ocsf-mapping.js";
import { toOcsf } from "./to-ocsf.js";

const position = { origin: "trailproof.example/acme", index: 41, prevIndex: 40 };

function committed(action: string, kind: string | undefined, category: string | undefined, extra: JsonObject = {}) {
  const event: JsonObject = {
    schema_version: 2,
    appended_by: { type: "platform_key", id: "pk_1" },
    id: `evt-${action}`,
    action,
    action_version: 1,
    occurred_at: "2026-05-01T10:00:00.123Z",
    received_at: "2026-05-01T10:00:01.000Z",
    actor: { type: "user", id: "usr_1", name: "Alice" },
    target: { type: "page", id: "pg_1", name: "Checkout", path: ["app:crm", "table:orders"] },
    outcome: { status: "success" },
    message: `${action} happened`,
    context: { ip: "203.0.113.9", user_agent: "Mozilla/5.0", session_id: "s1", request_id: "r1" },
    risk: "high",
    tags: ["module:builder"],
    ...extra,
  };
  if (kind !== undefined) event.kind = kind;
  if (category !== undefined) event.category = category;
  return event;
}

const metadataFor: Record<string, JsonObject> = {
  "alert.raise": {
    alert_id: "al_1",
    rule_id: "rl_1",
    rule_version: 1,
    rule_type: "threshold",
    severity: "high",
    matched_event_ids: ["e1", "e2"],
  },
  "policy.evaluate": { policy_id: "pol_1", decision: "deny", rationale: "no approval", phase: "deploy" },
  "permission.grant": { permission: "app:edit", grantee_type: "user", grantee_id: "usr_2" },
};

describe("toOcsf", () => {
  it("maps every built-in action, and the built-in table lists every one of them", () => {
    for (const d of builtinCatalogue) {
      expect(BUILTIN_OCSF_MAPPING[d.action], d.action).toBeDefined();
      const object = toOcsf(
        committed(d.action, d.kind, d.category, { metadata: metadataFor[d.action] ?? {} }),
        position,
      );
      expect(ocsfProblems(object), d.action).toEqual([]);
      const [className, activityId] = BUILTIN_OCSF_MAPPING[d.action] ?? [];
      expect(object.class_uid, d.action).toBe(OCSF_CLASSES[className as keyof typeof OCSF_CLASSES].uid);
      expect(object.activity_id).toBe(activityId);
      expect(object.type_uid).toBe((object.class_uid as number) * 100 + (activityId as number));
    }
  });

  it("maps tenant actions of every kind and category, and events without context, names or ids", () => {
    for (const kind of [...ACTION_KINDS, undefined]) {
      for (const category of [...ACTION_CATEGORIES, undefined]) {
        const bare = committed("acme.widget.frobnicate", kind, category, {
          actor: { type: "service_account" },
          target: { type: "widget" },
          outcome: { status: "denied", reason: "policy.blocked" },
        });
        delete bare.context;
        delete bare.message;
        delete bare.risk;
        const object = toOcsf(bare, position);
        expect(ocsfProblems(object), `${kind}/${category}`).toEqual([]);
        expect(object.status_id === 2 || object.class_uid === 2003 || object.class_uid === 2004).toBe(true);
      }
    }
  });

  it("picks the class by kind for tenant actions as docs/ocsf.md says", () => {
    const classOf = (kind: string, category: string, action = "acme.thing.do") =>
      toOcsf(committed(action, kind, category), position).class_uid;
    expect(classOf("login", "authentication")).toBe(3002);
    expect(classOf("permission_change", "access")).toBe(3005);
    expect(toOcsf(committed("acme.access.revoke", "permission_change", "access"), position).activity_id).toBe(2);
    expect(classOf("read", "data")).toBe(6005);
    expect(classOf("read", "system")).toBe(6003);
    expect(classOf("update", "configuration")).toBe(3004);
    expect(classOf("export", "data")).toBe(6001);
    expect(classOf("install", "system")).toBe(6002);
    expect(classOf("policy_evaluation", "governance")).toBe(2003);
  });

  it("carries the log position, the OCSF version and the event's unmapped fields", () => {
    const object = toOcsf(committed("record.update", "update", "data", { change: { before: { a: 1 } } }), {
      ...position,
      streamId: "str_1",
    });
    const metadata = object.metadata as JsonObject;
    expect(metadata.version).toBe(OCSF_VERSION);
    expect(metadata.log_name).toBe(position.origin);
    expect(metadata.sequence).toBe(41);
    expect(metadata.uid).toBe("evt-record.update");
    const unmapped = (object.unmapped as JsonObject).trailproof as JsonObject;
    expect(unmapped).toMatchObject({ origin: position.origin, index: 41, prev_index: 40, stream_id: "str_1" });
    expect(unmapped.change).toEqual({ before: { a: 1 } });
    expect(unmapped.id).toBeUndefined();
    expect(object.time).toBe(Date.parse("2026-05-01T10:00:00.123Z"));
    expect(object.severity_id).toBe(4);
    expect(object.src_endpoint).toEqual({ ip: "203.0.113.9" });
  });

  it("fails the schema when a required attribute is missing or an id is out of its enum", () => {
    const valid = toOcsf(committed("user.login", "login", "authentication"), position);
    expect(ocsfProblems(valid)).toEqual([]);
    const { user: _user, ...noUser } = valid;
    expect(ocsfProblems(noUser)).toContain("/ must have required property 'user'");
    const { metadata, ...rest } = valid;
    const { version: _v, ...metadataNoVersion } = metadata as JsonObject;
    expect(ocsfProblems({ ...rest, metadata: metadataNoVersion })).toContain(
      "/metadata must have required property 'version'",
    );
    expect(ocsfProblems({ ...valid, activity_id: 42 }).join()).toMatch(/activity_id must be equal to one of/);
    expect(ocsfProblems({ ...valid, type_uid: 300142 }).join()).toMatch(/type_uid must be equal to one of/);
    expect(ocsfProblems({ ...valid, invented_attribute: 1 }).join()).toMatch(/additional properties/);
  });
});

describe("stream formatters", () => {
  const message: StreamMessage = {
    streamId: "str_1",
    origin: position.origin,
    index: 7,
    prevIndex: null,
    eventId: "evt-1",
    event: committed("app.create", "create", "configuration"),
  };

  it("native: one JSON line with the log position first", () => {
    const line = nativeFormatter(message);
    expect(line).not.toContain("\n");
    expect(Object.keys(JSON.parse(line))).toEqual(["origin", "index", "prev_index", "stream", "event_id", "event"]);
    expect(JSON.parse(line)).toMatchObject({ origin: position.origin, index: 7, prev_index: null, stream: "str_1" });
  });

  it("ocsf: one valid OCSF line naming origin, index and prev_index", () => {
    const line = ocsfFormatter(message);
    expect(line).not.toContain("\n");
    const object = JSON.parse(line);
    expect(ocsfProblems(object)).toEqual([]);
    expect(object.unmapped.trailproof).toMatchObject({ origin: position.origin, index: 7, prev_index: null });
  });
});
