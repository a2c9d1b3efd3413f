// Tenant settings: what happens to events whose action has no schema.
import { type FormEvent, useEffect, useState } from "react";
import type { TenantSettings } from "../api/types.js";
import { Loaded, OutcomeNotice } from "./AdminViews.js";
import { useAdminResource } from "./use-admin-resource.js";

export function SettingsPanel() {
  const settings = useAdminResource((api) => api.get<TenantSettings>("/v1/settings"));
  const [policy, setPolicy] = useState<"reject" | "accept">("reject");
  const loaded = settings.resource.data;
  useEffect(() => {
    if (loaded) setPolicy(loaded.unknown_actions);
  }, [loaded]);

  const save = (e: FormEvent) => {
    e.preventDefault();
    void settings.change(
      (api) => api.send("PATCH", "/v1/settings", { unknown_actions: policy }),
      "Saved. The change is recorded in this tenant's log.",
    );
  };

  return (
    <Loaded state={settings.resource} what="settings">
      {(data) => (
        <section className="card settings-card" aria-labelledby="settings-title">
          <h2 id="settings-title" className="card-title">
            Tenant settings
          </h2>
          <dl className="dl">
            <dt>Tenant</dt>
            <dd className="mono">{data.tenant}</dd>
            <dt>Log origin</dt>
            <dd className="mono break">{data.origin}</dd>
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
            <button
              type="submit"
              className="btn btn-primary"
              disabled={settings.busy || policy === data.unknown_actions}
            >
              Save settings
            </button>
          </form>
          <OutcomeNotice outcome={settings.outcome} failureTitle="Not saved" />
        </section>
      )}
    </Loaded>
  );
}
