// A labelled <select>. The label is tied by id rather than by wrapping, so
// the select's accessible name is its label alone, not label plus options.
import { type ReactNode, useId } from "react";

export function SelectField({
  label,
  value,
  onChange,
  children,
  inline = false,
  disabled = false,
}: {
  label: string;
  value: string | number;
  onChange: (value: string) => void;
  children: ReactNode;
  inline?: boolean;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className={inline ? "field field-inline" : "field"}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled}>
        {children}
      </select>
    </div>
  );
}
