// What a template can print (pure): one typed description of the context that context.ts builds, so that a misspelt
// variable is refused when the template is saved instead of failing when a customer's message is rendered. Free-form
// parts (traits, the event's properties, params, the coupon) accept any path below them.

import { SCORES, type ScoreDescriptor } from '../../scores/index.ts';

/** The shape of one value of the context. */
export type Shape =
  | { kind: 'text' }
  | { kind: 'number' }
  | { kind: 'object'; fields: Record<string, Shape> }
  | { kind: 'list'; item: Shape }
  /** Whatever the data holds: any path below is allowed. */
  | { kind: 'any' };

const text: Shape = { kind: 'text' };
const number: Shape = { kind: 'number' };
const any: Shape = { kind: 'any' };
const object = (fields: Record<string, Shape>): Shape => ({ kind: 'object', fields });
const list = (item: Shape): Shape => ({ kind: 'list', item });
const texts = (...names: string[]) => Object.fromEntries(names.map((n) => [n, text]));
const numbers = (...names: string[]) => Object.fromEntries(names.map((n) => [n, number]));

/** The scores as templates see them (src/scores/descriptor.ts): each by its name, a group as one object of its keys. */
function scoreShapes(): Record<string, Shape> {
  const out: Record<string, Shape> = {};
  for (const s of SCORES as readonly ScoreDescriptor[]) {
    const shape = s.type === 'number' ? number : text;
    if (!s.group) out[s.name] = shape;
    else {
      const group = (out[s.group] ??= object({})) as { fields: Record<string, Shape> };
      group.fields[s.key] = shape;
    }
  }
  return out;
}

/** A product as templates see it (the cart's lines, the triggering event's product). */
const productFields = {
  ...texts('product_id', 'sku', 'name', 'variant', 'category', 'image_url', 'url'),
  ...numbers('price'),
};

/** The context of every message (see TemplateContext in context.ts; dates are ISO 8601 text). */
export const templateContextShape: Shape = object({
  customer: object({
    ...texts('id', 'user_id', 'email', 'phone', 'first_name', 'last_name', 'name', 'locale', 'timezone'),
    traits: any,
    loyalty: object({
      ...numbers('points', 'pending', 'points_expiring', 'multiplier'),
      ...texts('tier', 'points_expiring_at', 'card_url'),
      free_shipping: any,
    }),
  }),
  aggregates: object({
    ...numbers('orders_count', 'purchase_days', 'revenue_total', 'revenue_net', 'average_order_value'),
    ...texts('first_order_at', 'last_order_at', 'first_seen', 'last_seen'),
  }),
  scores: object({ ...scoreShapes(), scored_at: text }),
  event: any,
  trigger: object(texts('name', 'at', 'key')),
  params: any,
  coupon: any,
  cart: object({
    ...texts('id', 'status', 'currency', 'url', 'updated_at'),
    items: list(object({ ...productFields, ...numbers('quantity', 'total') })),
    ...numbers('quantity', 'total'),
  }),
  product: object(productFields),
  links: object(texts('unsubscribe', 'preferences', 'view_in_browser', 'confirm')),
  sender: object(texts('name', 'identification')),
  now: text,
});
