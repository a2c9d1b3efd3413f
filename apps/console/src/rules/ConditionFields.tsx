// The fields of each of the four condition types (docs/alerts.md).
import { SelectField } from "../components/SelectField.js";
import { GroupByField } from "./GroupByField.js";
import type { RuleDraft } from "./rule-draft.js";
import { StepList } from "./StepList.js";
import { TextField } from "./TextField.js";

/** The draft's fields a text input edits as they are. */
type TextKey = { [K in keyof RuleDraft]: RuleDraft[K] extends string ? K : never }[keyof RuleDraft];

export function ConditionFields({ draft, set }: { draft: RuleDraft; set: (patch: Partial<RuleDraft>) => void }) {
  /** A text input bound to one field of the draft. */
  const field = (
    name: TextKey,
    label: string,
    props: Pick<Parameters<typeof TextField>[0], "hint" | "inputMode" | "placeholder" | "required"> = {},
  ) => (
    <TextField
      label={label}
      value={draft[name]}
      onChange={(value) => set({ [name]: value } as Partial<RuleDraft>)}
      {...props}
    />
  );
  const query = field("query", "Events (search syntax)", {
    placeholder: "outcome:denied action:permission.*",
    required: true,
  });
  const groupBy = (max: number) => (
    <GroupByField value={draft.groupBy} onChange={(groupBy) => set({ groupBy })} max={max} />
  );
  if (draft.type === "threshold") {
    return (
      <>
        {query}
        {field("count", "At least (events)", { inputMode: "numeric" })}
        {field("windowMinutes", "Window (minutes)", { inputMode: "decimal" })}
        {groupBy(3)}
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
        {field("baselinePeriods", "Baseline periods", { inputMode: "numeric" })}
        {field("factor", "Factor above baseline", { inputMode: "decimal" })}
        {field("minCount", "Minimum count", { inputMode: "numeric", hint: "quiet tenants page no one" })}
        {groupBy(3)}
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
        {field("withinMinutes", "Within (minutes)", { inputMode: "decimal" })}
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
      {field("schedule", "Schedule (cron)", {
        placeholder: "0 2 * * *",
        hint: "an expected event for each time it names; leave empty to watch for silence",
      })}
      {field("timezone", "Time zone", { placeholder: "UTC" })}
      {field("graceMinutes", "Grace (minutes)", { inputMode: "decimal" })}
      {field("silenceMinutes", "Silence (minutes)", {
        inputMode: "decimal",
        hint: "without a schedule: raise once nothing matched for this long",
      })}
      {groupBy(1)}
    </>
  );
}
