// The data the AuditQuery conformance suite reads, appended through the real
// Ledger: builders editing a page, a person's action starting a workflow run
// that starts a nested run, hostile message text, and 30 wiring events with
// tied timestamps appended out of time order. Also a reference matcher over
// committed events, the oracle the search results are checked against.
import { fromUtf8, type JsonObject } from "@trailproof/core";
import type { Ledger } from "../ledger.js";
import type { AuditQuery, QueriedEntry } from "./audit-query.js";

const DAY_MS = 86_400_000;
/** Monday 2026-03-02T00:00:00Z: day 0 of the data. */
export const DAY0_MS = Date.UTC(2026, 2, 2);
export const at = (day: number, hh: number, mm = 0, ss = 0) =>
  new Date(DAY0_MS + day * DAY_MS + ((hh * 60 + mm) * 60 + ss) * 1000).toISOString();

const ada = { type: "user", id: "usr_ada", name: "Ada Lovelace" };
const grace = { type: "user", id: "usr_grace" };
const eve = { type: "user", id: "usr_eve" };
const checkout = { type: "page", id: "checkout", name: "Checkout" };
const rec1 = { type: "record", id: "rec_1" };
const wfSync = { type: "automation", id: "wf_sync" };
const wfNotify = { type: "automation", id: "wf_notify" };
const run1 = { origin: "workflow", workflow_id: "wf_sync", run_id: "run_1" };
const run2 = { origin: "workflow", workflow_id: "wf_notify", run_id: "run_2" };

/** Tenant acme, in append order (which is not time order). */
export const ACME_EVENTS: Record<string, unknown>[] = [
  {
    id: "login_ada",
    action: "user.login",
    occurred_at: at(0, 8),
    actor: ada,
    target: { type: "workspace", id: "acme" },
    context: { session_id: "ses_ada", environment: "production", ip: "203.0.113.7" },
    message: "Ada signed in from the office",
    tags: ["module:auth"],
  },
  {
    id: "login_eve",
    action: "user.login",
    occurred_at: at(0, 8, 5),
    actor: eve,
    target: { type: "workspace", id: "acme" },
    outcome: { status: "failure" },
    risk: "medium",
    context: { environment: "staging" },
    message: "Eve failed to sign in",
    tags: ["module:auth"],
  },
  {
    id: "page_v1",
    action: "app.page.update",
    occurred_at: at(0, 9),
    actor: ada,
    target: checkout,
    context: { session_id: "ses_ada", environment: "production" },
    change: { before: { layout: "grid", title: "Checkout" }, after: { layout: "stack", title: "Checkout" } },
    message: "Ada moved the checkout page to a stack layout",
    tags: ["module:builder", "app:shop"],
  },
  {
    id: "page_v2",
    action: "app.page.update",
    occurred_at: at(1, 10),
    actor: grace,
    target: checkout,
    change: { patch: [{ op: "replace", path: "/title", value: "Pay" }] },
    message: "Grace renamed the checkout page",
    tags: ["module:builder"],
  },
  {
    id: "app_delete",
    action: "app.delete",
    occurred_at: at(1, 12),
    actor: grace,
    target: { type: "app", id: "legacy" },
    message: "Grace deleted the legacy app",
    tags: ["module:builder"],
  },
  {
    id: "grant_denied",
    action: "permission.grant",
    occurred_at: at(1, 13),
    actor: eve,
    target: { type: "role", id: "admin" },
    outcome: { status: "denied" },
    risk: "critical",
    message: 'Eve tried to grant admin OR NEAR(root) "quoted" * col:x',
  },
  {
    id: "page_v3",
    action: "app.page.update",
    occurred_at: at(2, 11),
    actor: ada,
    target: checkout,
    // The state before was {layout: stack, title: Pay}: this before reveals an unrecorded change.
    change: { before: { layout: "grid", title: "Pay" }, after: { layout: "grid", theme: "dark", title: "Pay" } },
    message: "Ada tidied the café checkout page",
  },
  {
    id: "person",
    action: "app.update",
    occurred_at: at(2, 9),
    actor: ada,
    target: { type: "app", id: "shop" },
    change: { before: { published: false }, after: { published: true } },
    message: "Ada published the shop app",
  },
  {
    id: "run_start",
    action: "workflow.run.start",
    occurred_at: at(2, 9, 0, 1),
    actor: wfSync,
    target: { type: "workflow", id: "wf_sync", name: "Sync" },
    automation: { ...run1, caused_by: "person" },
  },
  {
    id: "rec_create",
    action: "record.create",
    occurred_at: at(2, 9, 0, 2),
    actor: wfSync,
    target: rec1,
    automation: { ...run1, step: "create", caused_by: "run_start" },
    change: { after: { status: "lead", email: "lead@example.com" } },
  },
  {
    id: "nested_start",
    action: "workflow.run.start",
    occurred_at: at(2, 9, 0, 3),
    actor: wfNotify,
    target: { type: "workflow", id: "wf_notify", name: "Notify" },
    automation: { ...run2, caused_by: "rec_create" },
  },
  {
    id: "rec_update",
    action: "record.update",
    occurred_at: at(2, 9, 0, 4),
    actor: wfNotify,
    target: rec1,
    automation: { ...run2, step: "promote", caused_by: "nested_start" },
    // Patch only; the email value is personal and is withheld from the leaf.
    change: {
      patch: [
        { op: "replace", path: "/status", value: "customer" },
        { op: "add", path: "/email", value: "customer@example.com" },
      ],
    },
  },
  {
    id: "run_finish",
    action: "workflow.run.finish",
    occurred_at: at(2, 9, 0, 5),
    actor: wfSync,
    target: { type: "workflow", id: "wf_sync", name: "Sync" },
    automation: { ...run1, caused_by: "run_start" },
  },
  {
    id: "page_bad_patch",
    action: "app.page.update",
    occurred_at: at(3, 7),
    actor: grace,
    target: checkout,
    change: { patch: [{ op: "remove", path: "/missing" }] },
    message: "Grace removed something",
  },
  {
    id: "rec_delete",
    action: "record.delete",
    occurred_at: at(3, 8),
    actor: ada,
    target: rec1,
    change: { before: { status: "customer" } },
  },
  ...wiring("acme", 30),
];

