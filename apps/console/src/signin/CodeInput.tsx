// A one-time code field: numeric keyboard on phones, the browser's
// one-time-code autofill, digits only.
export function CodeInput({
  id,
  label,
  value,
  onChange,
  digits = true,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  digits?: boolean;
}) {
  return (
    <label className="field" htmlFor={id}>
      <span className="field-label">{label}</span>
      <input
        id={id}
        className="code-input"
        value={value}
        onChange={(e) => onChange(digits ? e.target.value.replace(/\D/g, "").slice(0, 8) : e.target.value.trim())}
        inputMode={digits ? "numeric" : "text"}
        autoComplete="one-time-code"
        pattern={digits ? "[0-9]{6,8}" : undefined}
        required
        spellCheck={false}
      />
    </label>
  );
}
