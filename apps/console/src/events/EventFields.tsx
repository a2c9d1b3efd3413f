// Every field of an event laid out for people: who (the actor, and the
// credential that appended it), what, where, when, context, the automation
// behind it, tags, metadata and privacy.

import { useApi } from "../api/api-context.js";
import type { AuditEvent, EventItem } from "../api/types.js";
import { OutcomeBadge, RiskBadge } from "../components/Badge.js";
import { personalText } from "../lib/erased.js";
import { asEvent, entityPath, eventPath, parsePathElement } from "../lib/event-view.js";
import { formatNumber, formatTime } from "../lib/format.js";
import { Link } from "../router/router.js";
import { Field, text } from "./Field.js";
import { JsonBlock } from "./JsonBlock.js";

const CONTEXT_FIELDS: [string, string][] = [
  ["session_id", "Session"],
  ["request_id", "Request"],
  ["ip", "IP address"],
  ["user_agent", "User agent"],
  ["device_fingerprint", "Device"],
  ["environment", "Environment"],
  ["region", "Region"],
  ["trace_id", "Trace id"],
  ["span_id", "Span id"],
];

const APPENDER_LABELS: Record<string, string> = {
  api_key: "API key",
  person: "Person",
  service: "Service",
  cli: "Command line",
};

/**
 * The credential that appended the event, as the leaf names it (log format
 * v2): never what the event itself claims. Entries of version 1 recorded none.
 */
export function appenderText(e: AuditEvent): string {
  const a = e.appended_by;
  if (typeof a?.type !== "string" || typeof a.id !== "string") return "not recorded (log format 1)";
  return `${APPENDER_LABELS[a.type] ?? a.type} ${a.id}`;
}

