// A builder's working session in the simulated workspace: sign in, edit
// pages, wire components, create apps, install packages and deploy templates
// behind build- and deploy-time policy checks, share access, edit records.
import { type Actor, events, policyEvaluated, type Target } from "@trailproof/client";
import { withRequestContext } from "@trailproof/client/node";
import type { JsonValue } from "@trailproof/core";
import type { SimContext } from "./sim-context.js";
import { APPS, type Builder, COMPONENTS, LAYOUTS, PACKAGES, TEMPLATES, WORKSPACE } from "./workspace-cast.js";

const MINUTE = 60_000;

type App = (typeof APPS)[number];

function pageTarget(app: App, page: string): Target {
  return { type: "page", id: `${app.id}_${page}`, name: page, path: [`workspace:${WORKSPACE}`, `app:${app.id}`] };
}

/** What a denied request does to pass, per the rule that denied it. */
const REMEDIATION: Record<string, string> = {
  requires_review: "ask another builder to review the release, then deploy again",
  allowlisted_publisher: "install the package from an allowlisted publisher, or ask an admin to allowlist it",
  max_rows_10000: "export at most 10,000 rows at a time, or ask an admin for a bulk export",
};

/**
 * A policy check at `stage` (a policy.evaluate of version 2, its phase the
 * stage): mostly allow, sometimes warn, rarely deny. Returns the decision.
 */
export async function policyCheck(
  ctx: SimContext,
  policy: { id: string; stage: "build" | "deploy" | "runtime"; rules: readonly string[] },
  target: Target,
  atMs: number,
  denyChance = 0.08,
): Promise<"allow" | "warn" | "deny"> {
  const roll = ctx.rnd.next();
  const decision = roll < denyChance ? "deny" : roll < denyChance + 0.15 ? "warn" : "allow";
  const outcome =
    decision === "deny"
      ? { status: "denied" as const, reason: `policy.${policy.rules[0]}` }
      : decision === "warn"
        ? { status: "success" as const, reason: `policy.warn.${policy.rules[1] ?? policy.rules[0]}` }
        : { status: "success" as const };
  const rule = policy.rules[0] ?? "default";
  const common = {
    actor: { type: "system" as const, id: "policy-engine" },
    target,
    outcome,
    tags: [`stage:${policy.stage}`],
    phase: policy.stage,
    policy: { id: policy.id, version: "4" },
    matchedRules: decision === "allow" ? [] : [...policy.rules],
  };
  await ctx.emit(
    decision === "deny"
      ? policyEvaluated({
          ...common,
          decision,
          rationale: `rule ${rule} matched`,
          remediation: REMEDIATION[rule] ?? `change the request so that rule ${rule} no longer matches`,
        })
      : policyEvaluated({
          ...common,
          decision,
          rationale: decision === "warn" ? `rule ${policy.rules[1] ?? rule} warns` : "no rule matched",
        }),
    atMs,
  );
  return decision;
}

export async function builderSession(ctx: SimContext, builder: Builder, day: number, startMs: number): Promise<void> {
  const { rnd } = ctx;
  const ip = rnd.chance(0.85) ? (builder.ips[0] as string) : rnd.pick(builder.ips);
  const context = {
    ip,
    user_agent: builder.userAgent,
    device_fingerprint: builder.device,
    session_id: `ses_${builder.id}_${day}`,
    environment: "production",
  };
  const actor = { type: "user" as const, id: builder.id, name: builder.name };
  await withRequestContext({ context, actor }, async () => {
    let t = startMs;
    const workspace: Target = { type: "workspace", id: WORKSPACE };
    if (rnd.chance(0.15)) {
      t += MINUTE;
      await ctx.emit(
        events.userLoggedIn({
          target: workspace,
          outcome: { status: "failure", reason: "auth.bad_password" },
          metadata: { method: "password", failed_attempts: 1 },
        }),
        t,
      );
    }
    t += MINUTE;
    await ctx.emit(events.userLoggedIn({ target: workspace, metadata: { method: "password+totp", mfa: true } }), t);
    if (day === 0) await createApps(ctx, builder, t);
    const actions = rnd.int(6, 12);
    for (let i = 0; i < actions; i++) {
      t += rnd.int(3, 25) * MINUTE;
      await builderAction(ctx, t);
    }
    t += rnd.int(5, 30) * MINUTE;
    await ctx.emit(
      events.userLoggedOut({ target: workspace, metadata: { reason: "user", session_duration_ms: t - startMs } }),
      t,
    );
  });
}

async function createApps(ctx: SimContext, builder: Builder, atMs: number): Promise<void> {
  // The first builder creates the workspace's apps on the first day.
  if (builder.id !== "usr_ada") return;
  for (const [i, app] of APPS.entries()) {
    const after = { name: app.name, description: null, slug: app.id.slice(4), published: false };
    await ctx.emitChange(
      app.id,
      {
        action: "app.create",
        target: { type: "app", id: app.id, name: app.name, path: [`workspace:${WORKSPACE}`] },
        metadata: { workspace_id: WORKSPACE },
        after,
      },
      atMs + (i + 1) * 20_000,
    );
  }
}

