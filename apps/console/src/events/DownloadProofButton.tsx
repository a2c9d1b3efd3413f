// "Download proof": the event's C2SP tlog-proof (GET /v1/events/{id}/proof),
// a `.tlog-proof` file anyone can check offline with the log's verifier key
// (`trailproof verify --proof FILE --key VKEY`), without this console.
import { useState } from "react";
import { useApi } from "../api/api-context.js";
import { errorMessage } from "../api/api-error.js";
import { downloadBlob } from "../lib/download.js";

export function DownloadProofButton({ eventId }: { eventId: string }) {
  const { api } = useApi();
  const [status, setStatus] = useState("");

  const download = async () => {
    setStatus("Fetching the proof…");
    try {
      const response = await api.request("GET", `/v1/events/${encodeURIComponent(eventId)}/proof`);
      downloadBlob(await response.blob(), `${eventId.replace(/[^A-Za-z0-9._-]/g, "_")}.tlog-proof`);
      setStatus("Proof downloaded.");
    } catch (err) {
      setStatus(`Could not download the proof: ${errorMessage(err)}`);
    }
  };

  return (
    <p className="proof-download">
      <button type="button" className="btn" onClick={() => void download()}>
        Download proof
      </button>{" "}
      <span className="muted small" role="status">
        {status || "A C2SP tlog-proof: trailproof verify --proof FILE --key VKEY checks it offline."}
      </span>
    </p>
  );
}
