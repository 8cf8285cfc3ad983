// Imported experiments in the database: saved whole in one transaction (a re-import replaces), listed, and read back
// as arm summaries for the report.
import { type Db, type Queryable, bulkRows } from '../../store/index.ts';
import type { MetricKind } from '../compare.ts';
import type { ArmSummary } from '../experiments/tally.ts';

export interface SavedExperiment {
  id: string;
  name: string;
  kind: 'offline';
  controlArm: string;
  metrics: { name: string; kind: MetricKind }[];
  source: string | null;
  rejected: number;
  importedAt: Date;
}

interface ExperimentRow {
  id: string;
  name: string;
  kind: 'offline';
  control_arm: string;
  metrics: { name: string; kind: MetricKind }[];
  source: string | null;
  rejected: number;
  imported_at: Date;
}

const toExperiment = (r: ExperimentRow): SavedExperiment => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  controlArm: r.control_arm,
  metrics: r.metrics,
  source: r.source,
  rejected: r.rejected,
  importedAt: new Date(r.imported_at),
});

/** Writes an experiment and its arms in one transaction, replacing an earlier import under the same id. */
export async function saveExperiment(
  db: Db,
  ws: string,
  e: Omit<SavedExperiment, 'kind'>,
  arms: ArmSummary[],
): Promise<void> {
  const rows = arms.flatMap((a) =>
    Object.entries(a.metrics).map(([metric, s]) => ({
      arm: a.arm,
      metric,
      n: s.n,
      sum: s.sum,
      sum_squares: s.sumSquares,
      non_zero: s.nonZero,
    })),
  );
  const b = bulkRows(
    { arm: 'text', metric: 'text', n: 'bigint', sum: 'float8', sum_squares: 'float8', non_zero: 'bigint' },
    rows,
    { at: 3 },
  );
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM experiments WHERE workspace_id = $1 AND id = $2', [ws, e.id]);
    await tx.query(
      `INSERT INTO experiments (workspace_id, id, name, kind, control_arm, metrics, source, rejected, imported_at)
       VALUES ($1, $2, $3, 'offline', $4, $5, $6, $7, $8)`,
      [ws, e.id, e.name, e.controlArm, JSON.stringify(e.metrics), e.source, e.rejected, e.importedAt],
    );
    await tx.query(
      `INSERT INTO experiment_arms (workspace_id, experiment_id, ${b.columns}) SELECT $1, $2, ${b.columns} FROM ${b.from}`,
      [ws, e.id, ...b.params],
    );
  });
}

/** The workspace's imported experiments, newest first. */
export async function listExperiments(q: Queryable, ws: string): Promise<SavedExperiment[]> {
  const rows = await q.query<ExperimentRow>(
    'SELECT id, name, kind, control_arm, metrics, source, rejected, imported_at FROM experiments WHERE workspace_id = $1 ORDER BY imported_at DESC, id',
    [ws],
  );
  return rows.map(toExperiment);
}

/** One experiment with its arms' summaries, or null when there is none with that id. */
export async function experimentWithArms(
  q: Queryable,
  ws: string,
  id: string,
): Promise<{ experiment: SavedExperiment; arms: ArmSummary[] } | null> {
  const [row] = await q.query<ExperimentRow>(
    'SELECT id, name, kind, control_arm, metrics, source, rejected, imported_at FROM experiments WHERE workspace_id = $1 AND id = $2',
    [ws, id],
  );
  if (!row) return null;
  const cells = await q.query<{
    arm: string;
    metric: string;
    n: string;
    sum: number;
    sum_squares: number;
    non_zero: string;
  }>(
    'SELECT arm, metric, n::text, sum, sum_squares, non_zero::text FROM experiment_arms WHERE workspace_id = $1 AND experiment_id = $2 ORDER BY arm, metric',
    [ws, id],
  );
  const arms = new Map<string, ArmSummary>();
  for (const c of cells) {
    let a = arms.get(c.arm);
    if (!a) arms.set(c.arm, (a = { arm: c.arm, metrics: {} }));
    a.metrics[c.metric] = {
      n: Number(c.n),
      sum: Number(c.sum),
      sumSquares: Number(c.sum_squares),
      nonZero: Number(c.non_zero),
    };
  }
  return { experiment: toExperiment(row), arms: [...arms.values()] };
}
