// The "Show meta-audit" switch: a real checkbox styled as a switch (as the
// live tail's), so it is keyboard- and screen-reader-operable as it is.
export function MetaAuditSwitch({ shown, onChange }: { shown: boolean; onChange: (shown: boolean) => void }) {
  return (
    <label className="switch" title="The service's own records of every read (actions audit.*)">
      <input
        type="checkbox"
        role="switch"
        aria-checked={shown}
        checked={shown}
        onChange={(e) => onChange(e.target.checked)}
      />
      <span className="switch-track" aria-hidden="true" />
      <span>Show meta-audit</span>
    </label>
  );
}
