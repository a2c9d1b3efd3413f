// A labelled text input of the rule form (the label wraps it, as the admin forms do).
export function TextField({
  label,
  value,
  onChange,
  hint,
  inputMode,
  placeholder,
  required = false,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  inputMode?: "numeric" | "decimal" | "text";
  placeholder?: string;
  required?: boolean;
}) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        value={value}
        onChange={(e) => onChange(e.target.value)}
        inputMode={inputMode}
        placeholder={placeholder}
        required={required}
        autoComplete="off"
      />
      {hint && <span className="field-hint">{hint}</span>}
    </label>
  );
}
