// One phase of the overload bench: an open loop per tenant, all at once, each
// on its own connections (so a flooding tenant's queue of requests in the
// bench cannot delay another's), each answer tallied per tenant and its kind
// kept per request number for the durability check afterwards.
import type { AnswerKind, AnswerSummary } from "./answer-tally.js";
import { AnswerTally } from "./answer-tally.js";
import { ingestBodies } from "./http-ingest.js";
import { startOpenLoopSchedule } from "./open-loop-schedule.js";
import type { ServerChild } from "./server-child.js";
import { perSecond } from "./stats.js";

export interface TenantLoad {
  tenant: string;
  key: string;
  /** Prefix of this phase's event ids for this tenant: the ids are `${tag}${n}-${k}`, n the request. */
  tag: string;
  offeredEventsPerSecond: number;
  eventsPerRequest: number;
  maxSockets: number;
}

export interface TenantPhase {
  load: Omit<TenantLoad, "key">;
  seconds: number;
  acceptedEventsPerSecond: number;
  answers: AnswerSummary;
  /** How late the bench itself started a request: large values mean the bench, not the service, was short of CPU. */
  sendLagMaxMs: number;
  /** Each request's answer by its number; undefined: never answered. */
  kinds: (AnswerKind | undefined)[];
}

export interface Phase {
  name: string;
  tenants: TenantPhase[];
  rssMaxMb: number;
}

export async function runOverloadPhase(
  server: ServerChild,
  name: string,
  loads: readonly TenantLoad[],
  durationMs: number,
  timeoutMs: number,
): Promise<Phase> {
  const bodies = loads.map((l) => ingestBodies(l.eventsPerRequest, l.tag));
  server.rss.start();
  const tenants = await Promise.all(
    loads.map(async (load, i): Promise<TenantPhase> => {
      const tally = new AnswerTally(load.eventsPerRequest);
      const kinds: (AnswerKind | undefined)[] = [];
      const end = await startOpenLoopSchedule({
        url: `${server.url}/v1/events`,
        key: load.key,
        offeredEventsPerSecond: load.offeredEventsPerSecond,
        eventsPerRequest: load.eventsPerRequest,
        durationMs,
        maxSockets: load.maxSockets,
        timeoutMs,
        drainMs: timeoutMs + 5000,
        body: bodies[i] as (n: number) => string,
        onAnswer: (answer) => {
          kinds[answer.n] = tally.add(answer);
        },
      }).done;
      for (const age of end.unansweredAgesMs) tally.addUnanswered(age);
      const answers = tally.summary();
      const { key: _key, ...shown } = load;
      return {
        load: shown,
        seconds: Math.round(end.ms) / 1000,
        acceptedEventsPerSecond: perSecond(answers.acceptedEvents, end.ms),
        answers,
        sendLagMaxMs: end.sendLagMaxMs,
        kinds,
      };
    }),
  );
  const rss = server.rss.stop();
  return { name, tenants, rssMaxMb: Math.max(rss.sampledPeakMb, rss.hwmSincePhaseStart ? rss.hwmMb : 0) };
}