/** 3 events per second, appended in a scrambled order so index order is not time order. */
function wiring(prefix: string, count: number): Record<string, unknown>[] {
  const order = Array.from({ length: count }, (_, k) => (k * 7) % count);
  return order.map((k) => ({
    id: `${prefix}_wire_${String(k).padStart(2, "0")}`,
    action: "component.wire",
    occurred_at: at(4, 10, 0, Math.floor(k / 3)),
    actor: { type: "user", id: "usr_linus" },
    target: { type: "component", id: `cmp_${k}` },
    message: `Linus wired component ${k}`,
    tags: ["module:wiring"],
  }));
}

/** Tenant globex: the same actor ids, tags and words, none of which acme may see. */
export const GLOBEX_EVENTS: Record<string, unknown>[] = [
  {
    id: "g_login",
    action: "user.login",
    occurred_at: at(0, 8),
    actor: ada,
    target: { type: "workspace", id: "globex" },
    context: { session_id: "ses_ada", environment: "production" },
    message: "Ada signed in to the globex checkout page",
    tags: ["module:auth", "module:builder"],
  },
  {
    // Names an acme event as its cause: a trace here MUST NOT cross into acme.
    id: "g_caused",
    action: "workflow.run.start",
    occurred_at: at(2, 9, 0, 1),
    actor: wfSync,
    target: { type: "workflow", id: "wf_sync" },
    automation: { ...run1, caused_by: "person" },
  },
  {
    // A person as the target: a pseudonym resolution candidate acme never lists.
    id: "g_invite",
    action: "permission.grant",
    occurred_at: at(2, 10),
    actor: ada,
    target: { type: "user", id: "usr_globex_guest" },
    message: "A guest was let in",
  },
  ...wiring("globex", 5),
];

export interface SeededData {
  acme: number;
  globex: number;
  /** Committed events of acme with their indexes, in append order. */
  committed: { index: number; occurredMs: number; event: JsonObject }[];
}

/** Appends both tenants' events; throws if any is refused. */
export async function seedAuditData(ledger: Ledger): Promise<SeededData> {
  const acme = await ledger.createTenant("acme");
  const globex = await ledger.createTenant("globex");
  for (const [tenant, events] of [
    ["acme", ACME_EVENTS],
    ["globex", GLOBEX_EVENTS],
  ] as const) {
    const results = await ledger.append(tenant, events);
    const refused = results.filter((r) => r.status !== "created");
    if (refused.length > 0) throw new Error(`fixture refused: ${JSON.stringify(refused)}`);
  }
  const stored = await ledger.store.readEntries(acme.tenantId, 0, ACME_EVENTS.length);
  const committed = stored.map((e) => {
    const event = JSON.parse(fromUtf8(e.leafData)) as JsonObject;
    return { index: e.index, occurredMs: Date.parse(event.occurred_at as string), event };
  });
  return { acme: acme.tenantId, globex: globex.tenantId, committed };
}

/** What each conformance test reads: the store under test and the seeded data. */
export interface ConformanceContext {
  query: AuditQuery;
  data: SeededData;
}

export const ids = (entries: readonly QueriedEntry[]) => entries.map((e) => e.eventId);

/** The error `fn` rejects with; undefined (failing the caller's code check) if it resolves. */
export async function rejection(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  return undefined;
}
