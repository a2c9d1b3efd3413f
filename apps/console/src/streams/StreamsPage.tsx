// /streams (auditor reads, admin changes): the tenant's SIEM streams with
// their health, refreshed every few seconds, and the form to add one
// (docs/streams.md). A new webhook stream's signing secret is shown once.
import type { WireStream } from "@trailproof/protocol";
import { useState } from "react";
import { Loaded, OutcomeNotice } from "../admin/AdminViews.js";
import { useAdminResource } from "../admin/use-admin-resource.js";
import { useApi } from "../api/api-context.js";
import { roleAtLeast } from "../auth/roles.js";
import { EmptyState } from "../components/EmptyState.js";
import { PageHeader } from "../components/PageHeader.js";
import { SecretOnce } from "../components/SecretOnce.js";
import { Section } from "../components/Section.js";
import { StreamForm } from "./StreamForm.js";
import { StreamTable } from "./StreamTable.js";
import { deleteStream, listStreams, type StreamWithSecret, setStreamPaused } from "./streams-api.js";
import { usePolling } from "./use-polling.js";

export function StreamsPage() {
  const { role } = useApi();
  const admin = roleAtLeast(role, "admin");
  const streams = useAdminResource((api) => listStreams(api));
  const [secret, setSecret] = useState<{ title: string; value: string } | null>(null);
  const [created, setCreated] = useState("");
  usePolling(streams.resource.reload);

  const onCreated = ({ stream, secret: value }: StreamWithSecret) => {
    setCreated(`Stream ${stream.name} created.`);
    setSecret(value === null ? null : { title: `Signing secret of ${stream.name}.`, value });
    streams.resource.reload();
  };
  const pause = (s: WireStream, paused: boolean) => {
    setCreated("");
    void streams.change(
      (api) => setStreamPaused(api, s.id, paused),
      `${s.name} ${paused ? "paused: nothing is sent until it is resumed" : "resumed from where it stopped"}.`,
    );
  };
  const remove = (s: WireStream) => {
    setCreated("");
    void streams.change((api) => deleteStream(api, s.id), `${s.name} deleted.`);
  };

  return (
    <>
      <PageHeader
        title="Streams"
        subtitle="The log, as it grows, sent on to a SIEM over syslog, NATS or a signed webhook, each entry once and in order."
      />
      {secret && (
        <SecretOnce title={secret.title} value={secret.value} onDismiss={() => setSecret(null)}>
          <p className="small">The receiver checks each batch's Trailproof-Signature header with it.</p>
        </SecretOnce>
      )}
      {created && (
        <p className="notice notice-ok" role="status">
          {created}
        </p>
      )}
      <OutcomeNotice outcome={streams.outcome} failureTitle="Not changed" />
      <div className="panel-stack">
        <Section id="streams-title" title="Streams">
          <Loaded state={streams.resource} what="the streams">
            {(list) =>
              list.length === 0 ? (
                <EmptyState title="No streams yet">{admin ? "Add one below." : "An admin can add one."}</EmptyState>
              ) : (
                <StreamTable streams={list} admin={admin} busy={streams.busy} onPause={pause} onDelete={remove} />
              )
            }
          </Loaded>
        </Section>
        {admin && (
          <section className="card" aria-labelledby="stream-new">
            <h2 id="stream-new" className="card-title">
              Add a stream
            </h2>
            <StreamForm onCreated={onCreated} />
          </section>
        )}
      </div>
    </>
  );
}
