// The experiments of the workspace and the reports of those a section shows, fetched together; a report the server
// cannot give yet (no control customers: 409) is kept as its error message, the others still show.
import { useEffect, useState } from 'react';
import { apiGet, apiPath } from '../api';
import type { ExperimentKind, ExperimentListing, ExperimentReport } from './types';

export interface ReportEntry {
  experiment: ExperimentListing;
  report: ExperimentReport | null;
  error: string | null;
}

export function useReports(
  kinds: ExperimentKind[],
  version = 0,
): { entries: ReportEntry[] | null; error: string | null } {
  const [entries, setEntries] = useState<ReportEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = kinds.join(',');
  useEffect(() => {
    let live = true;
    (async () => {
      const { experiments } = await apiGet<{ experiments: ExperimentListing[] }>(apiPath('/experiments'));
      const wanted = experiments.filter((e) => kinds.includes(e.kind));
      const got = await Promise.all(
        wanted.map(async (experiment): Promise<ReportEntry> => {
          try {
            return {
              experiment,
              report: await apiGet<ExperimentReport>(
                apiPath(`/experiments/${encodeURIComponent(experiment.id)}/report`),
              ),
              error: null,
            };
          } catch (err) {
            return { experiment, report: null, error: err instanceof Error ? err.message : String(err) };
          }
        }),
      );
      if (live) setEntries(got);
    })().catch((err: Error) => live && setError(err.message));
    return () => {
      live = false;
    };
  }, [key, version]);
  return { entries, error };
}
