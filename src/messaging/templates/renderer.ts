// Templates for the dispatcher (dispatch/dispatcher.ts Renderer): an intent's template rendered on the render pool for
// each channel it may go to, for its customer, each with that channel's own links and the workspace's defaults; a
// template problem (also `too slow` / `too large`) is the skip reason.
import { type Queryable, oncePerTransaction } from '../../store/index.ts';
import { customerView, type CustomerRow } from '../../customers/index.ts';
import type { Renderer } from '../dispatch/dispatcher.ts';
import type { Channel } from '../../channels/index.ts';
import { contextLinks, currencySource, templateContext, type IntentData } from './context.ts';
import { TemplateRenderError } from './errors.ts';
import { messageLocality } from './locale.ts';
import { channelContent, type ChannelContent } from './outgoing.ts';
import { contentChannel } from './render.ts';
import { renderOnThread } from './render-pool.ts';
import { getMessageDefaults } from './settings.ts';
import { getTemplate } from './store.ts';
import { builtInTemplate } from './builtin.ts';
import { withSenderIdentification } from './sender-footer.ts';
import { messageCommerce, type MessageCommerce, type MessageSubject } from '../../carts/index.ts';
import type { IntentRow } from '../dispatch/facts.ts';
import { loyaltyContexts, type LoyaltyContext } from '../../loyalty/index.ts';
import { cardUrlFor } from '../../consent/index.ts';

/** A channel's links by name (as the dispatcher names them) in the template context's shape. */
const linksOf = (links: Record<string, string>) =>
  contextLinks({
    unsubscribe: links.unsubscribe,
    preferences: links.preferences,
    viewInBrowser: links.viewInBrowser ?? links.view_in_browser,
    confirm: links.confirm,
  });

/** What each message of a batch is about (its cart, its product) and its customer's loyalty, read once per transaction by `prepare`. */
const prepared = new WeakMap<Queryable, Map<string, MessageCommerce>>();
const preparedLoyalty = new WeakMap<Queryable, Map<string, LoyaltyContext>>();

const subjectOf = (intent: IntentRow): MessageSubject => {
  const ctx = (intent as unknown as IntentData).context;
  return {
    ws: intent.workspace_id,
    customerId: intent.customer_id,
    key: ctx?.key ?? null,
    trigger: ctx?.trigger ?? null,
  };
};

export const templateRenderer: Renderer = {
  async prepare(tx, intents, now) {
    const found = await messageCommerce(tx, intents.map(subjectOf));
    prepared.set(tx, new Map(intents.map((i, k) => [i.id, found[k]!])));
    const loyalty = await loyaltyContexts(
      tx,
      intents.map((i) => ({ ws: i.workspace_id, customerId: i.customer_id })),
      now,
      cardUrlFor(tx),
    );
    preparedLoyalty.set(tx, new Map(intents.map((i, k) => [i.id, loyalty[k]!])));
  },
  async render(db: Queryable, intent, customerRow, channels, links, now) {
    const ws = intent.workspace_id;
    const template = await oncePerTransaction(
      db,
      `template\u0000${ws}\u0000${intent.template}`,
      async () => (await getTemplate(db, ws, intent.template)) ?? builtInTemplate(intent.template),
    );
    if (!template)
      return {
        ok: false,
        error: `No template "${intent.template}" in this workspace: create it, or change the journey's send step.`,
      };
    const defaults = await oncePerTransaction(db, `message-defaults\u0000${ws}`, () => getMessageDefaults(db, ws));
    const customer = customerView(customerRow as unknown as CustomerRow);
    const intentData = intent as unknown as IntentData;
    const trigger = intentData.context?.trigger ?? null;
    const commerce = prepared.get(db)?.get(intent.id) ?? (await messageCommerce(db, [subjectOf(intent)]))[0]!;
    const loyalty =
      preparedLoyalty.get(db)?.get(intent.id) ??
      (await loyaltyContexts(db, [{ ws, customerId: intent.customer_id }], now, cardUrlFor(db)))[0]!;
    const context = templateContext({ customer, intent: intentData, sender: defaults.sender, commerce, now, loyalty });
    const locality = messageLocality(customer, defaults, currencySource(trigger?.properties, commerce));
    const has = (c: Channel) => Object.values(template.content).some((v) => v[contentChannel(c)]);
    const content: Partial<Record<Channel, ChannelContent>> = {};
    const locales: Partial<Record<Channel, string>> = {};
    try {
      for (const channel of channels.filter(has)) {
        const own = typeof links === 'function' ? links(channel) : links;
        const rendered = await renderOnThread(ws, template, channel, { ...context, links: linksOf(own) }, locality);
        // Marketing e-mail always says who sends it.
        if (rendered.email && intent.purpose === 'marketing')
          rendered.email = withSenderIdentification(rendered.email, defaults.sender);
        content[channel] = channelContent(rendered, channel);
        locales[channel] = rendered.locale;
      }
    } catch (err) {
      if (err instanceof TemplateRenderError) return { ok: false, error: `template "${template.id}": ${err.message}` };
      throw err;
    }
    return { ok: true, locale: Object.values(locales)[0] ?? template.defaultLocale, locales, content };
  },
};
