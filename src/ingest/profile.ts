// Profile updates at ingest: identify traits (later wins per trait), e-mail, phone, locale and time zone.
import type { Queryable } from '../store/db.ts';
import type { NormalizedEvent } from './normalize.ts';
import { applyTraitPatch, type TraitState } from './traits.ts';

/** The profile patch an event carries; '$'-keys are profile columns, the rest are traits. */
function patchOf(e: NormalizedEvent): Record<string, unknown> | null {
  const patch: Record<string, unknown> = {};
  if (e.type === 'identify' && e.traits) {
    for (const [k, v] of Object.entries(e.traits)) if (k !== 'email' && k !== 'phone') patch[k] = v;
    if (e.email) patch.email = patch.$email = e.email;
    if (e.phone) patch.phone = patch.$phone = e.phone;
  }
  const ctx = e.context ?? {};
  const tz = (e.traits?.timezone ?? ctx.timezone) as unknown;
  const locale = (e.traits?.locale ?? ctx.locale) as unknown;
  if (typeof tz === 'string' && tz) patch.$timezone = tz;
  if (typeof locale === 'string' && locale) patch.$locale = locale;
  return Object.keys(patch).length > 0 ? patch : null;
}

export async function updateProfiles(tx: Queryable, ws: string, events: { event: NormalizedEvent; customerId: string | null }[]): Promise<void> {
  const patches = events
    .map(({ event, customerId }) => ({ customerId, at: event.timestamp.toISOString(), patch: patchOf(event) }))
    .filter((p): p is { customerId: string; at: string; patch: Record<string, unknown> } => !!p.customerId && !!p.patch)
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  if (patches.length === 0) return;
  const ids = [...new Set(patches.map((p) => p.customerId))].sort((a, b) => Number(BigInt(a) - BigInt(b)));
  const rows = await tx.query<{ id: string } & TraitState>(
    `SELECT id::text, traits, trait_times FROM customers WHERE workspace_id = $1 AND id = ANY($2::bigint[]) ORDER BY id FOR UPDATE`,
    [ws, ids],
  );
  const states = new Map(rows.map((r) => [r.id, { traits: r.traits, trait_times: r.trait_times }]));
  const changed = new Set<string>();
  for (const p of patches) {
    const state = states.get(p.customerId);
    if (state && applyTraitPatch(state, p.patch, p.at)) changed.add(p.customerId);
  }
  if (changed.size === 0) return;
  const list = [...changed];
  const traitsOnly = (t: Record<string, unknown>) => Object.fromEntries(Object.entries(t).filter(([k]) => !k.startsWith('$')));
  const column = (id: string, key: string) => (states.get(id)!.traits[key] as string | undefined) ?? null;
  await tx.query(
    `UPDATE customers c SET traits = t.traits::jsonb, trait_times = t.times::jsonb,
       email = COALESCE(t.email, c.email), phone = COALESCE(t.phone, c.phone),
       timezone = COALESCE(t.timezone, c.timezone), locale = COALESCE(t.locale, c.locale)
     FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
       AS t(id, traits, times, email, phone, timezone, locale)
     WHERE c.workspace_id = $1 AND c.id = t.id`,
    [
      ws,
      list,
      list.map((id) => JSON.stringify(traitsOnly(states.get(id)!.traits))),
      list.map((id) => JSON.stringify(states.get(id)!.trait_times)),
      list.map((id) => column(id, '$email')),
      list.map((id) => column(id, '$phone')),
      list.map((id) => column(id, '$timezone')),
      list.map((id) => column(id, '$locale')),
    ],
  );
}
