// Telegram Bot API against a local server: sendMessage with URL buttons, a flood-wait 429, a blocked bot, a wrong chat.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TelegramProvider, telegramSettings } from '../../src/channels/telegram.ts';
import type { OutgoingMessage, ProviderResult } from '../../src/channels/types.ts';
import { localServer, type LocalServer } from './servers.ts';

const TOKEN = '123456:ABC-def_ghi';
const message = (chat: string, buttons?: { text: string; url: string }[]): OutgoingMessage => ({
  key: `k-${chat}`,
  channel: 'telegram',
  to: chat,
  purpose: 'marketing',
  telegram: { text: 'Your order has shipped', buttons },
});
const shape = (r: ProviderResult) =>
  r.ok
    ? { ok: true, id: r.providerMessageId }
    : { ok: false, retryable: r.retryable, suppress: r.suppress, retryAfterMs: r.retryAfterMs };
const refuse = (status: number, description: string, parameters?: object) => ({
  status,
  body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) },
});

describe('Telegram Bot API', () => {
  let api: LocalServer;
  let bot: TelegramProvider;
  before(async () => {
    api = await localServer((req) => {
      if (req.url !== `/bot${TOKEN}/sendMessage`) return refuse(404, 'Not Found');
      const chat = String(req.json.chat_id);
      if (chat === '429') return refuse(429, 'Too Many Requests: retry after 17', { retry_after: 17 });
      if (chat === '403') return refuse(403, 'Forbidden: bot was blocked by the user');
      if (chat === '400') return refuse(400, 'Bad Request: chat not found');
      if (chat === '500') return refuse(500, 'Internal Server Error');
      return { body: { ok: true, result: { message_id: 42, chat: { id: Number(chat) } } } };
    });
    bot = new TelegramProvider(telegramSettings.parse({ botToken: TOKEN, baseUrl: api.url, parseMode: 'HTML' }));
  });
  after(() => api.close());

  it('sends the text with one URL button per row; answers the message id', async () => {
    const r = await bot.send(
      message('1001', [
        { text: 'Track it', url: 'https://shop.example/t/1' },
        { text: 'Help', url: 'https://shop.example/help' },
      ]),
    );
    assert.deepEqual(shape(r), { ok: true, id: '42' });
    assert.deepEqual(api.seen.at(-1)!.json, {
      chat_id: '1001',
      text: 'Your order has shipped',
      parse_mode: 'HTML',
      reply_markup: {
        inline_keyboard: [
          [{ text: 'Track it', url: 'https://shop.example/t/1' }],
          [{ text: 'Help', url: 'https://shop.example/help' }],
        ],
      },
    });
  });

  const table: [string, string, ReturnType<typeof shape>][] = [
    [
      '429 flood wait: retry after parameters.retry_after',
      '429',
      { ok: false, retryable: true, suppress: undefined, retryAfterMs: 17_000 },
    ],
    [
      '403 the user blocked the bot: permanent, unsubscribed',
      '403',
      { ok: false, retryable: false, suppress: 'unsubscribed', retryAfterMs: undefined },
    ],
    [
      '400 chat not found: permanent, invalid address',
      '400',
      { ok: false, retryable: false, suppress: 'invalid_address', retryAfterMs: undefined },
    ],
    ['500: retry', '500', { ok: false, retryable: true, suppress: undefined, retryAfterMs: undefined }],
  ];
  for (const [name, chat, expected] of table)
    it(name, async () => assert.deepEqual(shape(await bot.send(message(chat))), expected));

  it('errors say in our words what Telegram meant, never its text nor the bot token', async () => {
    const r = await bot.send(message('403'));
    assert.equal(!r.ok && r.error, 'HTTP 403: Telegram: the user blocked the bot or deleted the chat');
    const down = new TelegramProvider(telegramSettings.parse({ botToken: TOKEN, baseUrl: 'http://127.0.0.1:1' }));
    const r2 = await down.send(message('1'));
    assert.equal(r2.ok, false);
    assert.ok(!r2.ok && r2.retryable && !r2.error.includes(TOKEN));
  });

  it('a mistyped token is refused with what to do', () => {
    const r = telegramSettings.safeParse({ botToken: 'ABC' });
    assert.match(r.error!.issues[0]!.message, /@BotFather/);
  });
});
