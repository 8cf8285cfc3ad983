// Identity resolution: maps each event's userId / anonymousId to one customer, creating, linking and merging profiles.
import { type Queryable, bulkRows } from '../store/index.ts';
import type { NormalizedEvent } from './normalize.ts';
import { mergeCustomers } from './merge.ts';
import { ConcurrentWrite } from './concurrent-write.ts';
import { addressesConflict, type Addresses, type Held } from './address-guard.ts';

type Key = string; // 'user:<id>' or 'anonymous:<id>'
const userKey = (v: string): Key => `user:${v}`;
const anonKey = (v: string): Key => `anonymous:${v}`;

/** Thrown when a concurrent transaction created the same identity first: the caller's transaction is retried. */
export class IdentityRace extends ConcurrentWrite {
  constructor() {
    super('identity created concurrently');
  }
}

const HELD_MERGE =
  "not merged: this visitor's profile has another e-mail or phone than the user's, and the public key cannot change a " +
  "customer's address (anyone can send with it). The device now belongs to the user; its earlier profile stays apart. " +
  'Send the identify with the server key, from your backend, to merge them.';

/** The plan is worked out in memory first (pure), then applied with a handful of set-based statements. */
class Plan {
  readonly owner = new Map<Key, string>(); // identity → customer id
  readonly userOf = new Map<string, string | null>(); // customer id → user id
  readonly redirect = new Map<string, string>(); // merged-away customer → survivor
  readonly inserts = new Map<Key, true>();
  readonly repoints = new Set<Key>();
  readonly created = new Set<string>();
  readonly named = new Set<string>(); // existing anonymous customers that got a user id now
  readonly merges: { from: string; to: string }[] = [];
  /** The stored e-mail and phone of the customers read (followed through the plan's merges). */
  private readonly addresses = new Map<string, Addresses>();
  /** Merges the public key asked for and the plan did not make (guarded only). */
  readonly held: Held[] = [];
  private spare: string[];

  /** `guarded` (the public key): an anonymous profile is not merged into a customer with another e-mail or phone. */
  constructor(
    existing: KnownIdentities['existing'],
    spareIds: string[],
    readonly guarded = false,
  ) {
    for (const e of existing) {
      this.owner.set(e.key, e.customer);
      this.userOf.set(e.customer, e.user);
      this.addresses.set(e.customer, { email: e.email ?? null, phone: e.phone ?? null });
    }
    this.spare = [...spareIds].reverse(); // popped from the end: ids are given in the order customers appear
  }

  final(id: string): string {
    while (this.redirect.has(id)) id = this.redirect.get(id)!;
    return id;
  }
  get(key: Key): string | undefined {
    const id = this.owner.get(key);
    return id === undefined ? undefined : this.final(id);
  }
  create(user: string | null): string {
    const id = this.spare.pop();
    if (!id) throw new Error('identity plan ran out of customer ids');
    this.created.add(id);
    this.userOf.set(id, user);
    return id;
  }
  link(key: Key, id: string): void {
    const current = this.owner.get(key);
    if (current === undefined) this.inserts.set(key, true);
    else if (this.final(current) !== id) {
      if (!this.inserts.has(key)) this.repoints.add(key);
    }
    this.owner.set(key, id);
  }
  merge(from: string, to: string): void {
    if (from === to) return;
    this.merges.push({ from, to });
    this.redirect.set(from, to);
    if (!this.userOf.get(to) && this.userOf.get(from)) this.setUser(to, this.userOf.get(from)!);
    const a = this.addresses.get(from);
    const b = this.addresses.get(to);
    if (a || b) this.addresses.set(to, { email: b?.email ?? a?.email ?? null, phone: b?.phone ?? a?.phone ?? null });
  }
  setUser(id: string, user: string): void {
    this.userOf.set(id, user);
    if (!this.created.has(id)) this.named.add(id);
  }
  isAnonymous(id: string): boolean {
    return !this.userOf.get(id);
  }

  /** Joins a known user and an anonymous id seen together (identify, or any event carrying both). */
  join(user: string, anon: string, index: number): string {
    const cu = this.get(userKey(user));
    const ca = this.get(anonKey(anon));
    if (cu && ca) {
      if (cu !== ca) {
        const held =
          this.guarded && this.isAnonymous(ca) && addressesConflict(this.addresses.get(ca), this.addresses.get(cu));
        if (held) this.held.push({ index, field: 'anonymousId', reason: HELD_MERGE });
        if (this.isAnonymous(ca) && !held) this.merge(ca, cu);
        else this.link(anonKey(anon), cu); // the device now belongs to this user
      }
      return cu;
    }
    if (cu) {
      this.link(anonKey(anon), cu);
      return cu;
    }
    if (ca && this.isAnonymous(ca)) {
      this.setUser(ca, user);
      this.link(userKey(user), ca);
      return ca;
    }
    const id = this.create(user);
    this.link(userKey(user), id);
    this.link(anonKey(anon), id);
    return id;
  }

