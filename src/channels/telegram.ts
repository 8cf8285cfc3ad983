// Telegram Bot API: sendMessage to a chat id, with the message's links as inline URL buttons.
import { z } from 'zod';
import type { Channel, OutgoingMessage, Provider, ProviderResult } from './types.ts';
import { httpUrl, text, timeoutMs } from './fields.ts';
import { failureOf, httpCall, isFailure, isSuccess } from './http.ts';

export const telegramSettings = z.strictObject({
  botToken: text('the bot token @BotFather gave you, e.g. 123456:ABC-DEF…').refine(
    (v) => /^\d+:[\w-]+$/.test(v),
    'does not look like a bot token (digits, a colon, then letters): copy it again from @BotFather',
  ),
  parseMode: z
    .enum(['HTML', 'MarkdownV2'], { error: 'must be "HTML" or "MarkdownV2", or left out for plain text' })
    .optional(),
  disableLinkPreview: z.boolean({ error: 'must be true or false' }).default(false),
  baseUrl: httpUrl('the Bot API address').default('https://api.telegram.org'),
  timeoutMs,
});
export type TelegramSettings = z.infer<typeof telegramSettings>;

export class TelegramProvider implements Provider {
  readonly name = 'telegram';
  readonly channel: Channel = 'telegram';

  constructor(private readonly settings: TelegramSettings) {}

  async send(message: OutgoingMessage): Promise<ProviderResult> {
    const t = message.telegram;
    if (!t) return { ok: false, retryable: false, error: 'the message has no Telegram text to send' };
    const s = this.settings;
    const body = {
      chat_id: message.to,
      text: t.text,
      ...(s.parseMode ? { parse_mode: s.parseMode } : {}),
      ...(s.disableLinkPreview ? { link_preview_options: { is_disabled: true } } : {}),
      ...(t.buttons?.length
        ? { reply_markup: { inline_keyboard: t.buttons.map((b) => [{ text: b.text, url: b.url }]) } }
        : {}),
    };
    // The token is part of the URL: it never goes into an error message.
    const answer = await httpCall(`${s.baseUrl.replace(/\/$/, '')}/bot${s.botToken}/sendMessage`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      timeoutMs: s.timeoutMs,
    });
    if (isFailure(answer)) return answer;
    if (isSuccess(answer) && answer.json?.ok)
      return { ok: true, providerMessageId: String(answer.json.result?.message_id) };
    // Telegram's description is read, not repeated: the error says in our words what it means.
    const description = String(answer.json?.description ?? '');
    const retryAfter = Number(answer.json?.parameters?.retry_after);
    if (answer.status === 403)
      return failureOf(answer, {
        detail: 'Telegram: the user blocked the bot or deleted the chat',
        suppress: 'unsubscribed',
      });
    if (answer.status === 400 && /chat not found/i.test(description))
      return failureOf(answer, { detail: 'Telegram: there is no chat with this id', suppress: 'invalid_address' });
    return failureOf(answer, {
      ...(answer.status === 401 ? { detail: 'Telegram refused the bot token' } : {}),
      ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    });
  }
}
