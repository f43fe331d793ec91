import { useCallback, useEffect, useRef, useState } from 'react';

export interface ApiResource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads one thing for a screen (an auction, a lead) and reloads when `deps` change. An answer that
 * arrives after a newer request started is dropped, so fast navigation never shows the wrong record.
 */
export function useApi<T>(load: () => Promise<T>, deps: readonly unknown[]): ApiResource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: null, loading: true });
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    loadRef.current().then(
      (data) => mine === seq.current && setState({ data, error: null, loading: false }),
      (error: unknown) => mine === seq.current && setState({ data: undefined, error, loading: false }),
    );
  }, []);

  // Reloads exactly when the caller's deps change; `run` itself is stable.
  useEffect(run, deps);
  return { ...state, reload: run };
}
