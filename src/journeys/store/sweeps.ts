// Time-driven entries: date triggers (birthdays, due dates, renewals at a local time), recurring schedules over a
// segment (cron in the customer's or a fixed zone) and one-off broadcasts sent at a capped rate. Each journey's sweep
// cursor is a row (journey_triggers), claimed with SKIP LOCKED, so a window is swept once whatever the workers.
import type { Db, Queryable } from '../../store/index.ts';
import type { JourneyDefinition, Trigger } from '../definition.ts';
import type { TriggerKind, TriggerOf } from '../triggers.ts';
import {
  anniversaryFire,
  anniversaryMonthDays,
  candidateDates,
  cronOccurrences,
  customerZone,
  dateFire,
} from '../../time/index.ts';
import { getJourneySettings } from './control.ts';
import { activeJourneys, enter, type ActiveJourney, type Entry } from './entries.ts';
import { lotsExpiringIn } from '../../loyalty/index.ts';

/** Date and schedule triggers sweep at most this often; that is also their lateness at worst. */
export const SWEEP_EVERY_MS = 30_000;
/** Customers entered per broadcast sweep at most (the rate cap decides how many are due). */
const BROADCAST_CHUNK = 5000;
/** A broadcast that stood still (a worker down) catches up at most this much time's worth of its rate. */
const BROADCAST_MAX_CREDIT_MS = 60_000;

interface Cursor {
  journey_id: string;
  kind: Trigger['type'];
  cursor_at: Date;
  cursor_customer: string;
}

/** Who a sweep enters, and where the journey's cursor moves (`customer`: a broadcast's last; `done`: it has ended). */
interface Swept {
  entries: Entry[];
  next: { at: Date; customer?: string; done?: boolean };
}

interface Sweeper<T> {
  /** `window`: swept every SWEEP_EVERY_MS over (cursor, now]; `rate`: every tick, as many as its rate allows. */
  pace: 'window' | 'rate';
  sweep(tx: Queryable, ws: string, j: ActiveJourney, t: T, c: Cursor, timezone: string, now: Date): Promise<Swept>;
}

/**
 * How each trigger kind is swept (a cursor row in journey_triggers while the journey runs), or null for the kinds the
 * inbox enters from events. Every kind has its line: TypeScript refuses the record while one is missing.
 */
export const SWEEPS: { [K in TriggerKind]: Sweeper<TriggerOf<K>> | null } = {
  event: null,
  segment: null,
  date: {
    pace: 'window',
    sweep: async (tx, ws, j, t, c, timezone, now) => ({
      entries: await dateEntries(tx, ws, j.id, j.version, t, timezone, new Date(c.cursor_at), now),
      next: { at: now },
    }),
  },
  schedule: {
    pace: 'window',
    sweep: async (tx, ws, j, t, c, timezone, now) => ({
      entries: await scheduleEntries(tx, ws, j.id, j.version, t, timezone, new Date(c.cursor_at), now),
      next: { at: now },
    }),
  },
  broadcast: {
    pace: 'rate',
    sweep: (tx, ws, j, t, c, _timezone, now) => broadcastEntries(tx, ws, j.id, j.version, t, c, now),
  },
  pointsExpiring: {
    pace: 'window',
    sweep: async (tx, ws, j, t, c, _timezone, now) => ({
      entries: await expiringEntries(tx, ws, j.id, j.version, t, new Date(c.cursor_at), now),
      next: { at: now },
    }),
  },
};

const kindsAt = (pace: 'window' | 'rate') =>
  (Object.keys(SWEEPS) as TriggerKind[]).filter((k) => SWEEPS[k]?.pace === pace);
/** The kinds swept at each pace (for the SQL that picks due cursors). */
export const WINDOW_KINDS = kindsAt('window');
export const RATE_KINDS = kindsAt('rate');

/** Whether a journey with this trigger kind keeps a sweep cursor. */
export const isSwept = (kind: TriggerKind): boolean => SWEEPS[kind] !== null;

export interface SweepResult {
  swept: number;
  entered: number;
  heldOut: number;
}

/** A sweep that failed: its workspace's cursors did not move, so the next tick sweeps that window again. */
export class SweepError extends Error {
  constructor(readonly failures: { workspace: string; error: unknown }[]) {
    super(
      `journey sweeps failed in ${failures.map((f) => `workspace ${f.workspace}: ${(f.error as Error)?.message ?? String(f.error)}`).join('; ')}` +
        ' (other workspaces were swept; these retry on the next tick, fix the cause to let them move on)',
    );
  }
}

/**
 * Sweeps every journey whose trigger is due; returns how many journeys were swept and customers entered. Each
 * workspace is swept in its own transaction: one that fails holds up no other, and is reported (SweepError) after all.
 */