  /** Alias: previousId (an anonymous id or an old user id) is the same person as userId. */
  alias(previous: string, user: string): string {
    const cp = this.get(userKey(previous)) ?? this.get(anonKey(previous));
    const cu = this.get(userKey(user));
    if (cp && cu) {
      this.merge(cp, cu);
      return cu;
    }
    if (cp) {
      if (this.isAnonymous(cp)) this.setUser(cp, user);
      this.link(userKey(user), cp);
      return cp;
    }
    const id = cu ?? this.create(user);
    this.link(userKey(user), id);
    this.link(anonKey(previous), id);
    return id;
  }

  resolve(e: NormalizedEvent): string | null {
    if (e.type === 'alias' && e.previousId && e.userId) return this.alias(e.previousId, e.userId);
    if (e.userId && e.anonymousId) return this.join(e.userId, e.anonymousId, e.index);
    if (e.userId) return this.get(userKey(e.userId)) ?? this.linkNew(userKey(e.userId), e.userId);
    if (e.anonymousId) return this.get(anonKey(e.anonymousId)) ?? this.linkNew(anonKey(e.anonymousId), null);
    return null;
  }
  private linkNew(key: Key, user: string | null): string {
    const id = this.create(user);
    this.link(key, id);
    return id;
  }
}

function keysOf(e: NormalizedEvent): Key[] {
  const keys: Key[] = [];
  if (e.userId) keys.push(userKey(e.userId));
  if (e.anonymousId) keys.push(anonKey(e.anonymousId));
  if (e.previousId) keys.push(userKey(e.previousId), anonKey(e.previousId));
  return keys;
}

const splitKey = (k: Key): [string, string] => {
  const i = k.indexOf(':');
  return [k.slice(0, i), k.slice(i + 1)];
};

/** What the batch's first read found (see lookup.ts): the identities known already and ids for new customers. */
export interface KnownIdentities {
  /** Each identity found, with its customer, the customer's user id and stored e-mail and phone. */
  existing: { key: Key; customer: string; user: string | null; email?: string | null; phone?: string | null }[];
  spare: string[];
}

export interface Resolution {
  /** For each event (by position), the customer it belongs to; null for anonymous sales. */
  owners: (string | null)[];
  /** Merges not made because the public key sent them (guarded): the answer's warnings. */
  held: Held[];
  /** Customers created by this batch and not written yet (customer id → user id): written once, whole, with their aggregates. */
  created: Map<string, string | null>;
}

/**
 * Works out who each event is about and writes the identities, merges and renames that implies.
 * When a concurrent transaction creates one of our new identities first, our insert waits for it to commit; we then
 * undo this attempt (savepoint) and plan again from what it committed, rather than failing the whole batch.
 */
export async function resolveCustomers(
  tx: Queryable,
  ws: string,
  events: NormalizedEvent[],
  known?: KnownIdentities,
  guarded = false,
): Promise<Resolution> {
  for (let attempt = 1; ; attempt++) {
    await tx.query('SAVEPOINT resolve_customers');
    try {
      const resolution = await resolveOnce(tx, ws, events, attempt === 1 ? known : undefined, guarded);
      await tx.query('RELEASE SAVEPOINT resolve_customers');
      return resolution;
    } catch (err) {
      if (!(err instanceof IdentityRace) || attempt >= 20) throw err; // else the whole transaction is retried
      await tx.query('ROLLBACK TO SAVEPOINT resolve_customers');
    }
  }
}

/** The identity keys of a batch, each once: what the first read looks up. */
export function identityKeys(events: NormalizedEvent[]): { kinds: string[]; values: string[] } {
  const keys = [...new Set(events.flatMap(keysOf))];
  return { kinds: keys.map((k) => splitKey(k)[0]), values: keys.map((k) => splitKey(k)[1]) };
}

/** Reads the identities and allocates customer ids itself (a retry after a race, or a caller without a first read). */
async function readIdentities(tx: Queryable, ws: string, events: NormalizedEvent[]): Promise<KnownIdentities> {
  const { kinds, values } = identityKeys(events);
  if (kinds.length === 0) return { existing: [], spare: [] };
  const rows = await tx.query<{
    kind: string;
    value: string;
    customer_id: string;
    user_id: string | null;
    email: string | null;
    phone: string | null;
  }>(
    `SELECT k.kind, k.value, i.customer_id::text, c.user_id, c.email, c.phone
       FROM unnest($2::text[], $3::text[]) AS k(kind, value)
       CROSS JOIN LATERAL (SELECT i.customer_id FROM identities i WHERE i.workspace_id = $1 AND i.kind = k.kind AND i.value = k.value LIMIT 1) AS i
       CROSS JOIN LATERAL (SELECT c.user_id, c.email, c.phone FROM customers c WHERE c.workspace_id = $1 AND c.id = i.customer_id LIMIT 1) AS c`,
    [ws, kinds, values],
  );
  const missing = kinds.length - rows.length;
  const spare =
    missing > 0
      ? (
          await tx.query<{ id: string }>("SELECT nextval('customer_ids')::text AS id FROM generate_series(1, $1)", [
            missing,
          ])
        ).map((r) => r.id)
      : [];
  return {
    existing: rows.map((r) => ({
      key: `${r.kind}:${r.value}`,
      customer: r.customer_id,
      user: r.user_id,
      email: r.email,
      phone: r.phone,
    })),
    spare,
  };
}

