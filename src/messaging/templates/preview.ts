// Preview: any template for any customer (by id or user id) on a channel, optionally in a chosen locale, with the
// triggering event's properties given, taken from the customer's latest event of that name, or a built-in sample event
// (whose sample cart stands in when the customer has none; its money in the customer's currency, else the workspace's);
// their cart, and the SMS price. Also the recent real events
// of a name to preview with.
import { loyaltyContexts } from '../../loyalty/index.ts';
import { cardUrlFor } from '../../consent/index.ts';
import type { Db } from '../../store/index.ts';
import { getCustomer, customerView } from '../../customers/index.ts';
import type { Channel } from '../../channels/index.ts';
import { currencySource, templateContext, type CustomerProfile, type MessageLinks } from './context.ts';
import { TemplateStoreError } from './errors.ts';
import { messageLocality, normalizeLocale } from './locale.ts';
import type { RenderedMessage } from './render.ts';
import { renderOnThread } from './render-pool.ts';
import { getMessageDefaults } from './settings.ts';
import type { RenderableTemplate } from './compile.ts';
import { messageCommerce, type MessageCommerce } from '../../carts/index.ts';
import { SAMPLE_EVENTS, type SampleEventId } from './samples.ts';

export interface PreviewRequest {
  /** Customer id or user id; none: a customer without data (every field null). */
  customer?: string;
  channel: Channel;
  /** Preview this locale instead of the customer's own (the fallback chain still applies). */
  locale?: string;
  /** The triggering event: its properties, or its name to take the properties of the customer's latest such event. */
  trigger?: { event?: string; properties?: Record<string, unknown> };
  /** A built-in sample event instead of `trigger` (its cart is used when the customer has none of their own). */
  sample?: SampleEventId;
  /** The send step's params (a coupon). */
  params?: Record<string, unknown>;
  /** The message's links; placeholders when absent. */
  links?: MessageLinks;
}

export interface Preview extends RenderedMessage {
  channel: Channel;
  customer: { id: string; userId: string | null } | null;
}

/** Links in a preview or a test send point nowhere (the real ones are made for each message sent). */
export const previewLinks: MessageLinks = {
  unsubscribe: 'https://preview.invalid/unsubscribe',
  preferences: 'https://preview.invalid/preferences',
  viewInBrowser: 'https://preview.invalid/view-in-browser',
  confirm: 'https://preview.invalid/confirm',
};

export async function previewTemplate(
  db: Db,
  ws: string,
  template: RenderableTemplate,
  req: PreviewRequest,
  now: Date,
): Promise<Preview> {
  const customer = req.customer ? await findCustomer(db, ws, req.customer) : blankCustomer();
  if (!customer)
    throw new TemplateStoreError(
      'not_found',
      `No customer "${req.customer}" (by customer id or user id) in this workspace.`,
    );
  const sample = req.sample ? SAMPLE_EVENTS[req.sample] : null;
  const trigger = sample
    ? { event: sample.event, properties: sample.properties }
    : await triggerOf(db, ws, customer, req.trigger);
  const defaults = await getMessageDefaults(db, ws);
  // The cart: the one the trigger names, else the customer's latest (as a message without a journey key would have).
  const [own] = customer.id ? await messageCommerce(db, [{ ws, customerId: customer.id, key: null, trigger }]) : [];
  // A sample's amounts are in the customer's currency (their cart's, else their latest order's), else the workspace's.
  const currency = sample
    ? (own?.cart?.currency ?? (await latestOrderCurrency(db, ws, customer.id)) ?? defaults.currency)
    : null;
  const commerce = sample ? withSample(own, sample, currency!) : own;
  if (sample && trigger) trigger.properties = { ...trigger.properties, currency };
  const locality = messageLocality(customer, defaults, currencySource(trigger?.properties, commerce));
  if (req.locale !== undefined) locality.locale = normalizeLocale(req.locale) ?? req.locale;
  const [loyalty] = customer.id
    ? await loyaltyContexts(db, [{ ws, customerId: customer.id }], now, cardUrlFor(db))
    : [];
  const context = templateContext({
    customer,
    intent: { params: req.params ?? {}, context: { trigger } },
    links: req.links ?? previewLinks,
    sender: defaults.sender,
    commerce,
    now,
    loyalty,
  });
  const price = req.channel === 'sms' ? await smsPricePerSegment(db, ws) : undefined;
  const rendered = await renderOnThread(
    ws,
    template,
    req.channel,
    context,
    locality,
    price === undefined ? {} : { smsPricePerSegment: price },
  );
  return {
    channel: req.channel,
    customer: customer.id ? { id: customer.id, userId: customer.userId } : null,
    ...rendered,
  };
}

