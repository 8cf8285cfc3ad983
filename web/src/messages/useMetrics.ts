// useMetrics: GET /analytics/messages for a range and a dimension; "unavailable" when this server has no such route yet.
import { useEffect, useState } from 'react';
import { ApiError, apiGet, apiPath } from '../api';
import type { MessageMetrics, MetricDimension } from './types';

export type MetricsState =
  | { state: 'loading' }
  | { state: 'ok'; data: MessageMetrics }
  | { state: 'unavailable' }
  | { state: 'failed'; message: string };

export interface MetricsQuery {
  from: string;
  to: string;
  by: MetricDimension;
  attributionDays?: number;
}

/** `version`: a change fetches again (after the currency settings changed, say). */
export function useMetrics({ from, to, by, attributionDays }: MetricsQuery, version = 0): MetricsState {
  const [result, setResult] = useState<MetricsState>({ state: 'loading' });
  const url = apiPath('/analytics/messages', { from, to, by, attributionDays });
  useEffect(() => {
    let live = true;
    setResult({ state: 'loading' });
    apiGet<MessageMetrics>(url)
      .then((data) => live && setResult({ state: 'ok', data }))
      .catch((err: Error) => {
        if (!live) return;
        // 404 with the router's not_found: the route is not there (an older server), not an empty result.
        if (err instanceof ApiError && err.status === 404) setResult({ state: 'unavailable' });
        else setResult({ state: 'failed', message: err.message });
      });
    return () => {
      live = false;
    };
  }, [url, version]);
  return result;
}

/** YYYY-MM-DD of a date in UTC. */
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The last `days` days up to today (UTC), both ends included. */
export function lastDays(days: number, now = new Date()): { from: string; to: string } {
  return { from: isoDay(new Date(now.getTime() - (days - 1) * 86_400_000)), to: isoDay(now) };
}
