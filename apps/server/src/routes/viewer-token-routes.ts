// Embedded viewer tokens (admin): a platform shows each of its customers
// their organisation's audit log through a short-lived, read-only token,
// optionally pinned to a filter. Reads made with it are meta-audited under
// the viewer's identity.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import {
  EventFilterQuerySchema,
  IssuedViewerTokenListSchema,
  ProblemResponses,
  parseEventFilterParams,
  ViewerTokenProperties,
  ViewerTokenSchema,
} from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import { issueViewerToken } from "../auth/viewer-tokens.js";
import type { AppDeps } from "../deps.js";

export function registerViewerTokenRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    "/v1/viewer-tokens",
    {
      config: { permission: "administer" },
      schema: {
        tags: ["admin"],
        security: [{ bearer: [] }],
        summary: "The tenant's viewer tokens that have not expired, newest first (never the tokens themselves)",
        response: { 200: IssuedViewerTokenListSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const record = await deps.ledger.tenantRecord(tenantOf(request));
      const tokens = await deps.people.listViewerTokens(record.tenantId, new Date().toISOString());
      return {
        viewer_tokens: tokens.map((t) => ({
          token_id: t.tokenId,
          viewer: { id: t.viewerId, name: t.viewerName },
          filter: t.filter,
          created_by: t.createdBy,
          created_at: t.createdAt,
          expires_at: t.expiresAt,
        })),
      };
    },
  );
  api.post(
    "/v1/viewer-tokens",
    {
      config: { permission: "administer" },
      schema: {
        tags: ["admin"],
        security: [{ bearer: [] }],
        summary: "Issue a short-lived read-only viewer token for the embedded viewer",
        body: Type.Object(
          {
            ...ViewerTokenProperties,
            filter: Type.Optional(EventFilterQuerySchema),
          },
          { additionalProperties: false },
        ),
        response: { 201: ViewerTokenSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const tenant = tenantOf(request);
      const body = request.body;
      const filter: Record<string, string> = {};
      for (const [key, value] of Object.entries(body.filter ?? {})) if (value !== undefined) filter[key] = value;
      parseEventFilterParams(filter);
      const record = await deps.ledger.tenantRecord(tenant);
      const { token, record: issued } = await issueViewerToken(deps.people, {
        tenantId: record.tenantId,
        viewerId: body.viewer.id,
        viewerName: body.viewer.name ?? null,
        filter,
        createdBy: request.principal?.actor.id ?? "unknown",
        ttlSeconds: body.ttl_seconds ?? 900,
      });
      await audit.record(request, {
        action: "viewer_token.create",
        target: { type: "viewer_token", id: issued.tokenId },
        metadata: { viewer_id: body.viewer.id, expires_at: issued.expiresAt, filter },
      });
      return reply.code(201).send({ token, expires_at: issued.expiresAt, embed_path: `/embed#token=${token}` });
    },
  );
}
