// The rule form: name, severity, the condition of one of the four types, and
// the preview of what the definition would have raised, before it is saved.
import { type FormEvent, useState } from "react";
import type { RuleDefinition, RuleType } from "../api/rules-api.js";
import { SelectField } from "../components/SelectField.js";
import { ConditionFields } from "./ConditionFields.js";
import { ProblemNotice } from "./ProblemNotice.js";
import { RulePreview } from "./RulePreview.js";
import { RULE_TYPES, type RuleDraft, toDefinition } from "./rule-draft.js";
import { TextField } from "./TextField.js";

export function RuleForm({
  initial,
  submitLabel,
  onSubmit,
}: {
  initial: RuleDraft;
  submitLabel: string;
  onSubmit: (definition: RuleDefinition) => Promise<void>;
}) {
  const [draft, setDraft] = useState(initial);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<RuleDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(toDefinition(draft));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="rule-editor">
      <form className="card stack-form" aria-label="Rule" onSubmit={(e) => void submit(e)}>
        <TextField label="Name" value={draft.name} onChange={(name) => set({ name })} required />
        <TextField label="Description" value={draft.description} onChange={(description) => set({ description })} />
        <SelectField
          label="Severity"
          value={draft.severity}
          onChange={(v) => set({ severity: v as RuleDraft["severity"] })}
        >
          <option value="low">low</option>
          <option value="medium">medium</option>
          <option value="high">high</option>
          <option value="critical">critical</option>
        </SelectField>
        <SelectField label="Type" value={draft.type} onChange={(v) => set({ type: v as RuleType, groupBy: [] })}>
          {RULE_TYPES.map((t) => (
            <option key={t.type} value={t.type}>
              {t.label}: {t.help}
            </option>
          ))}
        </SelectField>
        <ConditionFields draft={draft} set={set} />
        <TextField
          label="Notification channels"
          value={draft.channels}
          onChange={(channels) => set({ channels })}
          placeholder="chn_oncall, chn_slack"
          hint="channel ids, separated by commas"
        />
        <label className="check">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> Enabled
        </label>
        {error !== undefined && <ProblemNotice error={error} title="Could not save the rule" />}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {submitLabel}
        </button>
      </form>
      <RulePreview definition={() => toDefinition(draft)} />
    </div>
  );
}
