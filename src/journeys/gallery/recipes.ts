// The journey gallery (pure): ready-made journeys, each with the templates (MJML e-mail) and segments it needs, what
// data it expects from the workspace, and its definition naming them by their base ids (renamed on install when taken).
import { GALLERY_MESSAGES, GALLERY_TEXTS as T, type GalleryMessages, type MessageText } from './texts.ts';
import { LANGUAGES, type Language } from '../../i18n/index.ts';

export interface RecipeTemplate {
  /** The base id; a workspace that has it already gets the next free `-2`, `-3`, … */
  id: string;
  name: string;
  /** The subject and body in English (what the gallery shows). */
  subject: string;
  /** The body as HTML inside an MJML text block. */
  body: string;
  /** The subject and body in each language: the template's locale variants. */
  locales: Record<Language, MessageText>;
}

export interface RecipeSegment {
  id: string;
  name: string;
  definition: unknown;
}

export interface Recipe {
  id: string;
  name: string;
  description: string;
  /** What the journey needs from the workspace: the events it listens to, the traits and scores it reads. */
  needs: { events: string[]; traits: string[]; scores: string[] };
  templates: RecipeTemplate[];
  segments: RecipeSegment[];
  /** A journey definition whose send steps name `templates` and whose trigger may name `segments`, by base id. */
  definition: Record<string, unknown>;
}

const send = (id: string, template: string, next?: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'send',
  template,
  channel: { fixed: 'email' },
  ...extra,
  ...(next ? { next } : {}),
});
const delay = (id: string, duration: string, next: string) => ({ id, type: 'delay', duration, next });
type MessageKey = Exclude<keyof GalleryMessages, 'unsubscribe'>;
const tpl = (id: string, name: string, key: MessageKey): RecipeTemplate => {
  const locales = Object.fromEntries(LANGUAGES.map((l) => [l, GALLERY_MESSAGES[l][key]])) as Record<
    Language,
    MessageText
  >;
  return { id, name, ...locales.en, locales };
};

export const RECIPES: readonly Recipe[] = [
  {
    id: 'abandoned-cart',
    ...pick(T.abandonedCart),
    needs: { events: ['Product Added', 'Order Completed'], traits: ['email'], scores: [] },
    templates: [
      tpl('cart-reminder', T.abandonedCart.reminder, 'cartReminder'),
      tpl('cart-coupon', T.abandonedCart.coupon, 'cartCoupon'),
    ],
    segments: [],
    definition: {
      purpose: 'marketing',
      trigger: { type: 'event', event: 'Product Added', key: 'cartId' },
      goal: { event: 'Order Completed', sameKey: true },
      entry: { mode: 'every' },
      start: 'hour',
      steps: [
        { ...delay('hour', 'PT1H', 'reminder'), ui: { x: 0, y: 0 } },
        { ...send('reminder', 'cart-reminder', 'day'), ui: { x: 0, y: 120 } },
        { ...delay('day', 'PT23H', 'coupon'), ui: { x: 0, y: 240 } },
        { ...send('coupon', 'cart-coupon', undefined, { params: { coupon: 'CART10' } }), ui: { x: 0, y: 360 } },
      ],
    },
  },
  {
    id: 'browse-abandonment',
    ...pick(T.browse),
    needs: { events: ['Product Viewed', 'Product Added'], traits: ['email'], scores: [] },
    templates: [tpl('browse-reminder', T.browse.reminder, 'browseReminder')],
    segments: [],
    definition: {
      purpose: 'marketing',
      trigger: { type: 'event', event: 'Product Viewed', key: 'product_id' },
      goal: { event: 'Product Added', sameKey: true },
      entry: { mode: 'cooldown', days: 7 },
      start: 'wait',
      steps: [delay('wait', 'PT4H', 'nudge'), send('nudge', 'browse-reminder')],
    },
  },
  {
    id: 'welcome-series',
    ...pick(T.welcome),
    needs: { events: ['Signed Up'], traits: ['email', 'first_name'], scores: [] },
    templates: [tpl('welcome', T.welcome.hello, 'welcome'), tpl('welcome-tips', T.welcome.tips, 'welcomeTips')],
    segments: [],
    definition: {
      purpose: 'marketing',
      trigger: { type: 'event', event: 'Signed Up' },
      entry: { mode: 'once' },
      start: 'hello',
      steps: [send('hello', 'welcome', 'later'), delay('later', 'P3D', 'tips'), send('tips', 'welcome-tips')],
    },
  },
  {
    id: 'post-purchase',
    ...pick(T.postPurchase),
    needs: { events: ['Order Completed'], traits: ['email'], scores: [] },
    templates: [
      tpl('order-thanks', T.postPurchase.thanks, 'orderThanks'),
      tpl('review-request', T.postPurchase.review, 'reviewRequest'),
    ],
    segments: [],
    definition: {
      purpose: 'marketing',
      trigger: { type: 'event', event: 'Order Completed', key: 'orderId' },
      entry: { mode: 'every' },
      start: 'thanks',
      steps: [
        send('thanks', 'order-thanks', 'wait'),
        delay('wait', 'P14D', 'review'),
        send('review', 'review-request'),
      ],
    },
  },
  {
    id: 'replenishment',
    ...pick(T.replenishment),
    needs: { events: ['Order Completed'], traits: ['email'], scores: [] },
    templates: [tpl('replenish-reminder', T.replenishment.reminder, 'restock')],
    segments: [],
    definition: {
      purpose: 'marketing',
      trigger: { type: 'event', event: 'Order Completed' },
      goal: { event: 'Order Completed' },
      entry: { mode: 'every' },
      start: 'interval',
      // as long as the products ordered usually last (median gap between repeat purchases), else 30 days
      steps: [
        { id: 'interval', type: 'delay', productInterval: { fallback: 'P30D', minRepeats: 3 }, next: 'remind' },
        send('remind', 'replenish-reminder'),
      ],
    },
  },
  {
    id: 'win-back',
    ...pick(T.winBack),
    needs: { events: [], traits: ['email'], scores: ['churn_risk'] },
    templates: [tpl('win-back', T.winBack.missYou, 'missYou')],
    segments: [
      {
        id: 'high-churn-risk',
        name: T.winBack.segment,
        definition: { score: 'churn_risk', op: 'in', value: ['high'] },
      },
    ],
    definition: {
      purpose: 'marketing',
      trigger: { type: 'segment', segment: 'high-churn-risk', on: 'enter', exitOnLeave: true },
      entry: { mode: 'cooldown', days: 90 },
      start: 'miss-you',
      steps: [send('miss-you', 'win-back')],
    },
  },
  {
    id: 'birthday',
    ...pick(T.birthday),
    needs: { events: [], traits: ['birthday', 'email'], scores: [] },
    templates: [tpl('birthday', T.birthday.greeting, 'birthday')],
    segments: [],
    definition: {
      purpose: 'marketing',
      trigger: { type: 'date', trait: 'birthday', yearly: true, offsetDays: 0, at: '09:00' },
      entry: { mode: 'every' },
      start: 'greet',
      steps: [send('greet', 'birthday')],
    },
  },
  {
    id: 'payment-reminder',
    ...pick(T.paymentReminder),
    needs: { events: ['Invoice Created', 'Invoice Paid'], traits: ['email'], scores: [] },
    templates: [tpl('payment-reminder', T.paymentReminder.reminder, 'paymentReminder')],
    segments: [],
    definition: {
      purpose: 'transactional',
      trigger: { type: 'event', event: 'Invoice Created', key: 'invoiceId' },
      goal: { event: 'Invoice Paid', sameKey: true },
      entry: { mode: 'every' },
      start: 'before-due',
      steps: [
        {
          id: 'before-due',
          type: 'delay',
          untilProperty: { property: 'dueDate', offsetDays: -3, at: '09:00' },
          next: 'remind',
        },
        send('remind', 'payment-reminder'),
      ],
    },
  },
];

