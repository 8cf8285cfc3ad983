// The pure pieces behind consent: signed link tokens, SMS keywords, form bodies, and folding a trail into the state.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkUrl, signToken, unverifiedPayload, verifyToken } from '../../src/consent/links.ts';
import { smsKeyword } from '../../src/consent/keywords.ts';
import { parseMultipart, parseUrlEncoded } from '../../src/consent/forms.ts';
import { foldConsents } from '../../src/consent/state.ts';
import { escapeHtml, preferencesPage } from '../../src/consent/pages.ts';
import type { ConsentRecord } from '../../src/consent/types.ts';

const SECRET = 'a test secret of enough length';
const NOW = new Date('2026-05-01T12:00:00Z');

describe('signed link tokens', () => {
  const token = signToken(
    SECRET,
    { k: 'unsubscribe', ws: 'w1', c: '42', ch: 'email' },
    { expiresAt: new Date('2026-05-02T12:00:00Z') },
  );

  const cases: [string, () => unknown, unknown][] = [
    [
      'a genuine token gives its payload back',
      () => verifyToken(SECRET, token, NOW),
      { ok: true, payload: { k: 'unsubscribe', ws: 'w1', c: '42', ch: 'email', exp: 1777723200 } },
    ],
    [
      'another secret does not verify it',
      () => verifyToken('another secret', token, NOW),
      { ok: false, reason: 'bad_signature' },
    ],
    [
      'a payload changed to another customer does not verify',
      () => {
        const forged = Buffer.from(
          JSON.stringify({ k: 'unsubscribe', ws: 'w1', c: '43', ch: 'email', exp: 1777723200 }),
        ).toString('base64url');
        return verifyToken(SECRET, `${forged}.${token.split('.')[1]}`, NOW);
      },
      { ok: false, reason: 'bad_signature' },
    ],
    [
      'at its expiry it stops',
      () => verifyToken(SECRET, token, new Date('2026-05-02T12:00:00Z')),
      { ok: false, reason: 'expired' },
    ],
    [
      'without expiry it lasts',
      () => verifyToken(SECRET, signToken(SECRET, { a: 1 }), new Date('2099-01-01')),
      { ok: true, payload: { a: 1 } },
    ],
    ['garbage is malformed', () => verifyToken(SECRET, 'not-a-token', NOW), { ok: false, reason: 'malformed' }],
    ['three parts are malformed', () => verifyToken(SECRET, `${token}.x`, NOW), { ok: false, reason: 'malformed' }],
    [
      'a truncated signature is malformed',
      () => verifyToken(SECRET, token.slice(0, -1), NOW),
      { ok: false, reason: 'malformed' },
    ],
  ];
  for (const [what, run, expected] of cases) it(what, () => assert.deepEqual(run(), expected));

  it('the unverified payload names the workspace (to find its key) and nothing else is trusted', () => {
    assert.equal(unverifiedPayload(token)?.ws, 'w1');
    assert.equal(unverifiedPayload('%%%'), null);
  });

  it('links point only at our own fixed paths on the configured base URL', () => {
    assert.equal(
      linkUrl('https://retain.example.com', 'unsubscribe', 'abc.def'),
      'https://retain.example.com/c/unsubscribe?t=abc.def',
    );
    assert.equal(
      linkUrl('https://example.com/retain/', 'preferences', 'x'),
      'https://example.com/retain/c/preferences?t=x',
    );
    assert.equal(
      linkUrl('https://example.com/?next=https://evil.example', 'confirm', 'x'),
      'https://example.com/c/confirm?t=x',
    );
    assert.throws(() => linkUrl('javascript:alert(1)', 'confirm', 'x'), /http\(s\)/);
  });
});

