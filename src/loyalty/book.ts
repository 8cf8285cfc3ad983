// The book: every movement of points goes through it, inside one transaction and on accounts it has locked (SELECT …
// FOR UPDATE), so concurrent redemptions are serialised and never overspend. Each movement is one ledger row, appended
// once per source (a replay changes nothing), with the lots and the account's balances changed to match it; `close`
// writes the accounts and lots and logs the movements on the customers' timelines.
import type { Queryable } from '../store/index.ts';
import { logOwnEvents, type OwnEvent } from '../customers/index.ts';
import { movementEvent } from './events.ts';
import { availableFrom, expiryOf, takeFifo } from './lots.ts';
import type { ProgramSettings } from './program.ts';
import {
  appendLedger,
  insertLots,
  lockAccounts,
  openLots,
  saveAccounts,
  saveLots,
  type AccountRow,
  type LedgerKind,
  type LotRow,
  type NewLedgerRow,
} from './store.ts';

export interface Credit {
  kind: Extract<LedgerKind, 'earn' | 'bonus' | 'referral' | 'adjust'>;
  points: number;
  source: string;
  at: Date;
  orderId?: string;
  reason?: string;
  actor?: string;
  details?: Record<string, unknown>;
  /** Spendable at once (adjustments, referral rewards), not after the programme's pending days. */
  immediate?: boolean;
}

export interface Debit {
  kind: Extract<LedgerKind, 'redeem' | 'adjust'>;
  points: number;
  source: string;
  at: Date;
  reason?: string;
  actor?: string;
  details?: Record<string, unknown>;
}

/** What a debit did: made, replayed (its source is in the ledger: nothing changed), or refused for want of points. */
export type DebitOutcome =
  | { status: 'done'; available: number }
  | { status: 'replay' }
  | { status: 'short'; available: number };

export class Book {
  readonly events: OwnEvent[] = [];
  private readonly lots = new Map<string, LotRow[]>();

  private constructor(
    private readonly tx: Queryable,
    private readonly ws: string,
    readonly program: ProgramSettings,
    readonly accounts: Map<string, AccountRow>,
  ) {}

  /** Locks the customers' accounts (creating the missing ones) for the movements to come. */
  static async open(
    tx: Queryable,
    ws: string,
    program: ProgramSettings,
    customerIds: string[],
    at: Date,
  ): Promise<Book> {
    return new Book(tx, ws, program, await lockAccounts(tx, ws, customerIds, at));
  }

  /** Locks more accounts in this transaction (a referrer's); a deadlock with another book is retried by the transaction. */
  async lock(customerIds: string[], at: Date): Promise<void> {
    const missing = customerIds.filter((c) => !this.accounts.has(c));
    for (const [id, a] of await lockAccounts(this.tx, this.ws, missing, at)) this.accounts.set(id, a);
  }

  account(customerId: string): AccountRow {
    const a = this.accounts.get(customerId);
    if (!a) throw new Error(`loyalty account ${customerId} was not locked by this book`);
    return a;
  }

  /** The customer's lots with points left (read once per book, after the lock). */
  async lotsOf(customerId: string): Promise<LotRow[]> {
    let lots = this.lots.get(customerId);
    if (!lots) this.lots.set(customerId, (lots = await openLots(this.tx, this.ws, [customerId])));
    return lots;
  }

  /** Reads the lots of many customers at once (a batch), so that lotsOf does not read them one by one. */
  async preloadLots(customerIds: string[]): Promise<void> {
    const missing = customerIds.filter((c) => !this.lots.has(c));
    if (!missing.length) return;
    for (const c of missing) this.lots.set(c, []);
    for (const l of await openLots(this.tx, this.ws, missing)) this.lots.get(l.customerId)!.push(l);
  }

  /** The customer's own copy of a lot read elsewhere (an order's, which may have nothing left), so that its changes are saved. */
  private async adopt(l: LotRow): Promise<LotRow> {
    const lots = await this.lotsOf(l.customerId);
    const own = lots.find((x) => x.ledgerId === l.ledgerId);
    if (own) return own;
    lots.push(l);
    return l;
  }

  /** Moves the account by an appended row's deltas and queues its event. */
  private applied(row: NewLedgerRow): void {
    const a = this.account(row.customerId);
    a.available += row.available;
    a.pending += row.pending;
    a.changed = true;
    this.events.push(movementEvent(row, a));
  }

  /** Appends the row; its id, or null on a replay (then nothing moves). */
  private async append(row: NewLedgerRow): Promise<string | null> {
    const id = (await appendLedger(this.tx, this.ws, [row])).get(row.source) ?? null;
    if (id !== null) this.applied(row);
    return id;
  }

  /** Points in: a lot, pending until the programme's returns window is over (adjustments are spendable at once). */
  async credit(customerId: string, c: Credit): Promise<boolean> {
    return (await this.creditMany([{ customerId, ...c }])).length > 0;
  }