export async function sweepTriggers(db: Db, now: Date): Promise<SweepResult> {
  const total: SweepResult = { swept: 0, entered: 0, heldOut: 0 };
  const due = await db.query<{ workspace_id: string }>(
    `SELECT DISTINCT workspace_id FROM journey_triggers
     WHERE NOT done AND (kind = ANY($3::text[]) OR cursor_at <= $1::timestamptz - make_interval(secs => $2))`,
    [now, SWEEP_EVERY_MS / 1000, RATE_KINDS],
  );
  const failures: { workspace: string; error: unknown }[] = [];
  for (const { workspace_id: ws } of due) {
    try {
      const r = await db.transaction(async (tx) => sweepWorkspace(tx, ws, now));
      total.swept += r.swept;
      total.entered += r.entered;
      total.heldOut += r.heldOut;
    } catch (error) {
      failures.push({ workspace: ws, error });
    }
  }
  if (failures.length) throw new SweepError(failures);
  return total;
}

async function sweepWorkspace(tx: Queryable, ws: string, now: Date): Promise<SweepResult> {
  const cursors = await tx.query<Cursor>(
    `SELECT journey_id, kind, cursor_at, cursor_customer::text FROM journey_triggers
     WHERE workspace_id = $1 AND NOT done AND (kind = ANY($4::text[]) OR cursor_at <= $2::timestamptz - make_interval(secs => $3))
     FOR UPDATE SKIP LOCKED`,
    [ws, now, SWEEP_EVERY_MS / 1000, RATE_KINDS],
  );
  const result: SweepResult = { swept: 0, entered: 0, heldOut: 0 };
  if (!cursors.length) return result;
  const journeys = new Map((await activeJourneys(tx, ws)).map((j) => [j.id, j]));
  const { timezone } = await getJourneySettings(tx, ws);
  for (const c of cursors) {
    const j = journeys.get(c.journey_id);
    if (!j) continue; // paused: its cursor waits
    const r = await sweepJourney(tx, ws, j, c, timezone, now);
    result.swept += 1;
    result.entered += r.entered;
    result.heldOut += r.heldOut;
  }
  return result;
}

/** Enters whoever the journey's trigger makes due in (cursor, now] and moves its cursor to now (a broadcast: its rate). */
async function sweepJourney(tx: Queryable, ws: string, j: ActiveJourney, c: Cursor, timezone: string, now: Date) {
  const t = j.definition.trigger;
  const sweeper = SWEEPS[t.type] as Sweeper<Trigger> | null;
  const { entries, next }: Swept = sweeper
    ? await sweeper.sweep(tx, ws, j, t, c, timezone, now)
    : { entries: [], next: { at: now } };
  const r = await enter(tx, ws, entries, new Map<string, JourneyDefinition>([[j.id, j.definition]]), now);
  await tx.query(
    'UPDATE journey_triggers SET cursor_at = $3, cursor_customer = coalesce($4::bigint, cursor_customer), done = $5 WHERE workspace_id = $1 AND journey_id = $2',
    [ws, j.id, next.at, next.customer ?? null, next.done ?? false],
  );
  return r;
}

/**
 * Before a date or schedule journey pauses, whoever was due up to now enters (sweeps run every 30 s, so the cursor may
 * lag): the pause then starts exactly at `now`, and a journey that skips what falls due while paused loses nothing
 * that fell due before. Waits for a sweep holding the cursor. Called in the pause's transaction, the journey still active.
 */
export async function sweepBeforePause(tx: Queryable, ws: string, journeyId: string, now: Date): Promise<void> {
  const [c] = await tx.query<Cursor>(
    `SELECT journey_id, kind, cursor_at, cursor_customer::text FROM journey_triggers
     WHERE workspace_id = $1 AND journey_id = $2 AND kind = ANY($4::text[]) AND NOT done AND cursor_at < $3 FOR UPDATE`,
    [ws, journeyId, now, WINDOW_KINDS],
  );
  const j = c && (await activeJourneys(tx, ws)).find((x) => x.id === journeyId);
  if (!c || !j) return;
  await sweepJourney(tx, ws, j, c, (await getJourneySettings(tx, ws)).timezone, now);
}

