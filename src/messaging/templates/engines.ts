// The Liquid engines templates render with: one for text fields, one that HTML-escapes output for HTML bodies; both
// know the link tags ({% unsubscribe_url %}, {% preferences_url %}, {% view_in_browser_url %}, {% confirm_url %}).
import { createLiquid, type RetainLiquid } from '../liquid.ts';

/** Link tags and the context value each prints (see context.ts, `links`). */
export const linkTags = {
  unsubscribe_url: 'links.unsubscribe',
  preferences_url: 'links.preferences',
  view_in_browser_url: 'links.view_in_browser',
  confirm_url: 'links.confirm',
};

/** Subject, preheader, SMS, push, Telegram, webhook and the text part: printed as they are. */
export const textLiquid: RetainLiquid = createLiquid({ valueTags: linkTags });

/** HTML bodies: `{{ … }}` is HTML-escaped (a name such as "Tom & Jerry" or "<b>" stays text); `| raw` prints as is. */
export const htmlLiquid: RetainLiquid = createLiquid({ valueTags: linkTags, escapeHtml: true });
