// Loads the next page when the end of the list comes near (IntersectionObserver),
// with a button for keyboard users and for when observing is not possible.
import { useEffect, useRef } from "react";
import { formatNumber } from "../lib/format.js";

export function InfiniteScroll({
  hasMore,
  loading,
  onMore,
  count,
}: {
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
  count: number;
}) {
  const sentinel = useRef<HTMLDivElement>(null);
  const more = useRef(onMore);
  more.current = onMore;

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new count re-observes, so a short page asks again
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasMore || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) more.current();
      },
      { rootMargin: "600px 0px" },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasMore, count]);

  return (
    <div className="list-footer" ref={sentinel}>
      <span className="muted" role="status" aria-live="polite">
        {loading ? "Loading…" : `${formatNumber(count)} events shown${hasMore ? "" : " · end of results"}`}
      </span>
      {hasMore && !loading && (
        <button type="button" className="btn btn-small" onClick={onMore}>
          Load more
        </button>
      )}
    </div>
  );
}