describe('inbound SMS keywords', () => {
  const rows: [string, 'stop' | 'start' | null][] = [
    ['STOP', 'stop'],
    ['stop', 'stop'],
    ['  Stop. ', 'stop'],
    ['STOPALL', 'stop'],
    ['unsubscribe', 'stop'],
    ['CANCEL', 'stop'],
    ['end', 'stop'],
    ['QUIT!', 'stop'],
    ['СТОП', 'stop'],
    ['стоп', 'stop'],
    ['Отписка', 'stop'],
    ['START', 'start'],
    ['unstop', 'start'],
    ['старт', 'start'],
    ['please stop sending', null],
    ['stopper', null],
    ['', null],
    ['Thanks!', null],
  ];
  for (const [text, expected] of rows)
    it(`${JSON.stringify(text)} → ${expected}`, () => assert.equal(smsKeyword(text), expected));
});

describe('form bodies', () => {
  it('url-encoded: one value is a string, repeated ones (checkboxes) a list', () => {
    assert.deepEqual(parseUrlEncoded('List-Unsubscribe=One-Click'), { 'List-Unsubscribe': 'One-Click' });
    assert.deepEqual(parseUrlEncoded('channel=email&channel=sms&topic=news&save=1'), {
      channel: ['email', 'sms'],
      topic: 'news',
      save: '1',
    });
  });

  it('multipart: the text fields, files ignored', () => {
    const body =
      '--XyZ\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n' +
      '--XyZ\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfile\r\n--XyZ--\r\n';
    assert.deepEqual(parseMultipart(body, 'multipart/form-data; boundary=XyZ'), { 'List-Unsubscribe': 'One-Click' });
    assert.deepEqual(parseMultipart(body, 'multipart/form-data'), {});
  });
});

describe('consent state from a trail', () => {
  const rec = (at: string, granted: boolean, extra: Partial<ConsentRecord> = {}): ConsentRecord => ({
    channel: 'email',
    purpose: 'marketing',
    topic: '',
    granted,
    source: 'api',
    ip: null,
    textVersion: null,
    at: new Date(at),
    confirmedAt: null,
    ...extra,
  });
  const fold = (...records: ConsentRecord[]) =>
    foldConsents(records).map(
      (s) =>
        `${s.channel}/${s.purpose}/${s.topic || '-'} ${s.granted ? 'granted' : 'revoked'}${s.confirmed ? ' confirmed' : ''}`,
    );

  const rows: [string, ConsentRecord[], string[]][] = [
    [
      'the latest record wins, whatever the order given',
      [rec('2026-02-01', false), rec('2026-01-01', true)],
      ['email/marketing/- revoked'],
    ],
    [
      'a confirmed grant is confirmed',
      [rec('2026-01-01', true, { confirmedAt: new Date('2026-01-01') })],
      ['email/marketing/- granted confirmed'],
    ],
    [
      'a plain re-grant keeps the confirmation',
      [rec('2026-01-01', true, { confirmedAt: new Date('2026-01-01') }), rec('2026-02-01', true)],
      ['email/marketing/- granted confirmed'],
    ],
    [
      'a revocation clears it',
      [
        rec('2026-01-01', true, { confirmedAt: new Date('2026-01-01') }),
        rec('2026-02-01', false),
        rec('2026-03-01', true),
      ],
      ['email/marketing/- granted'],
    ],
    [
      'channels, purposes and topics are separate',
      [
        rec('2026-01-01', true),
        rec('2026-01-01', false, { channel: 'sms' }),
        rec('2026-01-01', true, { channel: '*', topic: 'news' }),
      ],
      ['*/marketing/news granted', 'email/marketing/- granted', 'sms/marketing/- revoked'],
    ],
  ];
  for (const [what, records, expected] of rows) it(what, () => assert.deepEqual(fold(...records), expected));
});

describe('consent pages', () => {
  it('escape every value they show', () => {
    assert.equal(
      escapeHtml(`<script>"x"&'y'</script>`),
      '&#60;script&#62;&#34;x&#34;&#38;&#39;y&#39;&#60;/script&#62;',
    );
    const html = preferencesPage(
      't"><x',
      { channels: [], topics: [{ id: 'a"b', name: '<b>News</b>', description: null, checked: true }] },
      false,
      'Shop <Ltd>',
    );
    assert.equal(html.includes('<b>News</b>'), false);
    assert.equal(html.includes('t"><x'), false);
    assert.match(html, /action="\/c\/preferences\?t=t%22%3E%3Cx"/);
  });
});
