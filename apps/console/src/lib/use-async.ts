// Loads data for a view and tracks loading and error states; a newer load
// (or unmounting) discards the answer of an older one.
import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

export function useAsync<T>(load: () => Promise<T>, deps: DependencyList): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const generation = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to reload
  useEffect(() => {
    const mine = ++generation.current;
    setLoading(true);
    setError(undefined);
    load().then(
      (value) => {
        if (generation.current !== mine) return;
        setData(value);
        setLoading(false);
      },
      (err: unknown) => {
        if (generation.current !== mine) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => {
      generation.current++;
    };
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
