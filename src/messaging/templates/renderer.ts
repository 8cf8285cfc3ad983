// Templates for the dispatcher (dispatch/dispatcher.ts Renderer): an intent's template rendered for each channel it may
// go to, for its customer, each with that channel's own links and the workspace's defaults; a template problem is the
// skip reason.
import type { Queryable } from '../../store/db.ts';
import { customerView, type CustomerRow } from '../../customers/view.ts';
import type { Renderer } from '../dispatch/dispatcher.ts';
import type { Channel } from '../types.ts';
import { contextLinks, templateContext, type IntentData } from './context.ts';
import { TemplateRenderError } from './errors.ts';
import { messageLocality } from './locale.ts';
import { channelContent, type ChannelContent } from './outgoing.ts';
import { contentChannel, renderTemplate } from './render.ts';
import { getMessageDefaults } from './settings.ts';
import { getTemplate } from './store.ts';
import { oncePerTransaction } from '../../store/tx-memo.ts';
import { builtInTemplate } from './builtin.ts';
import { withSenderIdentification } from './sender-footer.ts';

/** A channel's links by name (as the dispatcher names them) in the template context's shape. */
const linksOf = (links: Record<string, string>) =>
  contextLinks({ unsubscribe: links.unsubscribe, preferences: links.preferences, viewInBrowser: links.viewInBrowser ?? links.view_in_browser, confirm: links.confirm });

export const templateRenderer: Renderer = {
  async render(db: Queryable, intent, customerRow, channels, links, now) {
    const ws = intent.workspace_id;
    const template = await oncePerTransaction(db, `template\u0000${ws}\u0000${intent.template}`, async () => (await getTemplate(db, ws, intent.template)) ?? builtInTemplate(intent.template));
    if (!template) return { ok: false, error: `No template "${intent.template}" in this workspace: create it, or change the journey's send step.` };
    const defaults = await oncePerTransaction(db, `message-defaults\u0000${ws}`, () => getMessageDefaults(db, ws));
    const customer = customerView(customerRow as unknown as CustomerRow);
    const intentData = intent as unknown as IntentData;
    const trigger = intentData.context?.trigger ?? null;
    const context = templateContext({ customer, intent: intentData, sender: defaults.sender, now });
    const locality = messageLocality(customer, defaults, trigger?.properties);
    const has = (c: Channel) => Object.values(template.content).some((v) => v[contentChannel(c)]);
    const content: Partial<Record<Channel, ChannelContent>> = {};
    const locales: Partial<Record<Channel, string>> = {};
    try {
      for (const channel of channels.filter(has)) {
        const own = typeof links === 'function' ? links(channel) : links;
        const rendered = await renderTemplate(template, channel, { ...context, links: linksOf(own) }, locality);
        // Marketing e-mail always says who sends it.
        if (rendered.email && intent.purpose === 'marketing') rendered.email = withSenderIdentification(rendered.email, defaults.sender);
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
