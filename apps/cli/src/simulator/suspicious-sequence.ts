// The one pattern the simulation plants for alerting to find: late at night,
// from an address the builder never used, a builder grants himself export
// rights, exports the whole contacts table, and revokes the grant again.
import { events, type Target } from "@trailproof/client";
import { withRequestContext } from "@trailproof/client/node";
import type { SimContext } from "./sim-context.js";
import { BUILDERS, UNUSUAL_IP, WORKSPACE } from "./workspace-cast.js";

const MINUTE = 60_000;

export async function suspiciousSequence(ctx: SimContext, startMs: number): Promise<void> {
  const builder = BUILDERS[2] as (typeof BUILDERS)[number];
  const context = {
    ip: UNUSUAL_IP,
    user_agent: "python-requests/2.32.3",
    session_id: `ses_${builder.id}_night`,
    environment: "production",
  };
  const actor = { type: "user" as const, id: builder.id, name: builder.name };
  const app: Target = { type: "app", id: "app_crm", name: "CRM", path: [`workspace:${WORKSPACE}`] };
  const grant = {
    permission: "records:export",
    scope: "app:app_crm",
    grantee_type: "user",
    grantee_id: builder.id,
    expires_at: null,
  };
  await withRequestContext({ context, actor }, async () => {
    ctx.marks.suspiciousGrant = await ctx.emit(
      events.permissionGranted({ target: app, risk: "critical", tags: ["security:self-grant"], metadata: grant }),
      startMs,
    );
    ctx.marks.suspiciousExport = await ctx.emit(
      events.recordsExported({
        target: { type: "table", id: "contacts", path: [`workspace:${WORKSPACE}`, "app:app_crm"] },
        risk: "critical",
        metadata: {
          format: "csv",
          record_count: 25_000,
          fields: ["name", "email", "phone", "address"],
          destination: "s3://exfil-bucket-4471/contacts.csv",
          recipient_email: "drop@mailbox.example",
        },
      }),
      startMs + 4 * MINUTE,
    );
    ctx.marks.suspiciousRevoke = await ctx.emit(
      events.permissionRevoked({ target: app, tags: ["security:self-grant"], metadata: grant }),
      startMs + 9 * MINUTE,
    );
  });
}
