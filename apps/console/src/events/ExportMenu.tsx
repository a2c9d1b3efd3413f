// Exports: the result on screen as NDJSON built here, and for auditors the
// server's exports (/v1/export, docs/exports.md): the signed bundle, which an
// independent verifier can check, or the events matching the current search
// as NDJSON, CSV (spreadsheet-safe unless unticked) or OCSF, streamed by the
// server however many there are.
import { useState } from "react";
import { buildUrl, type Query } from "../api/api-client.js";
import { useApi } from "../api/api-context.js";
import { errorMessage } from "../api/api-error.js";
import type { EventItem } from "../api/types.js";
import { roleAtLeast } from "../auth/roles.js";
import { downloadBlob, eventsToNdjson, timestampedName } from "../lib/download.js";

const FORMATS = [
  { value: "bundle", label: "Bundle (whole log, verifiable)", ext: "bundle" },
  { value: "ndjson", label: "NDJSON (matching events)", ext: "ndjson" },
  { value: "csv", label: "CSV (matching events)", ext: "csv" },
  { value: "ocsf", label: "OCSF (matching events)", ext: "ocsf.ndjson" },
] as const;
type Format = (typeof FORMATS)[number]["value"];

/** The export's query: the search's filters (the bundle takes none), and for CSV the safe switch. */
export function exportQuery(format: Format, search: Query, safe: boolean): Query {
  if (format === "bundle") return {};
  const query: Query = { format };
  for (const [key, value] of Object.entries(search)) if (value !== undefined && value !== "") query[key] = value;
  if (format === "csv") query.safe = safe ? "true" : "false";
  return query;
}

export function ExportMenu({ items, query }: { items: readonly EventItem[]; query: Query }) {
  const { api, role } = useApi();
  const [status, setStatus] = useState("");
  const [format, setFormat] = useState<Format>("bundle");
  const [safe, setSafe] = useState(true);
  const chosen = FORMATS.find((f) => f.value === format) ?? FORMATS[0];
  const asked = exportQuery(format, query, safe);

  const downloadResult = () => {
    downloadBlob(
      new Blob([eventsToNdjson(items)], { type: "application/x-ndjson" }),
      timestampedName("trailproof-events", "ndjson"),
    );
    setStatus(`Downloaded ${items.length} events.`);
  };

  const downloadExport = async () => {
    setStatus("Preparing the export…");
    try {
      const response = await api.request("GET", "/v1/export", { query: asked });
      downloadBlob(await response.blob(), timestampedName("trailproof-export", chosen.ext));
      setStatus("Export downloaded.");
    } catch (err) {
      setStatus(`Export failed: ${errorMessage(err)}`);
    }
  };

  return (
    <div className="export-menu">
      <button type="button" className="btn" onClick={downloadResult} disabled={items.length === 0}>
        Download result (NDJSON)
      </button>
      {roleAtLeast(role, "auditor") && (
        <>
          <label className="export-format">
            <span className="sr-only">Export format</span>
            <select value={format} onChange={(e) => setFormat(e.target.value as Format)}>
              {FORMATS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          </label>
          {format === "csv" && (
            <label
              className="export-safe"
              title="Prefix cells starting with = + - @ with a quote so a spreadsheet never runs them"
            >
              <input type="checkbox" checked={safe} onChange={(e) => setSafe(e.target.checked)} /> Spreadsheet-safe
            </label>
          )}
          {api.usesCookie ? (
            <a className="btn" href={buildUrl("/v1/export", asked)} download>
              Export
            </a>
          ) : (
            <button type="button" className="btn" onClick={() => void downloadExport()}>
              Export
            </button>
          )}
        </>
      )}
      <span className="sr-only" role="status">
        {status}
      </span>
    </div>
  );
}
