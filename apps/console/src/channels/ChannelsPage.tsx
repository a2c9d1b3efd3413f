// /channels (auditor reads, admin changes): the tenant's signed webhook
// channels (docs/notifications.md). Creating one or rotating its secret
// shows the secret once; the list never has it.
import type { ChannelTestResult, ChannelWithSecret, WireChannel } from "@trailproof/protocol";
import { type FormEvent, useState } from "react";
import { Loaded, OutcomeNotice } from "../admin/AdminViews.js";
import { useAdminResource } from "../admin/use-admin-resource.js";
import { useApi } from "../api/api-context.js";
import { roleAtLeast } from "../auth/roles.js";
import { Badge } from "../components/Badge.js";
import { DataTable } from "../components/DataTable.js";
import { EmptyState } from "../components/EmptyState.js";
import { PageHeader } from "../components/PageHeader.js";
import { SecretOnce } from "../components/SecretOnce.js";
import { Section } from "../components/Section.js";
import { SelectField } from "../components/SelectField.js";
import { formatTableTime } from "../lib/format.js";

export function ChannelsPage() {
  const { role } = useApi();
  const admin = roleAtLeast(role, "admin");
  const channels = useAdminResource((api) => api.get<{ channels: WireChannel[] }>("/v1/channels"));
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [format, setFormat] = useState<"native" | "slack">("native");
  const [secret, setSecret] = useState<{ title: string; value: string } | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const made = await channels.change(
      (api) => api.send<ChannelWithSecret>("POST", "/v1/channels", { name, url, format }),
      (answer) => `Channel ${answer.channel.name} created.`,
    );
    if (made) {
      setSecret({ title: `Signing secret of ${made.channel.name}.`, value: made.secret });
      setName("");
      setUrl("");
    }
  };
  const rotate = async (c: WireChannel) => {
    const rotated = await channels.change(
      (api) => api.send<ChannelWithSecret>("POST", `/v1/channels/${c.id}/rotate-secret`),
      `The signing secret of ${c.name} was replaced.`,
    );
    if (rotated) setSecret({ title: `New signing secret of ${c.name}.`, value: rotated.secret });
  };
  const toggle = (c: WireChannel) =>
    channels.change(
      (api) => api.send("PATCH", `/v1/channels/${c.id}`, { enabled: !c.enabled }),
      `${c.name} ${c.enabled ? "disabled" : "enabled"}.`,
    );
  const test = (c: WireChannel) =>
    channels.change(
      (api) => api.send<ChannelTestResult>("POST", `/v1/channels/${c.id}/test`),
      (r) =>
        r.delivered
          ? `Test delivered to ${c.name} (HTTP ${r.http_status}, ${r.duration_ms} ms).`
          : `Test to ${c.name} failed: ${r.error ?? `HTTP ${r.http_status}`}.`,
    );
  const remove = (c: WireChannel) =>
    channels.change((api) => api.send("DELETE", `/v1/channels/${c.id}`), `${c.name} deleted.`);

  return (
    <>
      <PageHeader
        title="Channels"
        subtitle="Signed webhooks that alerts and reports are delivered to. Receivers check each delivery's signature."
      />
      {secret && <SecretOnce title={secret.title} value={secret.value} onDismiss={() => setSecret(null)} />}
      <OutcomeNotice outcome={channels.outcome} failureTitle="Not changed" />
      <div className="panel-grid">
        <Section id="channels-title" title="Webhook channels">
          <Loaded state={channels.resource} what="the channels">
            {({ channels: list }) =>
              list.length === 0 ? (
                <EmptyState title="No channels yet" />
              ) : (
                <DataTable
                  caption="Notification channels, oldest first"
                  columns={["Name", "URL", "Format", "State", "Changed", admin && "Actions"]}
                >
                  {list.map((c) => (
                    <tr key={c.id} data-channel={c.id}>
                      <td>
                        {c.name}
                        <div className="small muted mono">{c.id}</div>
                      </td>
                      <td className="mono small">{c.url}</td>
                      <td>{c.format}</td>
                      <td>{c.enabled ? <Badge tone="ok">enabled</Badge> : <Badge tone="neutral">disabled</Badge>}</td>
                      <td title={`by ${c.updated_by}`}>{formatTableTime(c.updated_at)}</td>
                      {admin && (
                        <td className="row-actions">
                          {(
                            [
                              [`Send test to ${c.name}`, test],
                              [`${c.enabled ? "Disable" : "Enable"} ${c.name}`, toggle],
                              [`Rotate secret of ${c.name}`, rotate],
                              [`Delete ${c.name}`, remove, "btn-danger"],
                            ] as const
                          ).map(([label, act, extra]) => (
                            <button
                              key={label}
                              type="button"
                              className={extra ? `btn btn-small ${extra}` : "btn btn-small"}
                              disabled={channels.busy}
                              onClick={() => void act(c)}
                            >
                              {label}
                            </button>
                          ))}
                        </td>
                      )}
                    </tr>
                  ))}
                </DataTable>
              )
            }
          </Loaded>
        </Section>
        {admin && (
          <section className="card" aria-labelledby="channel-new">
            <h2 id="channel-new" className="card-title">
              Add a channel
            </h2>
            <form className="stack-form" onSubmit={(e) => void create(e)}>
              <label className="field">
                <span className="field-label">Channel name</span>
                <input value={name} onChange={(e) => setName(e.target.value)} required placeholder="security on-call" />
              </label>
              <label className="field">
                <span className="field-label">Webhook URL</span>
                <input
                  value={url}
                  onChange={(e) => setUrl(e.target.value)}
                  required
                  placeholder="https://hooks.example.com/trailproof"
                />
              </label>
              <SelectField
                label="Payload format"
                value={format}
                onChange={(v) => setFormat(v === "slack" ? "slack" : "native")}
              >
                <option value="native">Trailproof JSON</option>
                <option value="slack">Slack-compatible</option>
              </SelectField>
              <button type="submit" className="btn btn-primary" disabled={channels.busy}>
                Create channel
              </button>
            </form>
          </section>
        )}
      </div>
    </>
  );
}