/** The currency of the customer's latest order that names a valid one, or null. */
async function latestOrderCurrency(db: Db, ws: string, customerId: string): Promise<string | null> {
  if (!customerId) return null;
  const [row] = await db.query<{ currency: string }>(
    `SELECT upper(btrim(currency)) AS currency FROM orders WHERE workspace_id = $1 AND customer_id = $2::bigint AND btrim(currency) ~ '^[A-Za-z]{3}$'
      ORDER BY placed_at DESC LIMIT 1`,
    [ws, customerId],
  );
  return row?.currency ?? null;
}

/** A sample's cart (in `currency`) and product stand in for what the customer does not have. */
function withSample(
  own: MessageCommerce | undefined,
  sample: (typeof SAMPLE_EVENTS)[SampleEventId],
  currency: string,
): MessageCommerce {
  const product = sample.cart?.items.find((i) => i.productId === sample.properties.product_id) ?? null;
  return {
    cart: own?.cart ?? (sample.cart && { ...sample.cart, currency }),
    product: own?.product ?? (product && { ...product }),
  };
}

export interface RecentEvent {
  id: string;
  name: string;
  timestamp: string;
  customerId: string;
  properties: Record<string, unknown>;
}

/** The latest events of a name, of one customer or of the whole workspace, newest first (to preview a template with). */
export async function recentEvents(
  db: Db,
  ws: string,
  name: string,
  customerId: string | null,
  limit = 10,
): Promise<RecentEvent[]> {
  const rows = await db.query<{
    id: string;
    name: string;
    timestamp: Date;
    customer_id: string;
    properties: Record<string, unknown>;
  }>(
    `SELECT message_id AS id, name, timestamp, customer_id::text, properties FROM events
      WHERE workspace_id = $1 AND name = $2 AND ($3::bigint IS NULL OR customer_id = $3::bigint) AND customer_id IS NOT NULL
      ORDER BY timestamp DESC, message_id DESC LIMIT $4`,
    [ws, name, customerId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    timestamp: new Date(r.timestamp).toISOString(),
    customerId: r.customer_id,
    properties: r.properties,
  }));
}

/** A customer by customer id (following merges) or by user id. */
export async function findCustomer(db: Db, ws: string, ref: string): Promise<CustomerProfile | null> {
  const byId = await getCustomer(db, ws, ref);
  if (byId) return byId.customer;
  const [row] = await db.query<{ id: string }>(
    'SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = $2',
    [ws, ref],
  );
  return row ? ((await getCustomer(db, ws, row.id))?.customer ?? null) : null;
}

function blankCustomer(): CustomerProfile {
  return customerView({
    id: '',
    user_id: null,
    email: null,
    phone: null,
    locale: null,
    timezone: null,
    traits: {},
    first_seen: null,
    last_seen: null,
    first_order_at: null,
    last_order_at: null,
    orders_count: 0,
    purchase_days: 0,
    revenue_total: 0,
    revenue_net: 0,
    scored_at: null,
  });
}

async function triggerOf(db: Db, ws: string, customer: CustomerProfile, given: PreviewRequest['trigger']) {
  if (!given) return null;
  if (given.properties || !given.event || !customer.id)
    return { event: given.event, properties: given.properties ?? {} };
  const [last] = await db.query<{ properties: Record<string, unknown>; timestamp: Date }>(
    'SELECT properties, timestamp FROM events WHERE workspace_id = $1 AND customer_id = $2 AND name = $3 ORDER BY timestamp DESC LIMIT 1',
    [ws, customer.id, given.event],
  );
  if (!last)
    throw new TemplateStoreError(
      'not_found',
      `The customer has no "${given.event}" event to preview with: give trigger.properties instead.`,
    );
  return { event: given.event, properties: last.properties, at: new Date(last.timestamp).toISOString() };
}

/** The SMS provider's price per segment, when one is set up. */
async function smsPricePerSegment(db: Db, ws: string): Promise<number | undefined> {
  const [row] = await db.query<{ price: number }>(
    "SELECT price_per_message AS price FROM channel_providers WHERE workspace_id = $1 AND channel = 'sms'",
    [ws],
  );
  return row ? Number(row.price) : undefined;
}