async function builderAction(ctx: SimContext, t: number): Promise<void> {
  const { rnd } = ctx;
  const app = rnd.pick(APPS);
  const roll = rnd.next();
  if (roll < 0.35) {
    const page = rnd.pick(app.pages);
    const key = `${app.id}_${page}`;
    const components = Array.from({ length: rnd.int(2, 5) }, (_, k) => ({
      id: `cmp_${k}`,
      type: rnd.pick(COMPONENTS),
    }));
    await ctx.emitChange(
      key,
      {
        action: "app.page.update",
        target: pageTarget(app, page),
        metadata: { editor_mode: "visual" },
        tags: ["module:builder", `app:${app.id.slice(4)}`],
        after: { title: page, route: `/${page}`, layout: rnd.pick(LAYOUTS), components },
      },
      t,
    );
  } else if (roll < 0.5) {
    const page = rnd.pick(app.pages);
    const key = `wiring_${app.id}_${page}`;
    const bindings: JsonValue[] = [...((ctx.states.get(key)?.bindings as JsonValue[] | undefined) ?? [])];
    bindings.push({ from: `cmp_${rnd.int(0, 4)}.onSubmit`, to: `table:${app.table}.insert` });
    await ctx.emitChange(
      key,
      {
        action: "component.wire",
        target: {
          type: "component",
          id: `${app.id}_${page}_form`,
          name: `${page} form`,
          path: [`workspace:${WORKSPACE}`, `app:${app.id}`],
        },
        metadata: { source_component: "form", event: "onSubmit", data_source: app.table },
        after: { bindings: bindings.slice(-8) },
      },
      t,
    );
  } else if (roll < 0.58) {
    const pkg = rnd.pick(PACKAGES);
    const target: Target = { type: "package", id: `pkg_${pkg.name}`, name: pkg.name, path: [`workspace:${WORKSPACE}`] };
    const decision = await policyCheck(
      ctx,
      { id: "pol_package_allowlist", stage: "build", rules: ["allowlisted_publisher", "no_network_scope"] },
      target,
      t,
    );
    await ctx.emit(
      events.packageInstalled({
        target,
        outcome:
          decision === "deny" ? { status: "denied", reason: "policy.allowlisted_publisher" } : { status: "success" },
        metadata: {
          package_name: pkg.name,
          package_version: pkg.version,
          source: "marketplace",
          permissions_requested: [...pkg.permissions],
          registry_token: "npm_secret_token_never_leaves_the_process",
        },
      }),
      t + 2000,
    );
  } else if (roll < 0.66) {
    const template = rnd.pick(TEMPLATES);
    const target: Target = {
      type: "template",
      id: template,
      name: template.slice(4),
      path: [`workspace:${WORKSPACE}`, `app:${app.id}`],
    };
    const decision = await policyCheck(
      ctx,
      { id: "pol_deploy_review", stage: "deploy", rules: ["requires_review", "no_friday_deploys"] },
      target,
      t,
      0.12,
    );
    await ctx.emit(
      events.templateDeployed({
        target,
        outcome: decision === "deny" ? { status: "denied", reason: "policy.requires_review" } : { status: "success" },
        metadata: { template_version: `1.${rnd.int(0, 9)}`, environment: "production" },
      }),
      t + 3000,
    );
  } else if (roll < 0.74) {
    const grantee = `usr_guest_${rnd.int(1, 5)}`;
    const grant = {
      permission: rnd.pick(["app:edit", "app:view", "records:write"]),
      scope: `app:${app.id}`,
      grantee_type: "user",
      grantee_id: grantee,
      grantee_email: `${grantee.slice(4)}@partner.example`,
    };
    const target: Target = { type: "app", id: app.id, name: app.name, path: [`workspace:${WORKSPACE}`] };
    await ctx.emit(events.permissionGranted({ target, metadata: grant }), t);
    if (rnd.chance(0.4))
      await ctx.emit(events.permissionRevoked({ target, metadata: grant }), t + rnd.int(10, 90) * MINUTE);
  } else {
    await editRecord(ctx, app, t);
  }
}

/** A person edits a record by hand; it may set the notify workflow off (returns the event id). */
export async function editRecord(ctx: SimContext, app: App, t: number, actor?: Actor): Promise<string> {
  const { rnd } = ctx;
  const n = rnd.int(1, 40);
  const recordId = `rec_${app.table}_${n}`;
  const existing = ctx.states.get(recordId);
  const base =
    existing ?? (app.table === "contacts" ? { name: `Contact ${n}`, email: `contact${n}@customer.example` } : {});
  return ctx.emitChange(
    recordId,
    {
      action: existing === undefined ? "record.create" : "record.update",
      ...(actor ? { actor } : {}),
      target: { type: "record", id: recordId, path: [`workspace:${WORKSPACE}`, `app:${app.id}`, `table:${app.table}`] },
      metadata: { table: app.table, record_id: recordId },
      tags: ["module:data", `app:${app.id.slice(4)}`],
      after: {
        ...base,
        status: rnd.pick(["open", "in_progress", "done"]),
        priority: rnd.pick(["low", "normal", "high"]),
      },
    },
    t,
  );
}
