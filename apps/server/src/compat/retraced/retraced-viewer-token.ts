// Retraced's GET .../viewertoken as one of our viewer tokens: read-only
// (role viewer, never more, whatever `is_admin` says), 15 minutes, pinned to
// the group's tag so it reads that group's events only, and meta-audited like
// POST /v1/viewer-tokens. Only admin keys may ask: Retraced calls this with
// its publisher key, but our ingest keys write and never read, and a token
// minted by one would be a way to read.

import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { MetaAudit } from "../../audit/meta-audit.js";
import { issueViewerToken } from "../../auth/viewer-tokens.js";
import type { AppDeps } from "../../deps.js";
import { groupTag } from "./retraced-event.js";

/** How long a token issued here lives: the default of POST /v1/viewer-tokens. */
const TTL_SECONDS = 900;

export const ViewerTokenQuerySchema = Type.Object(
  {
    group_id: Type.String({ minLength: 1, maxLength: 256, description: "the Retraced group whose events it reads" }),
    actor_id: Type.String({ minLength: 1, maxLength: 256, description: "who will read: the viewer's id" }),
    is_admin: Type.Optional(Type.String({ description: "ignored: a viewer token never reads above viewer" })),
    view_log_action: Type.Optional(Type.String({ maxLength: 256, description: "ignored" })),
  },
  { additionalProperties: true },
);

/** Issues the token for the request's group and actor in `tenant`; resolves the token. */
export async function issueRetracedViewerToken(
  deps: AppDeps,
  audit: MetaAudit,
  request: FastifyRequest,
  tenant: string,
): Promise<string> {
  const query = request.query as { group_id: string; actor_id: string; is_admin?: string };
  const filter = { tag: groupTag(query.group_id) };
  const record = await deps.ledger.tenantRecord(tenant);
  const { token, record: issued } = await issueViewerToken(deps.people, {
    tenantId: record.tenantId,
    viewerId: query.actor_id,
    viewerName: null,
    filter,
    createdBy: request.principal?.actor.id ?? "unknown",
    ttlSeconds: TTL_SECONDS,
  });
  await audit.record(request, {
    action: "viewer_token.create",
    target: { type: "viewer_token", id: issued.tokenId },
    metadata: {
      viewer_id: query.actor_id,
      expires_at: issued.expiresAt,
      filter,
      retraced_group_id: query.group_id,
      retraced_is_admin: query.is_admin === "true",
    },
    tenant,
  });
  return token;
}
