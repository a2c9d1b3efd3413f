// The steps of a sequence rule (or its "and not followed by" steps): each a
// query in the search syntax, optionally "to self" (the target is the actor).
import type { StepDraft } from "./rule-draft.js";

export function StepList({
  title,
  steps,
  onChange,
  min,
  max,
}: {
  title: string;
  steps: StepDraft[];
  onChange: (steps: StepDraft[]) => void;
  min: number;
  max: number;
}) {
  const set = (i: number, step: StepDraft) => onChange(steps.map((s, j) => (j === i ? step : s)));
  return (
    <fieldset className="field rule-steps">
      <legend className="field-label">{title}</legend>
      <ol>
        {steps.map((step, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: steps are positional; their order is their identity
          <li key={i}>
            <label className="field">
              <span className="field-label">
                {title} {i + 1}: query
              </span>
              <input
                value={step.query}
                onChange={(e) => set(i, { ...step, query: e.target.value })}
                placeholder="action:permission.grant"
                autoComplete="off"
              />
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={step.self}
                onChange={(e) => set(i, { ...step, self: e.target.checked })}
              />{" "}
              to self (the target is the actor)
            </label>
            {steps.length > min && (
              <button
                type="button"
                className="btn btn-small btn-ghost"
                onClick={() => onChange(steps.filter((_, j) => j !== i))}
              >
                Remove {title.toLowerCase()} {i + 1}
              </button>
            )}
          </li>
        ))}
      </ol>
      {steps.length < max && (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => onChange([...steps, { query: "", self: false }])}
        >
          Add {title.toLowerCase()}
        </button>
      )}
    </fieldset>
  );
}
