// A journey test world: one workspace, a virtual clock, ingest at that clock, and ticks that run segments and journeys
// as the worker would (hour by hour, and at every due wake time in between).
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import type { TestDb } from '../helpers/db.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { createSegment, runIncremental, type Condition } from '../../src/segments/index.ts';
import { activateJourney, createJourney, putJourneySettings, tickJourneys, type TickResult } from '../../src/journeys/index.ts';

export interface Intent {
  userId: string;
  template: string;
  step: string;
  /** When the intent was written, in the customer's zone: "2026-10-30 10:00 Europe/Warsaw". */
  local: string;
  params: Record<string, unknown>;
  arms: Record<string, string>;
  purpose: string;
}

/** No global control group unless a scenario sets one (workspace ids are random, so who is held out would be too). */
export async function journeyWorld(t: TestDb, start: Date) {
  const ws = (await createWorkspace(t.db, 'journeys')).id;
  await putJourneySettings(t.db, ws, { share: 0 });
  let now = start;
  const tick = async (at: Date): Promise<TickResult> => {
    now = at;
    for (let i = 0; i < 20; i++) {
      const r = await runIncremental(t.db, ws, at);
      assert.deepEqual(r.errors, []);
      if (!r.more) break;
    }
    return tickJourneys(t.db, at);
  };
  const world = {
    ws,
    get now() {
      return now;
    },
    /** Ingests messages stamped at the current virtual time (unless they carry their own timestamp), then ticks as the worker would. */
    async send(...messages: object[]) {
      const r = await ingest(t.db, ws, messages.map((m) => ({ timestamp: now.toISOString(), ...m })), { receivedAt: now });
      assert.deepEqual(r.rejected, []);
      await tick(now);
    },
    async segment(id: string, definition: Condition) {
      await createSegment(t.db, ws, { id, name: id, definition });
    },
    async journey(id: string, definition: object) {
      await createJourney(t.db, ws, { id, name: id, definition }, now);
      await activateJourney(t.db, ws, id, now);
    },
    tick: () => tick(now),
    /** Moves the clock to `to`, ticking at least every hour and at every run's wake time on the way. */
    async advance(to: Date | string) {
      const target = typeof to === 'string' ? DateTime.fromJSDate(now, { zone: 'UTC' }).plus(durationOf(to)).toJSDate() : to;
      while (now < target) {
        const [due] = await t.db.query<{ at: Date | null }>('SELECT min(wake_at) AS at FROM journey_runs WHERE workspace_id = $1 AND wake_at > $2', [ws, now]);
        const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 + 3_600_000);
        const candidates = [target, hour, ...(due?.at ? [new Date(due.at)] : [])];
        await tick(new Date(Math.min(...candidates.map((d) => d.getTime()))));
      }
    },
    async intents(): Promise<Intent[]> {
      const rows = await t.db.query<{ user_id: string; template: string; step_id: string; created_at: Date; timezone: string | null; params: Record<string, unknown>; context: { arms?: Record<string, string> }; purpose: string }>(
        `SELECT c.user_id, m.template, m.step_id, m.created_at, c.timezone, m.params, m.context, m.purpose FROM message_intents m
         JOIN customers c ON c.workspace_id = m.workspace_id AND c.id = m.customer_id WHERE m.workspace_id = $1 ORDER BY m.created_at, c.user_id, m.id`,
        [ws],
      );
      return rows.map((r) => ({
        userId: r.user_id, template: r.template, step: r.step_id, params: r.params, arms: r.context.arms ?? {}, purpose: r.purpose,
        local: `${DateTime.fromJSDate(new Date(r.created_at), { zone: r.timezone ?? 'UTC' }).toFormat('yyyy-MM-dd HH:mm')} ${r.timezone ?? 'UTC'}`,
      }));
    },
    /** The intents as "user template" lines, the shortest way to state who got what. */
    async sent(): Promise<string[]> {
      return (await world.intents()).map((i) => `${i.userId} ${i.template}`);
    },
  };
  return world;
}

function durationOf(s: string) {
  const m = /^\+?(\d+)([mhd])$/.exec(s);
  if (!m) throw new Error(`advance: "+90m", "+2h" or "+14d", not ${s}`);
  const n = Number(m[1]);
  return m[2] === 'm' ? { minutes: n } : m[2] === 'h' ? { hours: n } : { days: n };
}