function pick(t: { name: string; description: string }) {
  return { name: t.name, description: t.description };
}

export const recipeById = (id: string): Recipe | undefined => RECIPES.find((r) => r.id === id);

/** The template's MJML e-mail content in every language (a locale variant each), with an unsubscribe link for marketing. */
export function templateContent(
  t: RecipeTemplate,
  purpose: string,
): Record<Language, { email: { subject: string; mjml: string } }> {
  const variant = (l: Language) => {
    const unsubscribe =
      purpose === 'marketing' ? `<br/><br/><a href="{% unsubscribe_url %}">${GALLERY_MESSAGES[l].unsubscribe}</a>` : '';
    const mjml = `<mjml><mj-body><mj-section><mj-column><mj-text>${t.locales[l].body}${unsubscribe}</mj-text></mj-column></mj-section></mj-body></mjml>`;
    return { email: { subject: t.locales[l].subject, mjml } };
  };
  return Object.fromEntries(LANGUAGES.map((l) => [l, variant(l)])) as Record<
    Language,
    { email: { subject: string; mjml: string } }
  >;
}

/**
 * The recipe's definition with its templates and segments renamed (base id → the id given in this workspace): the
 * template of every send step, the segment of the trigger.
 */
export function renamedDefinition(
  recipe: Recipe,
  ids: { templates: ReadonlyMap<string, string>; segments: ReadonlyMap<string, string> },
): Record<string, unknown> {
  const def = structuredClone(recipe.definition) as {
    trigger: Record<string, unknown>;
    steps: Record<string, unknown>[];
  };
  const rename = (v: unknown, map: ReadonlyMap<string, string>) => (typeof v === 'string' ? (map.get(v) ?? v) : v);
  if (typeof def.trigger.segment === 'string') def.trigger.segment = rename(def.trigger.segment, ids.segments);
  for (const s of def.steps) if (s.type === 'send') s.template = rename(s.template, ids.templates);
  return def;
}

/** The first of `base`, `base-2`, `base-3`, … that is not `taken`. */
export function freeId(base: string, taken: ReadonlySet<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}
