// Read-only JSON with changed lines marked (and said so for screen readers),
// withheld and erased personal values shown in place.
import { Erased } from "../components/Erased.js";
import { isChanged, type JsonLine, jsonLines } from "../lib/json-lines.js";

export function JsonBlock({
  value,
  changed = [],
  tone = "neutral",
  label,
}: {
  value: unknown;
  changed?: readonly string[];
  tone?: "removed" | "added" | "neutral";
  label: string;
}) {
  const lines = jsonLines(value);
  return (
    <figure className="json-figure">
      <figcaption className="sr-only">{label}</figcaption>
      <pre className={`json json-${tone}`}>
        {lines.map((line: JsonLine, i) => {
          const marked = changed.length > 0 && line.pointer !== "" && isChanged(line.pointer, changed);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional and never reordered
            <span key={i} className={marked ? "json-line json-changed" : "json-line"} data-pointer={line.pointer}>
              <span className="json-indent">{"  ".repeat(line.depth)}</span>
              {line.key && <span className="json-key">{line.key}</span>}
              {line.erased ? (
                <Erased erasure={line.erased} />
              ) : line.withheld ? (
                <span className="withheld">withheld (personal)</span>
              ) : (
                <span>{line.text}</span>
              )}
              {line.comma ? "," : ""}
              {marked && <span className="sr-only"> (changed)</span>}
              {"\n"}
            </span>
          );
        })}
      </pre>
    </figure>
  );
}