  /** Many credits in two statements (a batch's orders); returns the lots of those that were new (replays move nothing). */
  async creditMany(credits: (Credit & { customerId: string })[]): Promise<LotRow[]> {
    const planned = credits
      .filter((c) => c.points > 0)
      .map((c) => {
        const availableAt = c.kind === 'adjust' || c.immediate ? c.at : availableFrom(c.at, this.program.pendingDays);
        const pending = availableAt.getTime() > c.at.getTime();
        const row: NewLedgerRow = {
          customerId: c.customerId,
          kind: c.kind,
          available: pending ? 0 : c.points,
          pending: pending ? c.points : 0,
          source: c.source,
          reason: c.reason ?? null,
          actor: c.actor ?? null,
          details: { ...(c.orderId ? { orderId: c.orderId } : {}), ...c.details },
          at: c.at,
        };
        return { c, row, availableAt, pending };
      });
    const ids = await appendLedger(
      this.tx,
      this.ws,
      planned.map((p) => p.row),
    );
    const lots: LotRow[] = [];
    for (const { c, row, availableAt, pending } of planned) {
      const id = ids.get(row.source);
      if (id === undefined) continue;
      const debt = Math.max(0, -this.account(c.customerId).available);
      this.applied(row);
      const lot: LotRow = {
        ledgerId: id,
        customerId: c.customerId,
        orderId: c.orderId ?? null,
        points: c.points,
        remaining: c.points,
        clawed: 0,
        earnedAt: c.at,
        availableAt,
        released: !pending,
        expiresAt: expiryOf(c.at, this.program.expiryMonths),
      };
      if (!pending) lot.remaining -= Math.min(c.points, debt); // a debt left by a claw-back is paid first
      lots.push(lot);
      if (lot.remaining > 0) this.lots.get(c.customerId)?.push(lot); // lots not read yet will be read with this one
    }
    await insertLots(this.tx, this.ws, lots);
    return lots;
  }

  /** Points out of what is spendable, first in first out; refused when the spendable points do not cover it. */
  async debit(customerId: string, d: Debit): Promise<DebitOutcome> {
    const a = this.account(customerId);
    if (a.available < d.points) return { status: 'short', available: a.available };
    const row: NewLedgerRow = {
      customerId,
      kind: d.kind,
      available: -d.points,
      pending: 0,
      source: d.source,
      reason: d.reason ?? null,
      actor: d.actor ?? null,
      details: d.details ?? {},
      at: d.at,
    };
    if ((await this.append(row)) === null) return { status: 'replay' };
    takeFifo(
      (await this.lotsOf(customerId)).filter((l) => l.released),
      d.points,
    );
    return { status: 'done', available: a.available };
  }

  /**
   * Takes back `points` of what an order earned (its lot): from that lot first (pending or spendable), then from the
   * customer's other spendable points; what was spent already is left as a debt (a negative balance) that later points
   * pay off. False on a replay of the source.
   */
  async clawback(
    orderLot: LotRow,
    points: number,
    source: string,
    at: Date,
    details: Record<string, unknown>,
  ): Promise<boolean> {
    if (points <= 0) return false;
    const l = await this.adopt(orderLot);
    const own = Math.min(l.remaining, points);
    const rest = points - own;
    const fromPending = l.released ? 0 : own;
    const fromAvailable = points - fromPending;
    const row: NewLedgerRow = {
      customerId: l.customerId,
      kind: 'clawback',
      available: -fromAvailable,
      pending: -fromPending,
      source,
      reason: null,
      actor: null,
      details,
      at,
    };
    if ((await this.append(row)) === null) return false;
    l.remaining -= own;
    l.clawed += points;
    if (l.remaining === 0) l.released = true; // nothing left to release
    l.changed = true;
    if (rest > 0)
      takeFifo(
        (await this.lotsOf(l.customerId)).filter((x) => x.released && x !== l),
        rest,
      ); // what is not there is owed
    return true;
  }

  /** Pending lots become spendable, each at its own time (paying off a debt first); one statement for all. */
  async release(lots: LotRow[]): Promise<number> {
    const rows = lots.map(
      (l): NewLedgerRow => ({
        customerId: l.customerId,
        kind: 'release',
        available: l.remaining,
        pending: -l.remaining,
        source: `release:${l.ledgerId}`,
        reason: null,
        actor: null,
        details: { lot: l.ledgerId },
        at: l.availableAt,
      }),
    );
    const ids = await appendLedger(this.tx, this.ws, rows);
    lots.forEach((l, i) => {
      const row = rows[i]!;
      if (ids.has(row.source)) {
        const debt = Math.max(0, -this.account(l.customerId).available);
        this.applied(row);
        l.remaining -= Math.min(row.available, debt);
      }
      l.released = true;
      l.changed = true;
    });
    return ids.size;
  }

  /** What is left of the lots expires, each at its expiry (first in, first out: what was spent came from the oldest). */
  async expire(lots: LotRow[]): Promise<number> {
    const due = lots.filter((l) => l.remaining > 0 && l.expiresAt);
    const rows = due.map(
      (l): NewLedgerRow => ({
        customerId: l.customerId,
        kind: 'expire',
        available: l.released ? -l.remaining : 0,
        pending: l.released ? 0 : -l.remaining,
        source: `expire:${l.ledgerId}`,
        reason: null,
        actor: null,
        details: { lot: l.ledgerId, earnedAt: l.earnedAt.toISOString() },
        at: l.expiresAt!,
      }),
    );
    const ids = await appendLedger(this.tx, this.ws, rows);
    due.forEach((l, i) => {
      if (ids.has(rows[i]!.source)) this.applied(rows[i]!);
      l.remaining = 0;
      l.released = true; // nothing left to release
      l.changed = true;
    });
    return ids.size;
  }

  /** Writes the accounts and lots the movements changed and logs the movements on the customers' timelines. */
  async close(at: Date, more: OwnEvent[] = []): Promise<void> {
    await saveLots(this.tx, this.ws, [...this.lots.values()].flat());
    await saveAccounts(this.tx, this.ws, this.accounts.values(), at);
    await logOwnEvents(this.tx, this.ws, [...this.events, ...more]);
    this.events.length = 0;
  }
}
