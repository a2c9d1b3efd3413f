// "Count per": the group fields a windowed rule may count by, as checkboxes.
import { RULE_GROUP_FIELDS } from "@trailproof/protocol";
import type { RuleGroupField } from "../api/rules-api.js";

export function GroupByField({
  value,
  onChange,
  max,
}: {
  value: RuleGroupField[];
  onChange: (value: RuleGroupField[]) => void;
  max: number;
}) {
  return (
    <fieldset className="field rule-group-by">
      <legend className="field-label">Count per (at most {max})</legend>
      {RULE_GROUP_FIELDS.map((field) => {
        const checked = value.includes(field);
        return (
          <label key={field} className="check">
            <input
              type="checkbox"
              checked={checked}
              disabled={!checked && value.length >= max}
              onChange={() => onChange(checked ? value.filter((f) => f !== field) : [...value, field])}
            />{" "}
            {field}
          </label>
        );
      })}
    </fieldset>
  );
}
