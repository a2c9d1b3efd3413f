// Exports: the result on screen as NDJSON built here, and for auditors the
// signed export bundle (/v1/export), which an independent verifier can check.
import { useState } from "react";
import { useApi } from "../api/api-context.js";
import { errorMessage } from "../api/api-error.js";
import type { EventItem } from "../api/types.js";
import { roleAtLeast } from "../auth/roles.js";
import { downloadBlob, eventsToNdjson, timestampedName } from "../lib/download.js";

export function ExportMenu({ items }: { items: readonly EventItem[] }) {
  const { api, role } = useApi();
  const [status, setStatus] = useState("");

  const downloadResult = () => {
    downloadBlob(
      new Blob([eventsToNdjson(items)], { type: "application/x-ndjson" }),
      timestampedName("trailproof-events", "ndjson"),
    );
    setStatus(`Downloaded ${items.length} events.`);
  };

  const downloadBundle = async () => {
    setStatus("Preparing the export bundle…");
    try {
      const response = await api.request("GET", "/v1/export");
      downloadBlob(await response.blob(), timestampedName("trailproof-export", "ndjson"));
      setStatus("Export bundle downloaded.");
    } catch (err) {
      setStatus(`Export failed: ${errorMessage(err)}`);
    }
  };

  return (
    <div className="export-menu">
      <button type="button" className="btn" onClick={downloadResult} disabled={items.length === 0}>
        Download result (NDJSON)
      </button>
      {roleAtLeast(role, "auditor") &&
        (api.usesCookie ? (
          <a className="btn" href="/v1/export" download>
            Export bundle
          </a>
        ) : (
          <button type="button" className="btn" onClick={() => void downloadBundle()}>
            Export bundle
          </button>
        ))}
      <span className="sr-only" role="status">
        {status}
      </span>
    </div>
  );
}
