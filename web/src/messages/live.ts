// A request that follows its inputs as they change: asked again `delay` ms after the last change, and only the answer
// to the latest request is kept (an earlier one that arrives late is ignored).
import { useEffect, useRef, useState } from 'react';

export interface Live<T> {
  result: T | null;
  error: unknown;
  pending: boolean;
  /** The number of the request answered (a new one for every answer kept). */
  answered: number;
  /** Asks now, without waiting for the delay. */
  now: () => void;
}

/** Runs `ask` whenever `key` changes (debounced); `key` null: nothing to ask, the result is cleared. */
export function useLive<T>(key: string | null, ask: () => Promise<T>, delay = 400): Live<T> {
  const [state, setState] = useState<Omit<Live<T>, 'now'>>({ result: null, error: null, pending: false, answered: 0 });
  const latest = useRef(0);
  const askRef = useRef(ask);
  askRef.current = ask;

  const run = () => {
    const id = ++latest.current;
    setState((s) => ({ ...s, pending: true }));
    askRef.current().then(
      (result) => id === latest.current && setState({ result, error: null, pending: false, answered: id }),
      (error: unknown) => id === latest.current && setState({ result: null, error, pending: false, answered: id }),
    );
  };

  useEffect(() => {
    if (key === null) {
      latest.current++;
      setState((s) => ({ result: null, error: null, pending: false, answered: s.answered }));
      return;
    }
    const timer = setTimeout(run, delay);
    return () => clearTimeout(timer);
  }, [key, delay]);

  return { ...state, now: run };
}
