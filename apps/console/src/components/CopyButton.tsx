// Copies a value to the clipboard and says so; the value stays selectable
// beside it for browsers that refuse clipboard access.
import { useState } from "react";

export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState<"idle" | "done" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("done");
    } catch {
      setCopied("failed");
    }
    window.setTimeout(() => setCopied("idle"), 2500);
  };
  return (
    <button type="button" className="btn btn-small" onClick={() => void copy()} aria-label={label}>
      {copied === "done" ? "Copied" : copied === "failed" ? "Select and copy" : "Copy"}
    </button>
  );
}
