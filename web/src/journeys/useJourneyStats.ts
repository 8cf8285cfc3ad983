// useJourneyStats: the per-step counts of a saved journey, fetched now and then every few seconds while shown.
import { useEffect, useState } from 'react';
import { apiGet, apiPath } from '../api';
import type { JourneyStats } from './types';

const REFRESH_MS = 3000;

export function useJourneyStats(id: string | null): JourneyStats | null {
  const [stats, setStats] = useState<JourneyStats | null>(null);

  useEffect(() => {
    setStats(null);
    if (!id) return;
    let live = true;
    const load = () =>
      apiGet<JourneyStats>(apiPath(`/journeys/${encodeURIComponent(id)}/stats`))
        .then((s) => live && setStats(s))
        .catch(() => undefined);
    void load();
    const timer = window.setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [id]);

  return stats;
}