async function resolveOnce(
  tx: Queryable,
  ws: string,
  events: NormalizedEvent[],
  known: KnownIdentities | undefined,
  guarded: boolean,
): Promise<Resolution> {
  if (!events.some((e) => e.userId || e.anonymousId || e.previousId))
    return { owners: events.map(() => null), created: new Map(), held: [] };
  const { existing, spare } = known ?? (await readIdentities(tx, ws, events));
  const plan = new Plan(existing, spare, guarded);
  const owners = events.map((e) => plan.resolve(e));
  const created = await applyPlan(tx, ws, plan);
  return { owners: owners.map((id) => (id === null ? null : plan.final(id))), created, held: plan.held };
}

/** An identity and the customer it belongs to (identities). */
const IDENTITY_COLUMNS = { kind: 'text', value: 'text', customer_id: 'bigint' } as const;
/** A customer id and its user id (customers). */
const NAMED_COLUMNS = { id: 'bigint', user_id: 'text' } as const;

/** The identity rows of keys (`kind:value`) with the customer the plan gives each. */
const identityRows = (keys: string[], plan: Plan) =>
  keys.map((k) => ({ kind: splitKey(k)[0], value: splitKey(k)[1], customer_id: plan.get(k) }));

/** Writes the plan; returns the new customers it left for the caller to write whole. */
async function applyPlan(tx: Queryable, ws: string, plan: Plan): Promise<Map<string, string | null>> {
  if (plan.inserts.size > 0) {
    const keys = [...plan.inserts.keys()].sort(); // one order for all writers: no deadlock between two new identities
    const t = bulkRows(IDENTITY_COLUMNS, identityRows(keys, plan), { at: 2 });
    const inserted = await tx.query(
      `INSERT INTO identities (workspace_id, ${t.columns}) SELECT $1, ${t.columns} FROM ${t.from} ON CONFLICT DO NOTHING RETURNING value`,
      [ws, ...t.params],
    );
    if (inserted.length !== keys.length) throw new IdentityRace();
  }
  const created = new Map(
    [...plan.created].filter((id) => plan.final(id) === id).map((id) => [id, plan.userOf.get(id) ?? null]),
  );
  // A new customer that an older profile is merged into must exist before the merge moves rows onto it.
  const mergeTargets = [
    ...new Set(plan.merges.filter((m) => !plan.created.has(m.from)).map((m) => plan.final(m.to))),
  ].filter((id) => created.has(id));
  if (mergeTargets.length > 0) {
    const t = bulkRows(
      NAMED_COLUMNS,
      mergeTargets.map((id) => ({ id, user_id: created.get(id) })),
      { at: 2 },
    );
    await tx.query(`INSERT INTO customers (workspace_id, ${t.columns}) SELECT $1, ${t.columns} FROM ${t.from}`, [
      ws,
      ...t.params,
    ]);
    for (const id of mergeTargets) created.delete(id);
  }
  for (const { from, to } of plan.merges) {
    if (plan.created.has(from)) continue; // never written: nothing to move
    await mergeCustomers(tx, ws, from, plan.final(to), { keepAddresses: plan.guarded });
  }
  if (plan.repoints.size > 0) {
    const keys = [...plan.repoints];
    const t = bulkRows(IDENTITY_COLUMNS, identityRows(keys, plan), { at: 2 });
    await tx.query(
      `UPDATE identities i SET customer_id = t.customer_id FROM ${t.from} WHERE i.workspace_id = $1 AND i.kind = t.kind AND i.value = t.value`,
      [ws, ...t.params],
    );
  }
  const named = [...plan.named].filter((id) => plan.final(id) === id).map((id) => [id, plan.userOf.get(id)!] as const);
  if (named.length > 0) {
    const t = bulkRows(
      NAMED_COLUMNS,
      named.map(([id, user]) => ({ id, user_id: user })),
      { at: 2 },
    );
    const renamed = await tx.query(
      `UPDATE customers c SET user_id = t.user_id FROM ${t.from} WHERE c.workspace_id = $1 AND c.id = t.id AND c.user_id IS NULL RETURNING c.id`,
      [ws, ...t.params],
    );
    // An anonymous profile a concurrent batch named first (another user logged in on the same device): plan again.
    if (renamed.length !== named.length) throw new IdentityRace();
  }
  return created;
}
