// Calls `reload` every `intervalMs` while the tab is visible, so a stream's
// health (lag, delivered, last error) stays current without a Refresh button
// and a tab in the background asks the server nothing.
import { useEffect } from "react";

export const HEALTH_REFRESH_MS = 3000;

export function usePolling(reload: () => void, intervalMs = HEALTH_REFRESH_MS): void {
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible") reload();
    }, intervalMs);
    return () => window.clearInterval(timer);
  }, [reload, intervalMs]);
}
