import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/api-error';
import { SingleFlightLoader } from '../lib/single-flight-loader';

export interface Loaded<T> {
  data: T | null;
  error: ApiError | Error | null;
  loading: boolean;
  /**
   * Loads again, keeping what is shown until the new answer arrives. While a load is in flight
   * it starts one more after it (never a second beside it).
   */
  reload: () => void;
  /** For polling: loads again only if nothing is in flight (a tick during a slow answer is skipped). */
  refreshIfIdle: () => void;
}

/**
 * Runs `load` whenever `key` changes (a string naming what is asked for), one request at a time
 * (SingleFlightLoader): an answer to an older question is dropped and its request aborted
 * through the AbortSignal handed to `load`, so a slow old response never overwrites a newer one
 * and never runs beside it.
 */
export function useLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: Error | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const latest = useRef(load);
  latest.current = load;
  const currentKey = useRef(key);
  currentKey.current = key;
  const loader = useRef<SingleFlightLoader<T> | null>(null);
  const requested = useRef<string | null>(null);

  // One loader per mounting (StrictMode mounts twice in development: the first is disposed).
  useEffect(() => {
    const created = new SingleFlightLoader<T>((_, signal) => latest.current(signal), {
      started: () => setState((previous) => ({ ...previous, loading: true })),
      settled: (_, outcome) =>
        setState((previous) =>
          outcome.ok
            ? { data: outcome.value, error: null, loading: false }
            : {
                data: previous.data,
                error:
                  outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error)),
                loading: false,
              },
        ),
    });
    loader.current = created;
    requested.current = currentKey.current;
    created.request(currentKey.current);
    return () => {
      created.dispose();
      if (loader.current === created) loader.current = null;
    };
  }, []);

  // A new question; the mounting effect above has asked the first one already.
  useEffect(() => {
    if (requested.current === key) return;
    requested.current = key;
    loader.current?.request(key);
  }, [key]);

  const reload = useCallback(() => loader.current?.request(currentKey.current), []);
  const refreshIfIdle = useCallback(() => loader.current?.requestIfIdle(currentKey.current), []);
  return { ...state, reload, refreshIfIdle };
}
