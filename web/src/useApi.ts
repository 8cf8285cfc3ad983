// useApi: GET one admin API resource when the component mounts; its data or the error message, ignoring answers after unmount.
import { useEffect, useState } from 'react';
import { apiGet } from './api';

export function useApi<T>(url: string): { data: T | null; error: string | null } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    apiGet<T>(url)
      .then((d) => live && setData(d))
      .catch((err: Error) => live && setError(err.message));
    return () => {
      live = false;
    };
  }, [url]);

  return { data, error };
}
