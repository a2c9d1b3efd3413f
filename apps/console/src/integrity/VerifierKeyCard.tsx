// The log's verifier key, to copy into an independent verifier and to pin
// in this browser, so later checks use it rather than the server's word.
import { useState } from "react";
import type { VerifierKeys } from "../api/types.js";
import { Badge } from "../components/Badge.js";
import { CopyButton } from "../components/CopyButton.js";
import { formatTime } from "../lib/format.js";
import { loadPinnedKey, savePinnedKey } from "../lib/pinned-key.js";

export function VerifierKeyCard({ keys }: { keys: VerifierKeys }) {
  const [pin, setPin] = useState(loadPinnedKey);
  const pinnedHere = pin?.origin === keys.origin;
  const matches = pinnedHere && pin?.verifierKey === keys.verifier_key;
  const update = (next: typeof pin) => {
    savePinnedKey(next);
    setPin(next);
  };
  return (
    <section className="card" aria-labelledby="key-title">
      <h2 id="key-title" className="card-title">
        Verifier key
      </h2>
      <dl className="dl">
        <dt>Origin</dt>
        <dd className="mono break">{keys.origin}</dd>
        <dt>Active key</dt>
        <dd>
          <div className="copy-row">
            <code className="key-text" data-testid="verifier-key">
              {keys.verifier_key}
            </code>
            <CopyButton value={keys.verifier_key} label="Copy the verifier key" />
          </div>
        </dd>
        <dt>In this browser</dt>
        <dd>
          {!pinnedHere ? (
            <Badge tone="neutral">not pinned</Badge>
          ) : matches ? (
            <Badge tone="ok">pinned, matches</Badge>
          ) : (
            <Badge tone="bad">pinned key differs from the server's</Badge>
          )}{" "}
          {pinnedHere ? (
            <button type="button" className="btn btn-small btn-ghost" onClick={() => update(undefined)}>
              Unpin
            </button>
          ) : (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => update({ origin: keys.origin, verifierKey: keys.verifier_key })}
            >
              Pin this key
            </button>
          )}
        </dd>
      </dl>
      {keys.keys.length > 1 && (
        <table className="table table-compact">
          <caption className="table-caption">Every key this log has used</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Created</th>
              <th scope="col">Retired</th>
            </tr>
          </thead>
          <tbody>
            {keys.keys.map((k) => (
              <tr key={k.verifier_key}>
                <td className="mono break small">{k.verifier_key}</td>
                <td>{formatTime(k.created_at)}</td>
                <td>{k.retired_at ? formatTime(k.retired_at) : "active"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted small">
        Check an export yourself with <code>trailproof verify --bundle FILE --key {"<this key>"}</code>.
      </p>
    </section>
  );
}
