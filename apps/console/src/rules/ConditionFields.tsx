// The fields of each of the four condition types (docs/alerts.md).
import { SelectField } from "../components/SelectField.js";
import { GroupByField } from "./GroupByField.js";
import type { RuleDraft } from "./rule-draft.js";
import { StepList } from "./StepList.js";
import { TextField } from "./TextField.js";

export function ConditionFields({ draft, set }: { draft: RuleDraft; set: (patch: Partial<RuleDraft>) => void }) {
  const query = (
    <TextField
      label="Events (search syntax)"
      value={draft.query}
      onChange={(query) => set({ query })}
      placeholder="outcome:denied action:permission.*"
      required
    />
  );
  if (draft.type === "threshold") {
    return (
      <>
        {query}
        <TextField
          label="At least (events)"
          inputMode="numeric"
          value={draft.count}
          onChange={(count) => set({ count })}
        />
        <TextField
          label="Window (minutes)"
          inputMode="decimal"
          value={draft.windowMinutes}
          onChange={(windowMinutes) => set({ windowMinutes })}
        />
        <GroupByField value={draft.groupBy} onChange={(groupBy) => set({ groupBy })} max={3} />
      </>
    );
  }
  if (draft.type === "spike") {
    return (
      <>
        {query}
        <SelectField label="Bucket" value={draft.bucketSeconds} onChange={(bucketSeconds) => set({ bucketSeconds })}>
          <option value="300">5 minutes</option>
          <option value="900">15 minutes</option>
          <option value="3600">1 hour</option>
          <option value="86400">1 day</option>
        </SelectField>
        <SelectField
          label="Baseline"
          value={draft.baseline}
          onChange={(v) => set({ baseline: v as RuleDraft["baseline"] })}
        >
          <option value="same_hour_of_day">the same hour of the day, previous days</option>
          <option value="same_hour_of_week">the same hour of the week, previous weeks</option>
          <option value="previous_buckets">the buckets just before</option>
        </SelectField>
        <TextField
          label="Baseline periods"
          inputMode="numeric"
          value={draft.baselinePeriods}
          onChange={(baselinePeriods) => set({ baselinePeriods })}
        />
        <TextField
          label="Factor above baseline"
          inputMode="decimal"
          value={draft.factor}
          onChange={(factor) => set({ factor })}
        />
        <TextField
          label="Minimum count"
          inputMode="numeric"
          value={draft.minCount}
          onChange={(minCount) => set({ minCount })}
          hint="quiet tenants page no one"
        />
        <GroupByField value={draft.groupBy} onChange={(groupBy) => set({ groupBy })} max={3} />
      </>
    );
  }
  if (draft.type === "sequence") {
    return (
      <>
        <SelectField label="Same" value={draft.by} onChange={(v) => set({ by: v as RuleDraft["by"] })}>
          <option value="actor">actor</option>
          <option value="run">automation run</option>
          <option value="session">session</option>
          <option value="target">target</option>
        </SelectField>
        <TextField
          label="Within (minutes)"
          inputMode="decimal"
          value={draft.withinMinutes}
          onChange={(withinMinutes) => set({ withinMinutes })}
        />
        <StepList title="Step" steps={draft.steps} onChange={(steps) => set({ steps })} min={2} max={10} />
        <StepList
          title="Not followed by"
          steps={draft.notFollowedBy}
          onChange={(notFollowedBy) => set({ notFollowedBy })}
          min={0}
          max={5}
        />
      </>
    );
  }
  return (
    <>
      {query}
      <TextField
        label="Schedule (cron)"
        value={draft.schedule}
        onChange={(schedule) => set({ schedule })}
        placeholder="0 2 * * *"
        hint="an expected event for each time it names; leave empty to watch for silence"
      />
      <TextField
        label="Time zone"
        value={draft.timezone}
        onChange={(timezone) => set({ timezone })}
        placeholder="UTC"
      />
      <TextField
        label="Grace (minutes)"
        inputMode="decimal"
        value={draft.graceMinutes}
        onChange={(graceMinutes) => set({ graceMinutes })}
      />
      <TextField
        label="Silence (minutes)"
        inputMode="decimal"
        value={draft.silenceMinutes}
        onChange={(silenceMinutes) => set({ silenceMinutes })}
        hint="without a schedule: raise once nothing matched for this long"
      />
      <GroupByField value={draft.groupBy} onChange={(groupBy) => set({ groupBy })} max={1} />
    </>
  );
}
