// Profile updates at ingest: identify traits (later wins per trait), e-mail, phone, locale and time zone.
import { type Queryable, bulkRows, type BulkRow } from '../store/index.ts';
import type { NormalizedEvent } from './normalize.ts';
import { applyTraitPatch, type TraitState } from './traits.ts';
import { withoutAddressChanges, type Held } from './address-guard.ts';

type Owned = { event: NormalizedEvent; customerId: string | null };
/** A profile change: when (the event's time), what, and the index of the event in its batch. */
export type Patch = { at: string; patch: Record<string, unknown>; index: number };

/** The profile columns, carried through trait merges as these keys (their times are kept in trait_times). */
const COLUMN_KEYS = new Set(['$email', '$phone', '$timezone', '$locale']);

/** A stored profile: its traits with their times, and those of its columns the caller read. */
export interface StoredProfile extends TraitState {
  email?: string | null;
  phone?: string | null;
  timezone: string | null;
  locale: string | null;
}

/** A stored profile as one trait state: the columns ride along under the COLUMN_KEYS, so a merge can compare them. */
export function storedState(p: StoredProfile): TraitState {
  const traits: Record<string, unknown> = { ...p.traits };
  for (const [key, value] of [
    ['$email', p.email],
    ['$phone', p.phone],
    ['$timezone', p.timezone],
    ['$locale', p.locale],
  ] as const) {
    if (value !== null && value !== undefined) traits[key] = value;
  }
  return { traits, trait_times: p.trait_times };
}

/**
 * The profile patch an event carries; the COLUMN_KEYS are profile columns, the rest are traits. A trait sent under
 * one of those names ("$email") is not taken: the columns come from the validated e-mail and phone and the context.
 */
function patchOf(e: NormalizedEvent): Record<string, unknown> | null {
  const patch: Record<string, unknown> = {};
  if (e.type === 'identify' && e.traits) {
    for (const [k, v] of Object.entries(e.traits))
      if (k !== 'email' && k !== 'phone' && !COLUMN_KEYS.has(k)) patch[k] = v;
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

/** Per customer, the patches of the batch in time order. */
export function profilePatches(owned: Owned[]): Map<string, Patch[]> {
  const byCustomer = new Map<string, Patch[]>();
  for (const { event, customerId } of owned) {
    const patch = customerId ? patchOf(event) : null;
    if (!patch) continue;
    const list = byCustomer.get(customerId!) ?? [];
    list.push({ at: event.at, patch, index: event.index });
    byCustomer.set(customerId!, list);
  }
  for (const list of byCustomer.values()) list.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return byCustomer;
}

/**
 * A context value (time zone, locale) repeated on every event is not a change: it is written only when it differs,
 * so a browser's events do not rewrite the profile on every batch.
 */
function withoutRepeatedContext(state: TraitState, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch))
    if (!(k === '$timezone' || k === '$locale') || state.traits[k] !== v) out[k] = v;
  return out;
}

/**
 * Applies a customer's patches (in time order) to its state; true when anything changed. With `held` (the public
 * key), a change of the e-mail or phone the state holds is left out and listed there (address-guard.ts).
 */
export function applyPatches(state: TraitState, list: Patch[], held?: Held[]): boolean {
  let any = false;
  for (const p of list) {
    const patch = held ? withoutAddressChanges(state, p.patch, p.at, p.index, held) : p.patch;
    any = applyTraitPatch(state, withoutRepeatedContext(state, patch), p.at) || any;
  }
  return any;
}

/** The stored form of a state: traits without the column keys, their times, and the profile columns. */
export function profileColumns(state: TraitState) {
  const column = (key: string) =>
    (Object.hasOwn(state.traits, key) ? (state.traits[key] as string | undefined) : undefined) ?? null;
  const traits: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(state.traits)) if (!COLUMN_KEYS.has(k)) traits[k] = v;
  return {
    traits,
    times: state.trait_times,
    email: column('$email'),
    phone: column('$phone'),
    timezone: column('$timezone'),
    locale: column('$locale'),
  };
}

/**
 * Applies the patches to the states read (and locked) by the aggregate update; writes only the profiles that changed.
 * With `held`, e-mail and phone changes are held (see applyPatches).
 */
export async function updateProfiles(
  tx: Queryable,
  ws: string,
  patches: Map<string, Patch[]>,
  states: Map<string, TraitState>,
  held?: Held[],
): Promise<void> {
  const changed: BulkRow<typeof PROFILE_COLUMNS>[] = [];
  for (const [id, list] of patches) {
    const state = states.get(id);
    if (state && applyPatches(state, list, held)) {
      const p = profileColumns(state);
      changed.push({
        id,
        traits: p.traits,
        trait_times: p.times,
        email: p.email,
        phone: p.phone,
        timezone: p.timezone,
        locale: p.locale,
      });
    }
  }
  if (changed.length === 0) return;
  const t = bulkRows(PROFILE_COLUMNS, changed, { at: 2 });
  await tx.query(
    `UPDATE customers c SET traits = t.traits, trait_times = t.trait_times,
       email = COALESCE(t.email, c.email), phone = COALESCE(t.phone, c.phone),
       timezone = COALESCE(t.timezone, c.timezone), locale = COALESCE(t.locale, c.locale)
     FROM ${t.from}
     WHERE c.workspace_id = $1 AND c.id = t.id`,
    [ws, ...t.params],
  );
}

/** A changed profile as written back: the traits and their times whole, the column traits only when set. */
const PROFILE_COLUMNS = {
  id: 'bigint',
  traits: 'jsonb',
  trait_times: 'jsonb',
  email: 'text',
  phone: 'text',
  timezone: 'text',
  locale: 'text',
} as const;
