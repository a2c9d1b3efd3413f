// The ten recovery codes, shown once after enrolment: each signs in once
// when the authenticator is lost.
import { useState } from "react";
import { CopyButton } from "../components/CopyButton.js";
import { downloadBlob } from "../lib/download.js";

export function RecoveryCodes({ codes, onContinue }: { codes: string[]; onContinue: () => void }) {
  const [stored, setStored] = useState(false);
  const text = `${codes.join("\n")}\n`;
  return (
    <div className="recovery">
      <h2 className="signin-step-title">Save your recovery codes</h2>
      <p>
        If you lose your authenticator, each of these codes signs you in once. They are shown only now. Keep them
        somewhere safe, like a password manager.
      </p>
      <ol className="recovery-codes" aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c} className="mono">
            {c}
          </li>
        ))}
      </ol>
      <div className="button-row">
        <CopyButton value={text} label="Copy the recovery codes" />
        <button
          type="button"
          className="btn btn-small"
          onClick={() => downloadBlob(new Blob([text], { type: "text/plain" }), "trailproof-recovery-codes.txt")}
        >
          Download
        </button>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={stored} onChange={(e) => setStored(e.target.checked)} />
        <span>I have stored these codes</span>
      </label>
      <button type="button" className="btn btn-primary btn-block" disabled={!stored} onClick={onContinue}>
        Continue to the console
      </button>
    </div>
  );
}