/** Customers whose date (yearly or one-off), shifted and at the local time, falls in (after, now]. */
async function dateEntries(
  tx: Queryable,
  ws: string,
  journeyId: string,
  version: number,
  t: Extract<Trigger, { type: 'date' }>,
  fallback: string,
  after: Date,
  now: Date,
): Promise<Entry[]> {
  const candidates = t.yearly
    ? anniversaryMonthDays(t.offsetDays, after, now)
    : candidateDates(t.offsetDays, after, now);
  if (!candidates.length) return [];
  const rows = await tx.query<{ id: string; timezone: string | null; value: string }>(
    `SELECT c.id::text, c.timezone, c.traits->>$2 AS value FROM customers c
     WHERE c.workspace_id = $1 AND ${t.yearly ? 'substr(c.traits->>$2, 6, 5)' : 'left(c.traits->>$2, 10)'} = ANY($3::text[])
       ${t.segment ? 'AND EXISTS (SELECT 1 FROM segment_members m WHERE m.workspace_id = $1 AND m.segment_id = $4 AND m.customer_id = c.id)' : ''}`,
    t.segment ? [ws, t.trait, candidates, t.segment] : [ws, t.trait, candidates],
  );
  const entries: Entry[] = [];
  for (const r of rows) {
    const zone = customerZone(r.timezone, fallback);
    const fire = t.yearly
      ? anniversaryFire(r.value, t.offsetDays, t.at, zone, after, now)
      : dateFire(r.value, t.offsetDays, t.at, zone, after, now);
    if (!fire) continue;
    const key = fire.toISOString().slice(0, 10);
    entries.push({
      journeyId,
      version,
      customerId: r.id,
      entryKey: key,
      context: {
        enteredAt: fire.toISOString(),
        key,
        trigger: { properties: { [t.trait]: r.value, date: r.value }, at: fire.toISOString() },
      },
    });
  }
  return entries;
}

/** Customers whose loyalty points expire `days` days after a moment in (after, now]: one run per expiry day. */
async function expiringEntries(
  tx: Queryable,
  ws: string,
  journeyId: string,
  version: number,
  t: Extract<Trigger, { type: 'pointsExpiring' }>,
  after: Date,
  now: Date,
): Promise<Entry[]> {
  const lots = await lotsExpiringIn(tx, ws, t.days, after, now, t.segment);
  return lots.map((l) => {
    const fire = new Date(
      Math.max(after.getTime() + 1, Math.min(now.getTime(), l.expiresAt.getTime() - t.days * 86_400_000)),
    ).toISOString();
    return {
      journeyId,
      version,
      customerId: l.customerId,
      entryKey: l.day,
      context: {
        enteredAt: fire,
        key: l.day,
        trigger: { properties: { points: l.points, expiresAt: l.expiresAt.toISOString(), days: t.days }, at: fire },
      },
    };
  });
}

let representatives: string[] | null = null;
/**
 * Zones that stand for every zone a customer can be in: those the runtime lists, UTC and the fixed Etc/GMT±n offsets
 * (it lists neither). Any other name luxon accepts (Asia/Kolkata, Europe/Kyiv, US/Eastern…) is an alias the runtime
 * resolves to one of these and keeps the same clock, so nobody's cron can fire in a window where none of these fires.
 * Only a way to skip reading customers' zones; never a list to look a customer's zone up in.
 */
