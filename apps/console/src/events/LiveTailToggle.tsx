// The live tail switch: a real checkbox styled as a switch, so it is
// keyboard- and screen-reader-operable as it is.
import { TAIL_INTERVAL_MS } from "./use-event-search.js";

export function LiveTailToggle({ live, onChange }: { live: boolean; onChange: (live: boolean) => void }) {
  return (
    <label className="switch" title={`Checks for newer events every ${TAIL_INTERVAL_MS / 1000} s`}>
      <input
        type="checkbox"
        role="switch"
        aria-checked={live}
        checked={live}
        onChange={(e) => onChange(e.target.checked)}
      />
      <span className="switch-track" aria-hidden="true" />
      <span>Live tail</span>
      {live && <span className="live-dot" aria-hidden="true" />}
    </label>
  );
}
