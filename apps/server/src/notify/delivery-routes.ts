// The outbox over HTTP (docs/notifications.md): a tenant's deliveries
// (status=dead is the dead-letter list), one delivery with its attempts,
// and redriving a dead letter (an event in the tenant's log).
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { TrailproofError } from "@trailproof/core";
import {
  DeliveryDetailSchema,
  DeliveryListQuerySchema,
  DeliveryListSchema,
  DeliveryParamsSchema,
  ProblemResponses,
} from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import type { MetaAudit } from "../audit/meta-audit.js";
import type { AppDeps } from "../deps.js";
import { toWireAttempt, toWireDelivery } from "./channel-wire.js";
import type { DeliveryWorker } from "./delivery-worker.js";

const common = { tags: ["notifications"], security: [{ bearer: [] }] };

export function registerDeliveryRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit, worker: DeliveryWorker) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const store = deps.notifications;

  api.get(
    "/v1/deliveries",
    {
      config: { permission: "verify" },
      schema: {
        ...common,
        summary: "Notification deliveries, newest first; status=dead lists the dead letters",
        querystring: DeliveryListQuerySchema,
        response: { 200: DeliveryListSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const { status, channel, limit } = request.query;
      const deliveries = await store.listDeliveries(request.principal?.tenantId as number, {
        ...(status ? { status } : {}),
        ...(channel ? { channelId: channel } : {}),
        limit: limit ?? 100,
      });
      return { deliveries: deliveries.map(toWireDelivery) };
    },
  );

  api.get(
    "/v1/deliveries/:id",
    {
      config: { permission: "verify" },
      schema: {
        ...common,
        summary: "A delivery and its attempts, oldest first",
        params: DeliveryParamsSchema,
        response: { 200: DeliveryDetailSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenantId = request.principal?.tenantId as number;
      const delivery = await store.findDelivery(tenantId, request.params.id);
      if (!delivery) throw new TrailproofError("NOTIFICATION_DELIVERY_NOT_FOUND", "no delivery with this id");
      const attempts = await store.listAttempts(tenantId, delivery.deliveryId);
      return { delivery: toWireDelivery(delivery), attempts: attempts.map(toWireAttempt) };
    },
  );

  api.post(
    "/v1/deliveries/:id/redrive",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Send a dead letter again: it is pending and due now, its attempts kept",
        description:
          "NOTIFICATION_DELIVERY_NOT_DEAD (409) unless it is dead; NOTIFICATION_CHANNEL_GONE (409) when its channel was deleted.",
        params: DeliveryParamsSchema,
        response: { 200: DeliveryDetailSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenantId = request.principal?.tenantId as number;
      const id = request.params.id;
      const outcome = await store.redrive(tenantId, id, new Date().toISOString());
      if (outcome === "not_found")
        throw new TrailproofError("NOTIFICATION_DELIVERY_NOT_FOUND", "no delivery with this id");
      if (outcome === "not_dead") {
        throw new TrailproofError("NOTIFICATION_DELIVERY_NOT_DEAD", "only a dead delivery is redriven");
      }
      if (outcome === "channel_missing") {
        throw new TrailproofError("NOTIFICATION_CHANNEL_GONE", "the delivery's channel was deleted");
      }
      const delivery = await store.findDelivery(tenantId, id);
      if (!delivery) throw new TrailproofError("NOTIFICATION_DELIVERY_NOT_FOUND", "no delivery with this id");
      await audit.record(request, {
        action: "delivery.redrive",
        target: { type: "notification_delivery", id },
        metadata: { channel_id: delivery.channelId, kind: delivery.kind },
      });
      worker.kick();
      const attempts = await store.listAttempts(tenantId, id);
      return { delivery: toWireDelivery(delivery), attempts: attempts.map(toWireAttempt) };
    },
  );
}
