// The naming styles and kind vocabularies are pinned to what each source
// stored when it shipped: a redelivered event must map to the same bytes.
import { describe, expect, it } from "vitest";
import { EVENT_NAME_VERBS, inferKind, WORKOS_VERBS } from "./infer-kind.js";
import { normaliseAction, normaliseTypeName, toActionName, toActionSegment, toTypeName } from "./source-names.js";

describe("source names", () => {
  it("event-name style splits camelCase, collapses separators and prefixes digits with n", () => {
    expect(normaliseAction("userLoggedIn", "otlp")).toBe("otlp.user_logged_in");
    expect(normaliseAction("2fa.Enabled", "otlp")).toBe("n2fa.enabled");
    expect(normaliseAction("A__b.c", "otlp")).toBe("a_b.c");
    expect(normaliseAction("...", "otlp")).toBeUndefined();
    expect(normaliseAction(`a.${"b".repeat(200)}`, "otlp")).toHaveLength(128);
    expect(normaliseTypeName("1Password")).toBe("t_1_password");
  });

  it("action-word style keeps underscores, prefixes digits with x and hashes long names", () => {
    expect(toActionName("Invoice Created", "retraced")).toBe("retraced.invoice_created");
    expect(toActionName("2fa.enabled", "workos")).toBe("x2fa.enabled");
    expect(toActionName("A__b.c", "workos")).toBe("a__b.c");
    expect(toActionName("", "workos")).toBe("workos.event");
    expect(toActionName(`a.${"b".repeat(200)}`, "workos")).toMatch(/^a\.b+\.h[0-9a-f]{16}$/);
    expect(toTypeName("1Password", "object")).toBe("x1password");
    expect(toTypeName(7, "object")).toBe("object");
    expect(toActionSegment("rbac.authorization.k8s.io", 40)).toBe("rbac_authorization_k8s_io");
    expect(toActionSegment("", 20)).toBe("x");
  });
});

describe("kind vocabularies", () => {
  it("reads every segment, last first, for event names; only the last word for WorkOS", () => {
    expect(inferKind("user.login.failed", EVENT_NAME_VERBS)).toEqual({ kind: "login", category: "authentication" });
    expect(inferKind("user.login.failed", WORKOS_VERBS)).toEqual({ kind: "execute", category: "data" });
    expect(inferKind("role.revoked", EVENT_NAME_VERBS)).toEqual({ kind: "permission_change", category: "access" });
    expect(inferKind("role.revoked", WORKOS_VERBS)).toEqual({ kind: "delete", category: "data" });
    expect(inferKind("job.ran", EVENT_NAME_VERBS)).toEqual({ kind: "execute", category: "workflow" });
  });

  it("never reads a verb from Object.prototype", () => {
    expect(inferKind("x.constructor", EVENT_NAME_VERBS).kind).toBe("execute");
    expect(inferKind("x.constructor", WORKOS_VERBS).kind).toBe("execute");
  });
});
