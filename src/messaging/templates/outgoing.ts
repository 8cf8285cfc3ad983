// A rendered template as what a provider sends (types.ts OutgoingMessage): the content of one channel, to one address.
import type { Channel, OutgoingMessage, Purpose } from '../../channels/index.ts';
import { TemplateRenderError } from './errors.ts';
import type { RenderedMessage } from './render.ts';

export type ChannelContent = Omit<OutgoingMessage, 'key' | 'channel' | 'to' | 'purpose'>;

/** The rendered content in OutgoingMessage's shape for `channel` (push and webpush share `push`). */
export function channelContent(rendered: RenderedMessage, channel: Channel): ChannelContent {
  const { email, sms, push, telegram, webhook } = rendered;
  if (channel === 'email' && email)
    return {
      email: {
        subject: email.subject,
        ...(email.preheader ? { preheader: email.preheader } : {}),
        html: email.html,
        text: email.text,
      },
    };
  if (channel === 'sms' && sms) return { sms: { text: sms.text } };
  if ((channel === 'push' || channel === 'webpush') && push) return { push };
  if (channel === 'telegram' && telegram) return { telegram };
  if (channel === 'webhook' && webhook) return { webhook };
  throw new TemplateRenderError('$', `The rendered message has no ${channel} content.`, undefined, undefined, {
    code: 'no_channel_content',
    values: { channel },
  });
}

export function outgoingMessage(
  rendered: RenderedMessage,
  to: { key: string; channel: Channel; to: string; purpose: Purpose },
): OutgoingMessage {
  return { key: to.key, channel: to.channel, to: to.to, purpose: to.purpose, ...channelContent(rendered, to.channel) };
}
