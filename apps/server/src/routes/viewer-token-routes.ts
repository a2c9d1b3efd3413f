// Embedded viewer tokens (admin): a platform shows each of its customers
// their organisation's audit log through a short-lived, read-only token,
// optionally pinned to a filter. Reads made with it are meta-audited under
// the viewer's identity.
import { ProblemDetailsSchema, parseEventFilterParams } from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import { issueViewerToken, MAX_VIEWER_TOKEN_TTL_S } from "../auth/viewer-tokens.js";
import type { AppDeps } from "../deps.js";
import { FILTER_QUERY_PROPERTIES } from "./search-params.js";

export function registerViewerTokenRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  app.post(
    "/v1/viewer-tokens",
    {
      config: { permission: "administer" },
      schema: {
        tags: ["admin"],
        security: [{ bearer: [] }],
        summary: "Issue a short-lived read-only viewer token for the embedded viewer",
        body: Type.Object(
          {
            viewer: Type.Object(
              {
                id: Type.String({ minLength: 1, maxLength: 256 }),
                name: Type.Optional(Type.String({ maxLength: 256 })),
              },
              { additionalProperties: false },
            ),
            ttl_seconds: Type.Optional(Type.Integer({ minimum: 60, maximum: MAX_VIEWER_TOKEN_TTL_S, default: 900 })),
            filter: Type.Optional(Type.Object(FILTER_QUERY_PROPERTIES, { additionalProperties: false })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ token: Type.String(), expires_at: Type.String(), embed_path: Type.String() }),
          "4xx": ProblemDetailsSchema,
          "5xx": ProblemDetailsSchema,
        },
      },
    },
    async (request, reply) => {
      const tenant = tenantOf(request);
      const body = request.body as {
        viewer: { id: string; name?: string };
        ttl_seconds?: number;
        filter?: Record<string, string>;
      };
      const filter = Object.fromEntries(
        Object.entries(body.filter ?? {}).filter(([, v]) => typeof v === "string"),
      ) as Record<string, string>;
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
