// A labelled input of the stream form with the API's problems for it right
// below (problem+json pointers sorted by stream-draft.ts): the input is
// marked invalid and described by them, so a screen reader reads them too.
import { type ReactNode, useId } from "react";
import type { Problem } from "./stream-draft.js";

export function FieldProblems({ id, problems }: { id: string; problems: readonly Problem[] | undefined }) {
  if (!problems || problems.length === 0) return null;
  return (
    <div id={id} className="field-error" role="alert">
      {problems.map((p) => (
        <p key={`${p.pointer}:${p.message}`}>{p.message}</p>
      ))}
    </div>
  );
}

export function ProblemField({
  label,
  value,
  onChange,
  problems,
  hint,
  placeholder,
  required = false,
  type = "text",
  multiline = false,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  problems: readonly Problem[] | undefined;
  hint?: ReactNode;
  placeholder?: string;
  required?: boolean;
  type?: "text" | "password" | "url";
  multiline?: boolean;
}) {
  const id = useId();
  const invalid = (problems?.length ?? 0) > 0;
  const common = {
    id,
    value,
    placeholder,
    required,
    "aria-invalid": invalid,
    "aria-describedby": invalid ? `${id}-problems` : undefined,
    autoComplete: "off",
    spellCheck: false,
  };
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {multiline ? (
        <textarea {...common} rows={5} className="mono" onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type={type} onChange={(e) => onChange(e.target.value)} />
      )}
      {hint && <span className="field-hint">{hint}</span>}
      <FieldProblems id={`${id}-problems`} problems={problems} />
    </div>
  );
}
