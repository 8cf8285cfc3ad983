// The messaging settings of a workspace (the send gate's rules and the sender's identity, in one place): read with the
// defaults filled in, and changed only when valid.
import { z } from 'zod';
import type { Queryable } from '../store/index.ts';
import { CHANNELS } from '../channels/index.ts';
import { defaultGateSettings, type GateSettings } from './gate.ts';
import { timeOfDayError } from '../time/index.ts';
import { ConsentError } from '../consent/index.ts';

const count = (max: number) => z.number().int('a whole number').min(0, 'at least 0').max(max, `at most ${max}`);
const cap = z.strictObject({ perDay: count(1000).optional(), perWeek: count(7000).optional() });
const timeOfDay = z.string().refine((s) => timeOfDayError(s) === null, 'a time of day as HH:mm, 00:00 to 23:59');

/** A change: each top-level key given replaces the current value; quietHours null turns quiet hours off. */
export const GateSettingsPatch = z.strictObject({
  caps: z
    .partialRecord(z.enum(['all', ...CHANNELS]), cap)
    .optional()
    .describe('per channel and "all": {perDay, perWeek} marketing messages per customer in a rolling 24 h / 7 days'),
  quietHours: z
    .strictObject({ from: timeOfDay, to: timeOfDay })
    .refine((q) => q.from !== q.to, 'from and to must differ (null turns quiet hours off)')
    .nullable()
    .optional()
    .describe("local time in the customer's zone when marketing waits, e.g. 21:00–09:00"),
  doubleOptInEmail: z
    .boolean()
    .optional()
    .describe('e-mail marketing needs a consent confirmed by the link sent to the address'),
  senderName: z
    .string()
    .trim()
    .max(200, 'at most 200 characters')
    .nullable()
    .optional()
    .describe('the sender as messages sign it ({{ sender.name }}); null removes it'),
  senderIdentification: z
    .string()
    .trim()
    .max(500, 'at most 500 characters')
    .nullable()
    .optional()
    .describe(
      'who sends (company, address, registration): every marketing e-mail carries it ({{ sender.identification }}, else a footer line); null removes it',
    ),
});
export type GateSettingsPatch = z.infer<typeof GateSettingsPatch>;

/** The workspace's settings; the defaults until they are first changed (stored settings are whole: no quietHours = off). */
export async function getGateSettings(db: Queryable, ws: string): Promise<GateSettings> {
  const [row] = await db.query<{ settings: Partial<GateSettings> }>(
    'SELECT settings FROM messaging_settings WHERE workspace_id = $1',
    [ws],
  );
  if (!row) return structuredClone(defaultGateSettings);
  const s = row.settings;
  return {
    caps: s.caps ?? structuredClone(defaultGateSettings.caps),
    ...(s.quietHours ? { quietHours: s.quietHours } : {}),
    doubleOptInEmail: s.doubleOptInEmail ?? false,
    ...(s.senderName ? { senderName: s.senderName } : {}),
    ...(s.senderIdentification ? { senderIdentification: s.senderIdentification } : {}),
  };
}

/** Applies a change and stores the result; throws ConsentError naming the first bad field. */
export async function putGateSettings(db: Queryable, ws: string, patch: unknown): Promise<GateSettings> {
  const parsed = GateSettingsPatch.safeParse(patch);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const field = [...issue.path, ...keys.slice(0, 1)].join('.') || 'body';
    throw new ConsentError(
      'invalid',
      keys.length
        ? `not a setting (caps, quietHours, doubleOptInEmail, senderName, senderIdentification; caps per channel or "all" with perDay, perWeek)`
        : issue.message,
      field,
    );
  }
  const next: GateSettings = { ...(await getGateSettings(db, ws)) };
  const p = parsed.data;
  if (p.caps !== undefined) next.caps = p.caps;
  if (p.quietHours !== undefined) {
    if (p.quietHours === null) delete next.quietHours;
    else next.quietHours = p.quietHours;
  }
  if (p.doubleOptInEmail !== undefined) next.doubleOptInEmail = p.doubleOptInEmail;
  for (const key of ['senderName', 'senderIdentification'] as const) {
    const value = p[key];
    if (value === undefined) continue;
    if (value === null || value === '') delete next[key];
    else next[key] = value;
  }
  await db.query(
    `INSERT INTO messaging_settings (workspace_id, settings, updated_at) VALUES ($1, $2::jsonb, now())
     ON CONFLICT (workspace_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
    [ws, JSON.stringify(next)],
  );
  return next;
}
