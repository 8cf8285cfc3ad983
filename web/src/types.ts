// Shapes of the JSON returned by the Retain admin API (/api/v1).
import type { MoneyFigure, MoneyNote } from './money';

export type Iso = string;

export interface Aggregates {
  firstSeen: Iso | null;
  lastSeen: Iso | null;
  firstOrderAt: Iso | null;
  lastOrderAt: Iso | null;
  ordersCount: number;
  purchaseDays: number;
  revenueTotal: number;
  revenueNet: number;
  averageOrderValue: number | null;
}

export interface Customer {
  id: string;
  userId: string | null;
  /** From the traits: name, or first + last name; null when none is known. */
  name: string | null;
  anonymousIds: string[];
  email: string | null;
  phone: string | null;
  traits: Record<string, unknown>;
  aggregates: Aggregates;
  /** Model scores (profile only). */
  scores?: import('./modelTypes').CustomerScores;
}

export type EventType = 'track' | 'identify' | 'page' | 'screen' | 'group' | 'alias';

export interface RetainEvent {
  id: string;
  messageId: string;
  customerId: string | null;
  userId: string | null;
  anonymousId: string | null;
  type: EventType;
  name: string | null;
  properties: Record<string, unknown>;
  timestamp: Iso;
  receivedAt: Iso;
}

export interface MeResponse {
  workspace: { id: string; name: string };
  keyKind: string;
}

export interface OverviewResponse extends MoneyFigure {
  customers: number;
  events: number;
  orders: number;
  /** What `revenue` is in. */
  money: MoneyNote;
  eventsPerDay: { day: string; count: number }[];
  latestEvents: RetainEvent[];
}

export interface CustomersResponse {
  customers: Customer[];
  nextCursor: string | null;
}

export interface Counter {
  name: string;
  count: number;
  lastAt: Iso;
}

/** One line of a cart (src/carts/fold.ts). */
export interface CartItem {
  productId: string | null;
  sku: string | null;
  name: string | null;
  variant: string | null;
  price: number | null;
  quantity: number;
  total: number | null;
  imageUrl: string | null;
  url: string | null;
}

/** A cart as it stands, from the customer's cart events. */
export interface Cart {
  id: string | null;
  status: 'open' | 'ordered' | 'empty';
  items: CartItem[];
  quantity: number;
  total: number;
  currency: string | null;
  url: string | null;
  updatedAt: Iso;
}

export interface CustomerResponse {
  customer: Customer;
  counters: Counter[];
  /** The carts that still hold products, the most recently changed first. */
  openCarts: Cart[];
  /** The segments the customer is in now, by name. */
  segments: { id: string; name: string; enteredAt: Iso }[];
  /** Where the scores seem to disagree, why (src/models/explain.ts). */
  scoreNotes: import('../../src/models/explain.ts').ScoreNote[];
}

export type { ScoreNote } from '../../src/models/explain.ts';
export type { CustomerSort, SortDirection } from '../../src/customers/list-order.ts';

export interface EventsResponse {
  events: RetainEvent[];
  nextCursor: string | null;
}

export interface Segment {
  id: string;
  name: string;
  definition: unknown;
  status: 'active' | 'archived';
  evaluatedAt: Iso | null;
  createdAt: Iso;
  updatedAt: Iso;
  members: number;
}

export interface SegmentsResponse {
  segments: Segment[];
}

export interface SegmentPreview {
  count: number;
  sample: Customer[];
}

export interface SegmentMember {
  id: string;
  userId: string | null;
  email: string | null;
  enteredAt: Iso;
}

export interface SegmentMembersResponse {
  members: SegmentMember[];
  nextCursor: string | null;
}

export interface SegmentEvaluation {
  id: string;
  entered: number;
  exited: number;
  members: number;
  evaluatedAt: Iso;
}

export interface SegmentActivity {
  days: { day: string; entered: number; exited: number }[];
  entered: number;
  exited: number;
}
