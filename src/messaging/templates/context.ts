// What a template can print (pure): the customer, their aggregates and scores, the triggering event, the cart and the
// product the message is about, the send step's params and coupon, the links and the sender, all in snake_case as
// Liquid users expect. Every key is always present (null when unknown), so `{% if customer.first_name %}` works and a
// misspelt name is an error that names it.
import type { customerView } from '../../customers/index.ts';
import {
  type Cart,
  type CartStatus,
  type MessageCommerce,
  snakeProduct,
  type SnakeProduct,
} from '../../carts/index.ts';
import { templateScores, type TemplateScores } from '../../scores/index.ts';
import type { LoyaltyContext } from '../../loyalty/index.ts';

/** A customer without loyalty points (no account, or a preview without a customer: no card link either). */
const NO_LOYALTY: LoyaltyContext = {
  points: 0,
  pending: 0,
  tier: null,
  points_expiring: 0,
  points_expiring_at: null,
  free_shipping: false,
  multiplier: 1,
  card_url: '',
};

/** A customer as the API shows it (src/customers/view.ts); `scores` when the query selected them. */
export type CustomerProfile = ReturnType<typeof customerView>;

/** The part of a message intent (src/journeys/store/runner.ts) that templates see. */
export interface IntentData {
  /** The send step's params (a coupon code, a discount), already resolved for this customer. */
  params?: Record<string, unknown>;
  context?: {
    /** The journey's entry key (a cart id, an order id). */
    key?: string;
    /** The event that started the journey. */
    trigger?: { event?: string; properties?: Record<string, unknown>; at?: string } | null;
  };
}

/** The message's own links (made by the sender for each message). */
export interface MessageLinks {
  unsubscribe?: string | null;
  preferences?: string | null;
  viewInBrowser?: string | null;
  /** The double opt-in confirmation link (only in the consent confirmation e-mail). */
  confirm?: string | null;
}

/** Who sends: marketing e-mail must say it (name and postal address, as the law asks). */
export interface SenderIdentity {
  name?: string | null;
  identification?: string | null;
}

/** A product as templates print it (the triggering event's, or a cart line's): product_id, sku, name, variant,
 * category, price (the unit price), image_url and url (the product's page); each the event's, else the catalogue's
 * (PUT /api/v1/products), else null. */
export type ProductContext = SnakeProduct;

/** One line of the cart. */
export interface CartItemContext extends ProductContext {
  quantity: number;
  /** price × quantity (rounded to cents); null when the price is unknown. */
  total: number | null;
}

/** The cart the message is about, as it stands when the message is rendered (src/carts/). */
export interface CartContext {
  /** The shop's cart id (cart_id / cartId); null for a cart whose events name none, or when there is no cart. */
  id: string | null;
  /** open (it holds products), ordered (an order closed it and nothing was added since), empty (all removed); null: no cart. */
  status: CartStatus | null;
  /** The lines, in the order they were first added. */
  items: CartItemContext[];
  /** Units over all lines. */
  quantity: number;
  /** Σ of the lines' totals. */
  total: number;
  /** The currency the cart's events name (ISO 4217), or null. */
  currency: string | null;
  /** A link back to the cart: the events' cart_url, else the page a Cart Viewed was sent from; null when none. */
  url: string | null;
  /** The latest cart event (ISO 8601). */
  updated_at: string | null;
}

export interface TemplateContext {
  customer: {
    /** Retain's customer id. */
    id: string;
    /** The shop's own id of the customer. */
    user_id: string | null;
    email: string | null;
    phone: string | null;
    /** traits.first_name, traits.firstName, or the first word of traits.name. */
    first_name: string | null;
    /** traits.last_name, traits.lastName, or the rest of traits.name. */
    last_name: string | null;
    /** traits.name, or first and last name. */
    name: string | null;
    locale: string | null;
    timezone: string | null;
    /** Every trait as sent (e.g. customer.traits.plan). */
    traits: Record<string, unknown>;
    /** Loyalty (src/loyalty): points to spend, pending, tier, points expiring within 30 days and when, the tier's benefits. */
    loyalty: LoyaltyContext;
  };
  /** Kept current at ingest; dates are ISO 8601 (print them with `local_date`). */
  aggregates: {
    orders_count: number;
    /** Distinct days with a purchase. */
    purchase_days: number;
    /** Revenue before refunds. */
    revenue_total: number;
    /** Revenue after refunds. */
    revenue_net: number;
    /** revenue_total / orders_count, null before the first order. */
    average_order_value: number | null;
    first_order_at: string | null;
    last_order_at: string | null;
    first_seen: string | null;
    last_seen: string | null;
  };
  /** The models' scores by name (rfm_segment, rfm: {r, f, m}, p_alive, churn_risk, …: src/scores/descriptor.ts describes
   * each), and when they last changed; all null before the first model run. */
  scores: TemplateScores & { scored_at: string | null };
  /** The triggering event's properties as sent, e.g. event.products (cart lines), event.total, event.currency; {} when
   * the message has no triggering event. */
  event: Record<string, unknown>;
  /** The triggering event's name and time (ISO 8601), and the journey's entry key (a cart id); null when none. */
  trigger: { name: string | null; at: string | null; key: string | null };
  /** The customer's cart whose id is the journey's key, else the one the triggering event names, else their latest;
   * with no items and a null status when the customer has none. */
  cart: CartContext;
  /** The triggering event's own product (Product Viewed, Product Added: product_id, name, price, image_url, url…),
   * completed from the catalogue; null when the event names none. */
  product: ProductContext | null;
  /** The send step's params. */
  params: Record<string, unknown>;
  /** params.coupon: a code or an object such as {code, value, expires_at}; null when the step gives none. */
  coupon: unknown;
  /** Also printed by {% unsubscribe_url %}, {% preferences_url %}, {% view_in_browser_url %} and {% confirm_url %}. */
  links: {
    unsubscribe: string | null;
    preferences: string | null;
    view_in_browser: string | null;
    confirm: string | null;
  };
  /** sender.identification: who sends, for the footer of marketing e-mail; sender.name. */
  sender: { name: string | null; identification: string | null };
  /** When the message is rendered (ISO 8601). */
  now: string;
}