export function EventFields({ item }: { item: EventItem }) {
  const { embedded } = useApi();
  const e = asEvent(item);
  const a = e.automation ?? {};
  const ctx = e.context ?? {};
  const target = e.target ?? {};
  const link = (to: string, label: string) => (embedded ? label : <Link to={to}>{label}</Link>);
  const personal = Object.keys(e.privacy?.commitments ?? {});
  const erased = new Set((item.erased ?? []).map((x) => x.pointer));
  const readable = personal.filter((p) => !erased.has(p));
  const masked = e.privacy?.masked ?? [];

  return (
    <div className="field-grid">
      <section className="card" aria-labelledby="f-who">
        <h2 id="f-who" className="card-title">
          Who
        </h2>
        <dl className="dl">
          <Field label="Actor type" value={e.actor?.type} />
          <Field label="Actor id" value={e.actor?.id} mono />
          <Field label="Actor name" value={personalText(e.actor?.name)} item={item} pointer="/actor/name" />
          {e.actor?.on_behalf_of && (
            <>
              <Field
                label="On behalf of"
                value={`${e.actor.on_behalf_of.type ?? "?"} ${e.actor.on_behalf_of.id ?? ""}`}
                mono
              />
              <Field
                label="On behalf of (name)"
                value={personalText(e.actor.on_behalf_of.name)}
                item={item}
                pointer="/actor/on_behalf_of/name"
              />
            </>
          )}
          <Field label="Appended by" value={appenderText(e)} mono />
        </dl>
      </section>

      <section className="card" aria-labelledby="f-what">
        <h2 id="f-what" className="card-title">
          What
        </h2>
        <dl className="dl">
          <Field label="Action" value={e.action} mono />
          <Field label="Kind" value={e.kind} />
          <Field label="Category" value={e.category} />
          <Field label="Outcome" value={<OutcomeBadge status={e.outcome?.status} />} />
          <Field label="Reason" value={e.outcome?.reason} mono />
          <Field label="Risk" value={<RiskBadge risk={e.risk} />} />
          <Field label="Schema version" value={e.action_version ?? undefined} />
        </dl>
      </section>

      <section className="card" aria-labelledby="f-where">
        <h2 id="f-where" className="card-title">
          Target
        </h2>
        {target.path && target.path.length > 0 && (
          <nav aria-label="Target path" className="target-path">
            <ol>
              {target.path.map((el) => {
                const parsed = parsePathElement(el);
                return (
                  <li key={el}>
                    <span className="chip">{parsed ? link(entityPath(parsed.type, parsed.id), el) : el}</span>
                  </li>
                );
              })}
              <li aria-current="location">
                <span className="chip">
                  {target.type}:{target.id}
                </span>
              </li>
            </ol>
          </nav>
        )}
        <dl className="dl">
          <Field label="Type" value={target.type} mono />
          <Field
            label="Id"
            value={target.type && target.id ? link(entityPath(target.type, target.id), target.id) : target.id}
            mono
          />
          <Field label="Name" value={target.name} />
        </dl>
      </section>

      <section className="card" aria-labelledby="f-when">
        <h2 id="f-when" className="card-title">
          When
        </h2>
        <dl className="dl">
          <Field label="Occurred" value={<time dateTime={e.occurred_at}>{formatTime(e.occurred_at)}</time>} />
          <Field label="Occurred (UTC)" value={e.occurred_at} mono />
          <Field label="Received (UTC)" value={e.received_at} mono />
          <Field label="Log index" value={formatNumber(item.index)} />
        </dl>
      </section>

      {Object.keys(ctx).length + personal.filter((p) => p.startsWith("/context/")).length > 0 && (
        <section className="card" aria-labelledby="f-context">
          <h2 id="f-context" className="card-title">
            Context
          </h2>
          <dl className="dl">
            {CONTEXT_FIELDS.map(([k, label]) => (
              <Field key={k} label={label} value={text(ctx[k])} item={item} pointer={`/context/${k}`} mono />
            ))}
          </dl>
        </section>
      )}

      {e.automation && (
        <section className="card" aria-labelledby="f-automation">
          <h2 id="f-automation" className="card-title">
            Automation
          </h2>
          <dl className="dl">
            <Field label="Origin" value={text(a.origin)} />
            <Field label="Workflow" value={text(a.workflow_id)} mono />
            <Field label="Workflow version" value={text(a.workflow_version)} />
            <Field
              label="Run"
              value={
                typeof a.run_id === "string"
                  ? link(`/automations/runs/${encodeURIComponent(a.run_id)}`, a.run_id)
                  : undefined
              }
              mono
            />
            <Field label="Step" value={text(a.step)} mono />
            <Field label="Trigger" value={text(a.trigger_id)} mono />
            <Field label="Rule" value={text(a.rule_id)} mono />
            <Field label="Condition" value={text(a.condition)} mono />
            <Field
              label="Caused by"
              value={typeof a.caused_by === "string" ? link(eventPath(a.caused_by), a.caused_by) : undefined}
              mono
            />
            <Field label="Rationale" value={text(a.rationale)} />
            <Field label="Decision path" value={text(a.decision_path)} mono />
            <Field label="Overrides" value={text(a.overrides)} mono />
          </dl>
        </section>
      )}

      {e.tags && e.tags.length > 0 && (
        <section className="card" aria-labelledby="f-tags">
          <h2 id="f-tags" className="card-title">
            Tags
          </h2>
          <ul className="tags">
            {e.tags.map((t) => (
              <li key={t} className="tag">
                {embedded ? t : <Link to={`/events?q=${encodeURIComponent(`tag:${t}`)}`}>{t}</Link>}
              </li>
            ))}
          </ul>
        </section>
      )}

      {e.metadata && (
        <section className="card card-wide" aria-labelledby="f-metadata">
          <h2 id="f-metadata" className="card-title">
            Metadata
          </h2>
          <JsonBlock value={e.metadata} label="Metadata" />
          {item.redacted && personal.some((p) => p.startsWith("/metadata/")) && (
            <p className="muted small">
              Withheld (personal):{" "}
              {personal
                .filter((p) => p.startsWith("/metadata/"))
                .map((p) => p.slice("/metadata/".length))
                .join(", ")}
            </p>
          )}
        </section>
      )}

      {(personal.length > 0 || masked.length > 0 || erased.size > 0) && (
        <section className="card card-wide" aria-labelledby="f-privacy">
          <h2 id="f-privacy" className="card-title">
            Privacy
          </h2>
          <dl className="dl">
            {erased.size > 0 && (
              <>
                <dt>Erased fields</dt>
                <dd>
                  <span className="mono">{[...erased].join(", ")}</span>
                  <span className="muted small">
                    {" "}
                    — crypto-shredded by an erasure; the sealed leaf still commits to them
                  </span>
                </dd>
              </>
            )}
            {readable.length > 0 && (
              <>
                <dt>Personal fields</dt>
                <dd>
                  <span className="mono">{readable.join(", ")}</span>
                  <span className="muted small">
                    {" "}
                    {item.redacted ? "— withheld from your role" : "— revealed, each checked against its commitment"}
                  </span>
                </dd>
              </>
            )}
            {masked.length > 0 && (
              <>
                <dt>Secret fields</dt>
                <dd>
                  <span className="mono">{masked.join(", ")}</span>
                  <span className="muted small"> — never stored</span>
                </dd>
              </>
            )}
          </dl>
        </section>
      )}
    </div>
  );
}
