// A button for a change that cannot be undone (revoke a key, disable a
// person): the first press asks, the second does it. The question takes the
// focus so a keyboard user lands on it; Escape or Cancel steps back.
import { useEffect, useRef, useState } from "react";

export function ConfirmButton({
  label,
  confirmLabel,
  subject,
  disabled = false,
  onConfirm,
}: {
  /** The first button's text ("Disable"). */
  label: string;
  /** The second button's text, naming the consequence ("Confirm disable"). */
  confirmLabel: string;
  /** What it acts on, appended to both buttons' accessible names ("ada": "Disable ada", "Confirm disable ada"). */
  subject?: string;
  disabled?: boolean;
  onConfirm: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <button
        type="button"
        className="btn btn-small"
        disabled={disabled}
        aria-label={subject ? `${label} ${subject}` : undefined}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <span className="confirm-step">
      <button
        ref={confirmRef}
        type="button"
        className="btn btn-small btn-danger"
        disabled={disabled}
        aria-label={subject ? `${confirmLabel} ${subject}` : undefined}
        onKeyDown={(e) => {
          if (e.key === "Escape") setAsking(false);
        }}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>{" "}
      <button type="button" className="btn btn-small btn-ghost" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
