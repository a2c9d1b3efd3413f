// Before and after side by side, the paths the event's RFC 6902 patch touched
// marked on each side, and the patch itself as a list of operations.
import type { EventItem, PatchOperation } from "../api/types.js";
import { asEvent } from "../lib/event-view.js";
import { changedPointers, markWithheld } from "../lib/json-lines.js";
import { JsonBlock } from "./JsonBlock.js";

function withheldUnder(item: EventItem, prefix: string): string[] {
  if (!item.redacted) return [];
  return Object.keys(asEvent(item).privacy?.commitments ?? {})
    .filter((p) => p.startsWith(`${prefix}/`))
    .map((p) => p.slice(prefix.length));
}

export function StateDiff({ item }: { item: EventItem }) {
  const change = asEvent(item).change;
  if (!change) return null;
  const { before: removed, after: added } = changedPointers(change.patch);
  const hasBefore = change.before !== undefined;
  const hasAfter = change.after !== undefined;
  return (
    <section className="card" aria-labelledby="diff-title">
      <h2 id="diff-title" className="card-title">
        Change
      </h2>
      <div className={hasBefore && hasAfter ? "diff-grid" : "diff-grid diff-single"}>
        {hasBefore && (
          <div>
            <h3 className="diff-heading">Before</h3>
            <JsonBlock
              value={markWithheld(change.before, withheldUnder(item, "/change/before"))}
              changed={removed}
              tone="removed"
              label="State before the change"
            />
          </div>
        )}
        {hasAfter && (
          <div>
            <h3 className="diff-heading">After</h3>
            <JsonBlock
              value={markWithheld(change.after, withheldUnder(item, "/change/after"))}
              changed={added}
              tone="added"
              label="State after the change"
            />
          </div>
        )}
      </div>
      <PatchList patch={change.patch ?? []} />
      {(change.before_hash || change.after_hash) && (
        <dl className="hash-list">
          {change.before_hash && (
            <>
              <dt>Before hash</dt>
              <dd className="mono break">{change.before_hash}</dd>
            </>
          )}
          {change.after_hash && (
            <>
              <dt>After hash</dt>
              <dd className="mono break">{change.after_hash}</dd>
            </>
          )}
        </dl>
      )}
    </section>
  );
}

export function PatchList({ patch }: { patch: readonly PatchOperation[] }) {
  if (patch.length === 0) return <p className="muted">The patch is empty: nothing changed.</p>;
  return (
    <table className="table table-compact patch-table">
      <caption className="table-caption">
        Patch (RFC 6902), {patch.length} operation{patch.length === 1 ? "" : "s"}
      </caption>
      <thead>
        <tr>
          <th scope="col">Operation</th>
          <th scope="col">Path</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {patch.map((op, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: patch operations are ordered and never reordered
          <tr key={i}>
            <td>
              <span className={`op op-${op.op}`}>{op.op}</span>
            </td>
            <td className="mono">
              {op.from !== undefined && <>{op.from} → </>}
              {op.path}
            </td>
            <td className="mono break">
              {"value" in op ? JSON.stringify(op.value) : <span className="muted">(masked or none)</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
