// Pages of a search, read with the API's keyset cursor as the reader scrolls,
// and an optional live tail that polls the first page every 2 s and merges
// newer events in. A new query starts over; answers to an old one are dropped.
import { useCallback, useEffect, useRef, useState } from "react";
import type { ApiClient, Query } from "../api/api-client.js";
import type { EventItem, EventPage } from "../api/types.js";

const PAGE_SIZE = 50;
export const TAIL_INTERVAL_MS = 2000;

export interface EventSearch {
  items: EventItem[];
  hasMore: boolean;
  loading: boolean;
  error: unknown;
  /** Ids that arrived through the live tail, for a brief highlight. */
  fresh: ReadonlySet<string>;
  loadMore(): void;
}

function idOf(item: EventItem): string {
  return String(item.event.id ?? item.index);
}

function newestFirst(a: EventItem, b: EventItem): number {
  const ta = String(a.event.occurred_at ?? "");
  const tb = String(b.event.occurred_at ?? "");
  if (ta !== tb) return ta < tb ? 1 : -1;
  return b.index - a.index;
}

export function useEventSearch(api: ApiClient, query: Query, live: boolean): EventSearch {
  const key = JSON.stringify(query);
  const [items, setItems] = useState<EventItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(undefined);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const generation = useRef(0);
  const inFlight = useRef(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `query`
  useEffect(() => {
    const mine = ++generation.current;
    setItems([]);
    setCursor(null);
    setError(undefined);
    setLoading(true);
    setFresh(new Set());
    inFlight.current = true;
    api.get<EventPage>("/v1/events", { ...query, limit: PAGE_SIZE, order: "desc" }).then(
      (page) => {
        if (generation.current !== mine) return;
        setItems(page.events);
        setCursor(page.next_cursor);
        setLoading(false);
        inFlight.current = false;
      },
      (err: unknown) => {
        if (generation.current !== mine) return;
        setError(err);
        setLoading(false);
        inFlight.current = false;
      },
    );
  }, [api, key]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `query`
  const loadMore = useCallback(() => {
    if (!cursor || inFlight.current) return;
    const mine = generation.current;
    inFlight.current = true;
    setLoading(true);
    api.get<EventPage>("/v1/events", { ...query, limit: PAGE_SIZE, order: "desc", cursor }).then(
      (page) => {
        if (generation.current !== mine) return;
        setItems((prev) => {
          const seen = new Set(prev.map(idOf));
          return [...prev, ...page.events.filter((e) => !seen.has(idOf(e)))];
        });
        setCursor(page.next_cursor);
        setLoading(false);
        inFlight.current = false;
      },
      (err: unknown) => {
        if (generation.current !== mine) return;
        setError(err);
        setLoading(false);
        inFlight.current = false;
      },
    );
  }, [api, key, cursor]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `query`
  useEffect(() => {
    if (!live) return;
    const mine = generation.current;
    let stopped = false;
    const poll = async () => {
      try {
        const page = await api.get<EventPage>("/v1/events", { ...query, limit: PAGE_SIZE, order: "desc" });
        if (stopped || generation.current !== mine) return;
        setItems((prev) => {
          const seen = new Set(prev.map(idOf));
          const added = page.events.filter((e) => !seen.has(idOf(e)));
          if (added.length === 0) return prev;
          setFresh(new Set(added.map(idOf)));
          return [...added, ...prev].sort(newestFirst);
        });
      } catch {
        // A failed poll is retried on the next tick; the list keeps what it has.
      }
    };
    const timer = window.setInterval(() => void poll(), TAIL_INTERVAL_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [api, key, live]);

  return { items, hasMore: cursor !== null, loading, error, fresh, loadMore };
}