function representativeZones(): string[] {
  const fixed = Array.from({ length: 26 }, (_, i) => (i < 14 ? `Etc/GMT-${i + 1}` : `Etc/GMT+${i - 13}`));
  return (representatives ??= [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone'), ...fixed])]);
}

/**
 * The zones in which the cron pattern has an occurrence in (after, now], each with its latest one. Zones with the same
 * UTC offsets at both ends of the window have the same occurrences, so croner runs once per offset pair (~40 of them
 * among the ~440 representative zones), not once per zone.
 */
function firingZones(cron: string, candidates: string[], after: Date, now: Date): Map<string, Date> {
  const firing = new Map<string, Date>();
  // Local wall-clock time is UTC shifted by −12 h … +14 h (±1 h of DST): no match of the pattern as UTC wall time in
  // that wider window means no zone fires, which settles most sweeps of a weekly schedule at once.
  const HOUR = 3_600_000;
  if (
    !cronOccurrences(cron, 'UTC', new Date(after.getTime() - 13 * HOUR), new Date(now.getTime() + 15 * HOUR), 1).length
  )
    return firing;
  const byOffsets = new Map<string, string[]>();
  for (const zone of candidates) {
    const key = `${utcOffset(zone, after)}/${utcOffset(zone, now)}`;
    byOffsets.set(key, [...(byOffsets.get(key) ?? []), zone]);
  }
  for (const group of byOffsets.values()) {
    const occ = cronOccurrences(cron, group[0]!, after, now);
    if (occ.length) for (const zone of group) firing.set(zone, occ[occ.length - 1]!);
  }
  return firing;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();
/** "GMT+05:30" for the zone at that instant (Intl, a formatter cached per zone: cheaper than luxon for 400 zones). */
function utcOffset(zone: string, at: Date): string {
  let f = offsetFormats.get(zone);
  if (!f)
    offsetFormats.set(zone, (f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })));
  return f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? zone;
}

/**
 * Members of the segment for whom the cron pattern had an occurrence in (after, now], in their own zone (or the
 * trigger's). Only the latest occurrence counts, so a worker that was down does not send a backlog of digests. The zones
 * are those the members are actually in, each mapped by customerZone: a name the runtime does not list, no zone or an
 * unknown one (the workspace's zone) fires like any other.
 */
async function scheduleEntries(
  tx: Queryable,
  ws: string,
  journeyId: string,
  version: number,
  t: Extract<Trigger, { type: 'schedule' }>,
  fallback: string,
  after: Date,
  now: Date,
): Promise<Entry[]> {
  const zoneOf = (own: string | null) => t.timezone ?? customerZone(own, fallback);
  const entriesOf = (members: { id: string; timezone: string | null }[], firing: Map<string, Date>) =>
    members.flatMap((r): Entry[] => {
      const at = firing.get(zoneOf(r.timezone));
      if (!at) return []; // not one of the firing zones' members (their zone changed since it was read): not due here
      const key = at.toISOString();
      return [
        { journeyId, version, customerId: r.id, entryKey: key, context: { enteredAt: key, key, trigger: { at: key } } },
      ];
    });
  // a fixed zone fires for every member at once
  if (t.timezone) {
    const firing = firingZones(t.cron, [t.timezone], after, now);
    return firing.size ? entriesOf(await membersIn(tx, ws, t.segment, null), firing) : [];
  }
  // otherwise only the members whose own zone fires are read
  if (!firingZones(t.cron, representativeZones(), after, now).size) return [];
  const stored = await memberZones(tx, ws, t.segment);
  const firing = firingZones(t.cron, [...new Set(stored.map(zoneOf))], after, now);
  const wanted = stored.filter((own) => firing.has(zoneOf(own)));
  return wanted.length ? entriesOf(await membersIn(tx, ws, t.segment, wanted), firing) : [];
}

/** The time zones of the segment's members as stored (null and names no one knows included), each once. */
async function memberZones(tx: Queryable, ws: string, segment: string): Promise<(string | null)[]> {
  const rows = await tx.query<{ timezone: string | null }>(
    `SELECT DISTINCT c.timezone FROM segment_members m JOIN customers c ON c.workspace_id = m.workspace_id AND c.id = m.customer_id
     WHERE m.workspace_id = $1 AND m.segment_id = $2`,
    [ws, segment],
  );
  return rows.map((r) => r.timezone);
}

/** The segment's members whose stored time zone is one of `zones` (null among them: those without one; zones null: all). */
async function membersIn(tx: Queryable, ws: string, segment: string, zones: (string | null)[] | null) {
  return tx.query<{ id: string; timezone: string | null }>(
    `SELECT c.id::text, c.timezone FROM segment_members m JOIN customers c ON c.workspace_id = m.workspace_id AND c.id = m.customer_id
     WHERE m.workspace_id = $1 AND m.segment_id = $2
       AND ($5 OR c.timezone = ANY($3::text[]) OR ($4 AND c.timezone IS NULL))`,
    [ws, segment, (zones ?? []).filter((z) => z !== null), zones?.includes(null) ?? false, zones === null],
  );
}

/**
 * The next members of the segment (by customer id after the cursor), as many as the rate allows since the cursor's
 * time (at most BROADCAST_MAX_CREDIT_MS back): perMinute customers a minute, at most BROADCAST_CHUNK a sweep. Done when
 * the segment is exhausted.
 */
async function broadcastEntries(
  tx: Queryable,
  ws: string,
  journeyId: string,
  version: number,
  t: Extract<Trigger, { type: 'broadcast' }>,
  c: Cursor,
  now: Date,
): Promise<Swept> {
  const since = new Date(Math.max(new Date(c.cursor_at).getTime(), now.getTime() - BROADCAST_MAX_CREDIT_MS));
  const allowed = Math.min(BROADCAST_CHUNK, Math.floor(((now.getTime() - since.getTime()) * t.perMinute) / 60_000));
  if (allowed < 1) return { entries: [] as Entry[], next: { at: since } };
  const rows = await tx.query<{ id: string }>(
    `SELECT customer_id::text AS id FROM segment_members WHERE workspace_id = $1 AND segment_id = $2 AND customer_id > $3::bigint
     ORDER BY customer_id LIMIT $4`,
    [ws, t.segment, c.cursor_customer, allowed],
  );
  const at = now.toISOString();
  const entries: Entry[] = rows.map((r) => ({
    journeyId,
    version,
    customerId: r.id,
    entryKey: '',
    context: { enteredAt: at, trigger: { at } },
  }));
  const used = new Date(Math.min(now.getTime(), since.getTime() + Math.ceil((rows.length * 60_000) / t.perMinute)));
  return {
    entries,
    next: { at: rows.length < allowed ? now : used, customer: rows.at(-1)?.id, done: rows.length < allowed },
  };
}
