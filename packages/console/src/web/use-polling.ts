import { useCallback, useEffect, useRef, useState } from "preact/hooks";

/** What {@link usePolling} holds: the last answer, the last error, when it last succeeded. */
export interface Polled<T> {
  data: T | undefined;
  error: Error | undefined;
  updatedAt: Date | undefined;
  /** Loads again now (after an action). */
  reload: () => void;
}

/**
 * Live updates by polling: loads now, then `intervalMs` after each answer (never two requests at
 * once), while `active`. A change of `key` starts over and drops the previous answer.
 */
export function usePolling<T>(
  load: () => Promise<T>,
  key: string,
  intervalMs: number,
  active = true,
): Polled<T> {
  const [state, setState] = useState<Omit<Polled<T>, "reload">>({
    data: undefined,
    error: undefined,
    updatedAt: undefined,
  });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // A new key: the previous answer is not this one's.
  useEffect(() => setState({ data: undefined, error: undefined, updatedAt: undefined }), [key]);

  // `tick` is how reload() asks for a load now.
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const data = await loadRef.current();
        if (!stopped) setState({ data, error: undefined, updatedAt: new Date() });
      } catch (error) {
        if (!stopped)
          setState((s) => ({ ...s, error: error instanceof Error ? error : new Error(String(error)) }));
      }
      if (!stopped && active) timer = setTimeout(run, intervalMs);
    };
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [key, intervalMs, active, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
