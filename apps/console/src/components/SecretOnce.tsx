// A secret the server shows once (an API key, a viewer token): displayed
// with a copy button and a clear warning, gone when dismissed.
import { CopyButton } from "./CopyButton.js";

export function SecretOnce({
  title,
  value,
  onDismiss,
  children,
}: {
  title: string;
  value: string;
  onDismiss: () => void;
  children?: React.ReactNode;
}) {
  return (
    <div className="notice notice-ok secret-once" role="status">
      <p>
        <strong>{title}</strong> It is shown only now; store it somewhere safe.
      </p>
      <div className="copy-row">
        <code className="key-text" data-testid="secret-value">
          {value}
        </code>
        <CopyButton value={value} label={`Copy: ${title}`} />
      </div>
      {children}
      <button type="button" className="btn btn-small btn-ghost" onClick={onDismiss}>
        Done
      </button>
    </div>
  );
}
