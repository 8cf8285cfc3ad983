// The global control group in the database: settings per workspace, the deterministic draw, and the record of who
// was held out of marketing in which period (recorded when first held out of a journey; for comparing revenue later).
import { DomainError } from '../../lib/index.ts';
import { type Queryable, bulkRows } from '../../store/index.ts';
import { controlPeriod, inControlGroup, type ControlSettings } from '../../experiments/index.ts';
import { isValidZone } from '../../time/index.ts';

export interface JourneySettings extends ControlSettings {
  /** The zone of customers without a (valid) one of their own. */
  timezone: string;
}

export const DEFAULT_SETTINGS: JourneySettings = { share: 0.05, periodMonths: 3, timezone: 'UTC' };

export async function getJourneySettings(db: Queryable, ws: string): Promise<JourneySettings> {
  const [row] = await db.query<{ share: number; period_months: number; timezone: string }>(
    'SELECT share, period_months, timezone FROM control_group_settings WHERE workspace_id = $1',
    [ws],
  );
  return row
    ? { share: Number(row.share), periodMonths: row.period_months, timezone: row.timezone }
    : { ...DEFAULT_SETTINGS };
}

/** Control group settings refused: 400 `invalid_settings`, the message naming the field. */
export class SettingsError extends DomainError {
  constructor(message: string) {
    super('invalid_settings', 400, message);
  }
}

export async function putJourneySettings(
  db: Queryable,
  ws: string,
  patch: Partial<JourneySettings>,
): Promise<JourneySettings> {
  const s = { ...(await getJourneySettings(db, ws)), ...patch };
  if (!(s.share >= 0 && s.share <= 0.5))
    throw new SettingsError('share: a fraction from 0 to 0.5 (0.05 = 5% of customers)');
  if (!Number.isInteger(s.periodMonths) || s.periodMonths < 3 || s.periodMonths > 6)
    throw new SettingsError('periodMonths: a whole number of months from 3 to 6');
  if (!isValidZone(s.timezone))
    throw new SettingsError(`timezone: unknown time zone "${s.timezone}" (an IANA name such as "Europe/Warsaw")`);
  await db.query(
    `INSERT INTO control_group_settings (workspace_id, share, period_months, timezone) VALUES ($1, $2, $3, $4)
     ON CONFLICT (workspace_id) DO UPDATE SET share = $2, period_months = $3, timezone = $4`,
    [ws, s.share, s.periodMonths, s.timezone],
  );
  return s;
}

/** Splits customers into those held out (in the control group now) and the rest, recording the held-out ones. */
export async function holdOutControl(
  tx: Queryable,
  ws: string,
  customerIds: string[],
  now: Date,
  s: ControlSettings,
): Promise<Set<string>> {
  const held = [...new Set(customerIds.filter((id) => inControlGroup(ws, id, now, s)))];
  if (held.length) {
    const p = controlPeriod(now, s.periodMonths);
    await tx.query(
      `INSERT INTO control_group_members (workspace_id, customer_id, period_from, period_until, first_held_at)
       SELECT $1, unnest($2::bigint[]), $3, $4, $5 ON CONFLICT DO NOTHING`,
      [ws, held, p.from, p.until, now],
    );
  }
  return new Set(held);
}

/** Records the entries the control group kept out of a marketing journey (what the journey's lift compares against). */
export async function recordHeldOutEntries(
  tx: Queryable,
  ws: string,
  held: { journeyId: string; customerId: string; entryKey: string }[],
  now: Date,
): Promise<void> {
  if (!held.length) return;
  const b = bulkRows(
    { journey_id: 'text', customer_id: 'bigint', entry_key: 'text' },
    held.map((h) => ({ journey_id: h.journeyId, customer_id: h.customerId, entry_key: h.entryKey })),
    { at: 3 },
  );
  await tx.query(
    `INSERT INTO journey_holdouts (workspace_id, held_at, ${b.columns}) SELECT $1, $2, ${b.columns} FROM ${b.from} ON CONFLICT DO NOTHING`,
    [ws, now, ...b.params],
  );
}
