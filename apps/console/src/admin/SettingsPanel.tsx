// Tenant settings: what happens to events whose action has no schema.
import { type FormEvent, useEffect, useState } from "react";
import { useApi } from "../api/api-context.js";
import type { TenantSettings } from "../api/types.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Loading } from "../components/Loading.js";
import { useAsync } from "../lib/use-async.js";

export function SettingsPanel() {
  const { api } = useApi();
  const settings = useAsync(() => api.get<TenantSettings>("/v1/settings"), [api]);
  const [policy, setPolicy] = useState<"reject" | "accept">("reject");
  const [error, setError] = useState<unknown>(undefined);
  const [message, setMessage] = useState("");
  useEffect(() => {
    if (settings.data) setPolicy(settings.data.unknown_actions);
  }, [settings.data]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api.send("PATCH", "/v1/settings", { unknown_actions: policy });
      setMessage("Saved. The change is recorded in this tenant's log.");
      settings.reload();
    } catch (err) {
      setError(err);
    }
  };

  if (settings.loading) return <Loading />;
  if (settings.error !== undefined || !settings.data) return <ErrorNotice error={settings.error} />;
  return (
    <section className="card settings-card" aria-labelledby="settings-title">
      <h2 id="settings-title" className="card-title">
        Tenant settings
      </h2>
      <dl className="dl">
        <dt>Tenant</dt>
        <dd className="mono">{settings.data.tenant}</dd>
        <dt>Log origin</dt>
        <dd className="mono break">{settings.data.origin}</dd>
      </dl>
      <form className="stack-form" onSubmit={(e) => void save(e)}>
        <fieldset className="subfields">
          <legend>Events with an unregistered action</legend>
          <label className="radio">
            <input
              type="radio"
              name="unknown_actions"
              value="reject"
              checked={policy === "reject"}
              onChange={() => setPolicy("reject")}
            />
            <span>
              <strong>Reject</strong> — every action must have a schema (recommended)
            </span>
          </label>
          <label className="radio">
            <input
              type="radio"
              name="unknown_actions"
              value="accept"
              checked={policy === "accept"}
              onChange={() => setPolicy("accept")}
            />
            <span>
              <strong>Accept</strong> — record them unvalidated (kind and category then required)
            </span>
          </label>
        </fieldset>
        <button type="submit" className="btn btn-primary" disabled={policy === settings.data.unknown_actions}>
          Save settings
        </button>
      </form>
      {error !== undefined && <ErrorNotice error={error} title="Not saved" />}
      {message && (
        <p className="notice notice-ok" role="status">
          {message}
        </p>
      )}
    </section>
  );
}
