// The rule form's state and its conversion to and from a RuleDefinition
// (packages/protocol rule-schemas.ts). Numbers stay text while typed; the
// server validates the definition and names every bad field.
import type { AlertSeverity, RuleDefinition, RuleGroupField, RuleType } from "../api/rules-api.js";

export interface StepDraft {
  query: string;
  self: boolean;
}

export interface RuleDraft {
  name: string;
  description: string;
  severity: AlertSeverity;
  enabled: boolean;
  /** Channel ids, separated by commas or spaces. */
  channels: string;
  type: RuleType;
  /** threshold, spike, absence. */
  query: string;
  groupBy: RuleGroupField[];
  count: string;
  windowMinutes: string;
  bucketSeconds: string;
  baseline: "same_hour_of_day" | "same_hour_of_week" | "previous_buckets";
  baselinePeriods: string;
  factor: string;
  minCount: string;
  by: "actor" | "run" | "session" | "target";
  withinMinutes: string;
  steps: StepDraft[];
  notFollowedBy: StepDraft[];
  schedule: string;
  timezone: string;
  graceMinutes: string;
  silenceMinutes: string;
}

export const RULE_TYPES: { type: RuleType; label: string; help: string }[] = [
  { type: "threshold", label: "Threshold", help: "at least N matching events in a sliding window" },
  { type: "spike", label: "Spike", help: "a bucket's count well above the tenant's own baseline" },
  { type: "sequence", label: "Sequence", help: "steps in order by the same actor, run, session or target" },
  { type: "absence", label: "Absence", help: "an expected event did not arrive" },
];

export function emptyDraft(): RuleDraft {
  return {
    name: "",
    description: "",
    severity: "medium",
    enabled: true,
    channels: "",
    type: "threshold",
    query: "",
    groupBy: [],
    count: "10",
    windowMinutes: "5",
    bucketSeconds: "3600",
    baseline: "same_hour_of_week",
    baselinePeriods: "4",
    factor: "3",
    minCount: "20",
    by: "actor",
    withinMinutes: "60",
    steps: [
      { query: "", self: false },
      { query: "", self: false },
    ],
    notFollowedBy: [],
    schedule: "",
    timezone: "",
    graceMinutes: "30",
    silenceMinutes: "",
  };
}

/** A number as typed: NaN for text that is none, so the server names the field instead of a guess. */
const num = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));
const seconds = (minutes: string) => Math.round(num(minutes) * 60);
const minutes = (s: number | undefined) => (s === undefined ? "" : String(s / 60));
const steps = (list: StepDraft[]) => list.map((s) => ({ query: s.query, ...(s.self ? { self: true } : {}) }));

export function toDefinition(d: RuleDraft): RuleDefinition {
  const channels = d.channels.split(/[\s,]+/).filter((c) => c !== "");
  const groupBy = d.groupBy.length > 0 ? { group_by: d.groupBy } : {};
  const condition: RuleDefinition["condition"] =
    d.type === "threshold"
      ? { type: "threshold", query: d.query, count: num(d.count), window_seconds: seconds(d.windowMinutes), ...groupBy }
      : d.type === "spike"
        ? {
            type: "spike",
            query: d.query,
            bucket_seconds: num(d.bucketSeconds) as 300 | 900 | 3600 | 86400,
            baseline: d.baseline,
            baseline_periods: num(d.baselinePeriods),
            factor: num(d.factor),
            min_count: num(d.minCount),
            ...groupBy,
          }
        : d.type === "sequence"
          ? {
              type: "sequence",
              by: d.by,
              within_seconds: seconds(d.withinMinutes),
              steps: steps(d.steps),
              ...(d.notFollowedBy.length > 0 ? { not_followed_by: steps(d.notFollowedBy) } : {}),
            }
          : {
              type: "absence",
              query: d.query,
              ...(d.schedule.trim() === "" ? {} : { schedule: d.schedule.trim() }),
              ...(d.timezone.trim() === "" ? {} : { timezone: d.timezone.trim() }),
              ...(d.schedule.trim() === "" || d.graceMinutes.trim() === ""
                ? {}
                : { grace_seconds: seconds(d.graceMinutes) }),
              ...(d.silenceMinutes.trim() === "" ? {} : { silence_seconds: seconds(d.silenceMinutes) }),
              ...(d.groupBy.length > 0 ? { group_by: d.groupBy.slice(0, 1) } : {}),
            };
  return {
    name: d.name,
    ...(d.description.trim() === "" ? {} : { description: d.description }),
    severity: d.severity,
    enabled: d.enabled,
    condition,
    ...(channels.length > 0 ? { channels } : {}),
  };
}

export function fromDefinition(def: RuleDefinition): RuleDraft {
  const d: RuleDraft = {
    ...emptyDraft(),
    name: def.name,
    description: def.description ?? "",
    severity: def.severity,
    enabled: def.enabled ?? true,
    channels: (def.channels ?? []).join(", "),
    type: def.condition.type,
  };
  const c = def.condition;
  if (c.type === "threshold") {
    return {
      ...d,
      query: c.query,
      count: String(c.count),
      windowMinutes: minutes(c.window_seconds),
      groupBy: c.group_by ?? [],
    };
  }
  if (c.type === "spike") {
    return {
      ...d,
      query: c.query,
      bucketSeconds: String(c.bucket_seconds),
      baseline: c.baseline,
      baselinePeriods: String(c.baseline_periods),
      factor: String(c.factor),
      minCount: String(c.min_count),
      groupBy: c.group_by ?? [],
    };
  }
  if (c.type === "sequence") {
    const toDraft = (s: { query: string; self?: boolean }) => ({ query: s.query, self: s.self === true });
    return {
      ...d,
      by: c.by,
      withinMinutes: minutes(c.within_seconds),
      steps: c.steps.map(toDraft),
      notFollowedBy: (c.not_followed_by ?? []).map(toDraft),
    };
  }
  return {
    ...d,
    query: c.query,
    schedule: c.schedule ?? "",
    timezone: c.timezone ?? "",
    graceMinutes: minutes(c.grace_seconds),
    silenceMinutes: minutes(c.silence_seconds),
    groupBy: c.group_by ?? [],
  };
}
