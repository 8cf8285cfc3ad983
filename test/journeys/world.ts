// A journey test world: one workspace, a virtual clock, ingest at that clock, and ticks that run segments and journeys
// as the worker would (hour by hour, and at every due wake time in between).
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import type { TestDb } from '../helpers/db.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { createSegment, runIncremental, type Condition } from '../../src/segments/index.ts';
import {
  activateJourney,
  createJourney,
  getJourneySettings,
  putJourneySettings,
  tickJourneys,
  updateJourney,
  type TickResult,
} from '../../src/journeys/index.ts';
import { customerZone } from '../../src/time/rules.ts';
import { provideFor } from '../helpers/sendable.ts';

export interface Intent {
  userId: string;
  template: string;
  step: string;
  /** When the intent was written, in the customer's zone (else the workspace's): "2026-10-30 10:00 Europe/Warsaw". */
  local: string;
  params: Record<string, unknown>;
  arms: Record<string, string>;
  purpose: string;
}

/** No global control group unless a scenario sets one (workspace ids are random, so who is held out would be too). */
export async function journeyWorld(t: Pick<TestDb, 'db'>, start: Date, workspace?: string) {
  const ws = workspace ?? (await createWorkspace(t.db, 'journeys')).id;
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
      const r = await ingest(
        t.db,
        ws,
        messages.map((m) => ({ timestamp: now.toISOString(), ...m })),
        { receivedAt: now },
      );
      assert.deepEqual(r.rejected, []);
      await tick(now);
    },
    async segment(id: string, definition: Condition) {
      await createSegment(t.db, ws, { id, name: id, definition });
    },
    /** Creates and activates a journey, first giving the workspace the templates and providers it sends with. */
    async journey(id: string, definition: object) {
      await provideFor(t.db, ws, definition);
      await createJourney(t.db, ws, { id, name: id, definition }, now);
      await activateJourney(t.db, ws, id, now);
    },
    /** Changes a journey's definition (at `at`, default now), first giving the workspace what the new one sends with. */
    async edit(id: string, definition: object, at: Date = now) {
      await provideFor(t.db, ws, definition);
      return updateJourney(t.db, ws, id, { definition }, at);
    },
    tick: () => tick(now),
    /**
     * Moves the clock to `to`, ticking at every run's wake time on the way and at least every hour (on the hour), or
     * every `every` ("+7d": years pass in a few hundred ticks).
     */
    async advance(to: Date | string, { every }: { every?: string } = {}) {
      const target = later(now, to);
      while (now < target) {
        const [due] = await t.db.query<{ at: Date | null }>(
          'SELECT min(wake_at) AS at FROM journey_runs WHERE workspace_id = $1 AND wake_at > $2',
          [ws, now],
        );
        const next = every
          ? later(now, every)
          : new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 + 3_600_000);
        const candidates = [target, next, ...(due?.at ? [new Date(due.at)] : [])];
        await tick(new Date(Math.min(...candidates.map((d) => d.getTime()))));
      }
    },
    /** Moves the clock to `to` with the worker down: nothing ticks on the way, not even runs that fall due. */
    down(to: Date | string) {
      now = later(now, to);
    },
    async intents(): Promise<Intent[]> {
      const { timezone: fallback } = await getJourneySettings(t.db, ws);
      const rows = await t.db.query<{
        user_id: string;
        template: string;
        step_id: string;
        created_at: Date;
        timezone: string | null;
        params: Record<string, unknown>;
        context: { arms?: Record<string, string> };
        purpose: string;
      }>(
        `SELECT c.user_id, m.template, m.step_id, m.created_at, c.timezone, m.params, m.context, m.purpose FROM message_intents m
         JOIN customers c ON c.workspace_id = m.workspace_id AND c.id = m.customer_id WHERE m.workspace_id = $1 ORDER BY m.created_at, c.user_id, m.id`,
        [ws],
      );
      return rows.map((r) => {
        const zone = customerZone(r.timezone, fallback);
        return {
          userId: r.user_id,
          template: r.template,
          step: r.step_id,
          params: r.params,
          arms: r.context.arms ?? {},
          purpose: r.purpose,
          local: `${DateTime.fromJSDate(new Date(r.created_at), { zone }).toFormat('yyyy-MM-dd HH:mm')} ${zone}`,
        };
      });
    },
    /** The intents as "user template" lines, the shortest way to state who got what. */
    async sent(): Promise<string[]> {
      return (await world.intents()).map((i) => `${i.userId} ${i.template}`);
    },
  };
  return world;
}

/** `to` itself, or `from` moved by "+30s", "+90m", "+2h" or "+14d". */
function later(from: Date, to: Date | string): Date {
  return typeof to === 'string' ? DateTime.fromJSDate(from, { zone: 'UTC' }).plus(durationOf(to)).toJSDate() : to;
}

function durationOf(s: string) {
  const m = /^\+?(\d+)([smhd])$/.exec(s);
  if (!m) throw new Error(`advance: "+30s", "+90m", "+2h" or "+14d", not ${s}`);
  const n = Number(m[1]);
  return m[2] === 's' ? { seconds: n } : m[2] === 'm' ? { minutes: n } : m[2] === 'h' ? { hours: n } : { days: n };
}