export interface ContextInput {
  customer: CustomerProfile;
  intent?: IntentData;
  links?: MessageLinks;
  sender?: SenderIdentity;
  /** The cart and product of the message (src/carts/store.ts messageCommerce). */
  commerce?: MessageCommerce;
  now: Date;
  /** The customer's loyalty points and tier (src/loyalty/template.ts); none: no points, no tier. */
  loyalty?: LoyaltyContext;
}

/** A message's links as templates print them (one channel's message has its own). */
export function contextLinks(links: MessageLinks): TemplateContext['links'] {
  return {
    unsubscribe: links.unsubscribe ?? null,
    preferences: links.preferences ?? null,
    view_in_browser: links.viewInBrowser ?? null,
    confirm: links.confirm ?? null,
  };
}

/** The properties `money` takes its currency from (messageLocality): the triggering event's, else the cart's. */
export function currencySource(
  trigger: Record<string, unknown> | undefined,
  commerce: MessageCommerce | undefined,
): Record<string, unknown> {
  return { ...(commerce?.cart?.currency ? { currency: commerce.cart.currency } : {}), ...trigger };
}

function cartContext(cart: Cart | null): CartContext {
  if (!cart)
    return { id: null, status: null, items: [], quantity: 0, total: 0, currency: null, url: null, updated_at: null };
  return {
    id: cart.id,
    status: cart.status,
    items: cart.items.map((i) => ({ ...snakeProduct(i), quantity: i.quantity, total: i.total })),
    quantity: cart.quantity,
    total: cart.total,
    currency: cart.currency,
    url: cart.url,
    updated_at: cart.updatedAt,
  };
}

export function templateContext({
  customer,
  intent = {},
  links = {},
  sender = {},
  commerce,
  now,
  loyalty = NO_LOYALTY,
}: ContextInput): TemplateContext {
  const traits = customer.traits ?? {};
  const names = personNames(traits);
  const a = customer.aggregates;
  const s = 'scores' in customer ? customer.scores : undefined;
  const trigger = intent.context?.trigger ?? null;
  const params = intent.params ?? {};
  return {
    customer: {
      id: customer.id,
      user_id: customer.userId,
      email: customer.email,
      phone: customer.phone,
      ...names,
      locale: customer.locale,
      timezone: customer.timezone,
      traits,
      loyalty,
    },
    aggregates: {
      orders_count: a.ordersCount,
      purchase_days: a.purchaseDays,
      revenue_total: a.revenueTotal,
      revenue_net: a.revenueNet,
      average_order_value: a.averageOrderValue,
      first_order_at: a.firstOrderAt,
      last_order_at: a.lastOrderAt,
      first_seen: a.firstSeen,
      last_seen: a.lastSeen,
    },
    scores: { ...templateScores(s), scored_at: s?.scoredAt ?? null },
    event: { ...trigger?.properties },
    trigger: { name: trigger?.event ?? null, at: trigger?.at ?? null, key: intent.context?.key || null },
    cart: cartContext(commerce?.cart ?? null),
    product: commerce?.product ? snakeProduct(commerce.product) : null,
    params,
    coupon: params.coupon ?? null,
    links: contextLinks(links),
    sender: { name: sender.name ?? null, identification: sender.identification ?? null },
    now: now.toISOString(),
  };
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

/** First and last name from the traits people send: first_name / firstName, last_name / lastName, or name. */
function personNames(traits: Record<string, unknown>) {
  const full = text(traits.name);
  const [head, ...rest] = full?.split(/\s+/) ?? [];
  const first_name = text(traits.first_name) ?? text(traits.firstName) ?? head ?? null;
  const last_name = text(traits.last_name) ?? text(traits.lastName) ?? (rest.length ? rest.join(' ') : null);
  const name = full ?? ([first_name, last_name].filter(Boolean).join(' ') || null);
  return { first_name, last_name, name };
}
