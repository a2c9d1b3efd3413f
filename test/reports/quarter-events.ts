// A quarter (Q3 2026) of a no-code platform's audit events, with a little
// before and after it: access grants with and without tickets and
// approvals, production deploys approved by another person, by the deployer
// and by nobody, automation and policy changes, and routine record traffic.
// Each comes with the time it is received (the ledger's injected clock).

export const Q3_FROM = "2026-07-01T00:00:00.000Z";
export const Q3_TO = "2026-10-01T00:00:00.000Z";

export interface TimedEvent {
  receivedMs: number;
  event: Record<string, unknown>;
}

const user = (id: string) => ({ type: "user", id });

export function quarterEvents(): TimedEvent[] {
  const out: TimedEvent[] = [];
  const add = (at: string, event: Record<string, unknown>) => {
    const ms = Date.parse(at);
    // Sent a few seconds after it happened.
    out.push({ receivedMs: ms + 5000, event: { occurred_at: new Date(ms).toISOString(), ...event } });
  };
  const ws = { type: "workspace", id: "ws_main", name: "Main" };
  const template = (id: string) => ({ type: "template", id, name: id });
  const grant = (grantee: string) => ({
    permission: "admin",
    scope: "workspace",
    grantee_type: "user",
    grantee_id: grantee,
  });

  add("2026-06-10T09:00:00Z", {
    id: "grant_june",
    action: "permission.grant",
    actor: user("usr_alice"),
    target: ws,
    metadata: grant("usr_zed"),
    tags: ["ticket:ops-0"],
  });
  add("2026-06-30T12:00:00Z", {
    id: "approve_ok",
    action: "deploy.approve",
    kind: "update",
    category: "configuration",
    actor: user("usr_carol"),
    target: template("tpl_checkout"),
  });
  add("2026-07-01T08:00:00Z", {
    id: "deploy_ok",
    action: "template.deploy",
    actor: user("usr_dave"),
    target: template("tpl_checkout"),
    context: { environment: "production" },
    metadata: { template_version: "7" },
  });
  add("2026-07-05T10:00:00Z", {
    id: "access_approve",
    action: "access.approve",
    kind: "update",
    category: "access",
    actor: user("usr_carol"),
    target: ws,
  });
  add("2026-07-05T11:00:00Z", {
    id: "grant_bob",
    action: "permission.grant",
    actor: user("usr_alice"),
    target: ws,
    metadata: grant("usr_bob"),
    tags: ["ticket:ops-101"],
  });
  add("2026-07-10T22:00:00Z", {
    id: "grant_self_mallory",
    action: "permission.grant",
    actor: user("usr_mallory"),
    target: ws,
    metadata: grant("usr_mallory"),
  });
  add("2026-07-11T01:00:00Z", {
    id: "export_mallory",
    action: "record.export",
    actor: user("usr_mallory"),
    target: { type: "table", id: "customers" },
    metadata: { format: "csv", record_count: 5000 },
  });
  add("2026-07-15T09:00:00Z", {
    id: "approve_self",
    action: "deploy.approve",
    kind: "update",
    category: "configuration",
    actor: user("usr_erin"),
    target: template("tpl_billing"),
  });
  add("2026-07-15T10:00:00Z", {
    id: "deploy_self",
    action: "template.deploy",
    actor: user("usr_erin"),
    target: template("tpl_billing"),
    context: { environment: "production" },
  });
  add("2026-08-01T16:00:00Z", {
    id: "deploy_none",
    action: "template.deploy",
    actor: user("usr_dave"),
    target: template("tpl_search"),
    context: { environment: "production" },
  });
  add("2026-08-02T16:00:00Z", {
    id: "deploy_staging",
    action: "template.deploy",
    actor: user("usr_dave"),
    target: template("tpl_search"),
    context: { environment: "staging" },
  });
  add("2026-08-10T09:30:00Z", {
    id: "role_update",
    action: "role.update",
    actor: user("usr_alice"),
    target: { type: "role", id: "role_admin", name: "Admin" },
    metadata: { added_permissions: ["billing.read"] },
  });
  add("2026-08-20T14:00:00Z", {
    id: "workflow_update",
    action: "workflow.update",
    actor: user("usr_bob"),
    target: { type: "workflow", id: "wf_invoices", name: "Invoices" },
    metadata: { workflow_version: "3" },
  });
  add("2026-09-01T08:00:00Z", {
    id: "policy_update",
    action: "policy.update",
    actor: user("usr_alice"),
    target: { type: "policy", id: "pol_deploy", name: "Deploy policy" },
    metadata: { policy_version: "2" },
  });
  add("2026-09-02T08:00:00Z", {
    id: "policy_denied",
    action: "policy.evaluate",
    actor: { type: "service_account", id: "sa_ci" },
    target: template("tpl_search"),
    outcome: { status: "denied", reason: "approval_missing" },
    metadata: { policy_id: "pol_deploy", policy_version: "2", decision: "deny" },
  });
  add("2026-09-02T09:00:00Z", {
    id: "policy_allowed",
    action: "policy.evaluate",
    actor: { type: "service_account", id: "sa_ci" },
    target: template("tpl_checkout"),
    metadata: { policy_id: "pol_deploy", policy_version: "2", decision: "allow" },
  });
  add("2026-09-10T12:00:00Z", {
    id: "revoke_bob",
    action: "permission.revoke",
    actor: user("usr_alice"),
    target: ws,
    metadata: grant("usr_bob"),
  });
  add("2026-09-20T12:00:00Z", {
    id: "settings",
    action: "settings.update",
    actor: user("usr_alice"),
    target: { type: "settings", id: "smtp" },
    metadata: { section: "email" },
  });
  add("2026-10-02T12:00:00Z", {
    id: "grant_october",
    action: "permission.grant",
    actor: user("usr_alice"),
    target: ws,
    metadata: grant("usr_yan"),
  });
  // Routine traffic through the quarter: record updates every ~15 hours.
  for (let i = 0; i < 160; i++) {
    const at = new Date(Date.parse("2026-06-25T00:00:00Z") + i * 15 * 3_600_000 + 1234).toISOString();
    add(at, {
      id: `rec_${i}`,
      action: "record.update",
      actor: user(i % 2 ? "usr_bob" : "usr_frank"),
      target: { type: "record", id: `rec_${i % 17}` },
      change: { before: { n: i }, after: { n: i + 1 } },
    });
  }
  return out.sort((a, b) => a.receivedMs - b.receivedMs);
}
