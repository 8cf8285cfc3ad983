// Tracking without a database: how an e-mail's HTML is decorated (tracked links, UTM for marketing, our own pages left
// alone, the pixel before </body>), the UTM parameters of a message, and which hits are a machine's.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decorateEmail, type EmailDecoration } from '../../src/messaging/tracking/decorate.ts';
import { utmFor, withUtm } from '../../src/messaging/tracking/utm.ts';
import { machineReason, MACHINE_WINDOW_MS, type Hit } from '../../src/messaging/tracking/machine.ts';
import { signTracking } from '../../src/messaging/tracking/tokens.ts';
import { verifyToken } from '../../src/consent/links.ts';

const UTM = { source: 'retain', medium: 'email', campaign: 'spring', content: 'mail/B' };
const QS = 'utm_source=retain&amp;utm_medium=email&amp;utm_campaign=spring&amp;utm_content=mail%2FB';

/** Tracked links show their target in brackets, so the expected HTML reads plainly. */
const decoration = (utm: EmailDecoration['utm'] = UTM, baseUrl = 'https://retain.test'): EmailDecoration => ({
  baseUrl,
  pixelUrl: `${baseUrl}/t/o/PIXEL`,
  clickUrl: (target) => `${baseUrl}/t/c/[${target}]`,
  utm,
});
const PIXEL =
  '<img src="https://retain.test/t/o/PIXEL" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;margin:0;padding:0" />';

describe('decorateEmail', () => {
  const cases: [string, string, string, EmailDecoration?][] = [
    [
      'a link gets UTM and becomes tracked',
      '<body><a href="https://shop.test/sale">Sale</a></body>',
      `<body><a href="https://retain.test/t/c/[https://shop.test/sale?${QS}]">Sale</a>${PIXEL}</body>`,
    ],
    [
      'its query, fragment and other attributes are kept; &amp; is read as &',
      '<body><a class="btn" href="https://shop.test/p?id=7&amp;c=red#top" target=_blank>P</a></body>',
      `<body><a class="btn" href="https://retain.test/t/c/[https://shop.test/p?id=7&amp;c=red&amp;${QS}#top]" target=_blank>P</a>${PIXEL}</body>`,
    ],
    [
      'UTM parameters the link already has are not changed, the missing ones are added',
      "<body><a href='https://shop.test/?utm_source=news&utm_campaign=may'>N</a></body>",
      `<body><a href="https://retain.test/t/c/[https://shop.test/?utm_source=news&amp;utm_campaign=may&amp;utm_medium=email&amp;utm_content=mail%2FB]">N</a>${PIXEL}</body>`,
    ],
    [
      'transactional (no UTM): tracked as written',
      '<body><a href="https://shop.test/order/9">Your order</a></body>',
      `<body><a href="https://retain.test/t/c/[https://shop.test/order/9]">Your order</a>${PIXEL}</body>`,
      decoration(null),
    ],
    [
      'our unsubscribe, preferences and view-in-browser pages are left alone',
      '<body><a href="https://retain.test/c/unsubscribe?t=abc">U</a><a href="https://retain.test/c/preferences?t=abc">P</a><a href="https://retain.test/c/view?t=abc">V</a></body>',
      `<body><a href="https://retain.test/c/unsubscribe?t=abc">U</a><a href="https://retain.test/c/preferences?t=abc">P</a><a href="https://retain.test/c/view?t=abc">V</a>${PIXEL}</body>`,
    ],
    [
      'mailto:, tel:, anchors, links without href and a tracked link are left alone',
      '<body><a href="mailto:help@shop.test">M</a><a href="tel:+48600">T</a><a href="#top">A</a><a name="x">N</a><a href="https://retain.test/t/c/xyz">C</a></body>',
      `<body><a href="mailto:help@shop.test">M</a><a href="tel:+48600">T</a><a href="#top">A</a><a name="x">N</a><a href="https://retain.test/t/c/xyz">C</a>${PIXEL}</body>`,
    ],
    [
      'only <a> and <area>: a <link> in the head and data-href stay',
      '<head><link href="https://fonts.test/css" rel="stylesheet"></head><body><a data-href="https://x.test/" title="href=no" HREF=https://shop.test/>S</a></body>',
      `<head><link href="https://fonts.test/css" rel="stylesheet"></head><body><a data-href="https://x.test/" title="href=no" HREF="https://retain.test/t/c/[https://shop.test/?${QS}]">S</a>${PIXEL}</body>`,
    ],
    [
      'the pixel goes before the last </body>, whatever its case; without one, at the end',
      '<p>no body</p>',
      `<p>no body</p>${PIXEL}`,
    ],
    [
      'a base URL with a path: its own /c/ pages are under that path',
      '<BODY><a href="https://retain.test/app/c/unsubscribe?t=1">U</a><a href="https://retain.test/c/other">O</a></BODY>',
      '<BODY><a href="https://retain.test/app/c/unsubscribe?t=1">U</a><a href="https://retain.test/app/t/c/[https://retain.test/c/other]">O</a><img src="https://retain.test/app/t/o/PIXEL" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;margin:0;padding:0" /></BODY>',
      decoration(null, 'https://retain.test/app'),
    ],
  ];
  for (const [scenario, html, expected, d] of cases) {
    it(scenario, () => assert.equal(decorateEmail(html, d ?? decoration()), expected));
  }

  it('the real click URL carries the target only inside a signed token', () => {
    const key = Buffer.alloc(32, 7);
    const html = decorateEmail('<a href="https://shop.test/x">x</a>', {
      baseUrl: 'https://retain.test',
      pixelUrl: 'https://retain.test/t/o/p',
      utm: null,
      clickUrl: (u) => `https://retain.test/t/c/${signTracking(key, { k: 'click', ws: 'ws_1', m: '42', u })}`,
    });
    const token = /\/t\/c\/([^"]+)"/.exec(html)![1]!;
    assert.deepEqual(verifyToken(key, token), {
      ok: true,
      payload: { k: 'click', ws: 'ws_1', m: '42', u: 'https://shop.test/x' },
    });
    assert.equal(verifyToken(Buffer.alloc(32, 8), token).ok, false, 'another key does not verify it');
  });
});

describe('UTM parameters', () => {
  const base = { purpose: 'marketing', channel: 'email', journeyId: 'spring', stepId: 'mail', template: 'news' };
  const cases: [string, Parameters<typeof utmFor>[0], ReturnType<typeof utmFor>][] = [
    ['a journey step', base, { source: 'retain', medium: 'email', campaign: 'spring', content: 'mail' }],
    [
      'after an A/B split: the arm follows the step',
      { ...base, arms: { ab: 'B' } },
      { source: 'retain', medium: 'email', campaign: 'spring', content: 'mail/B' },
    ],
    [
      'two splits: arms in split order',
      { ...base, arms: { z: 'Y', a: 'X' } },
      { source: 'retain', medium: 'email', campaign: 'spring', content: 'mail/X+Y' },
    ],
    [
      'no journey: the template is the campaign',
      { ...base, journeyId: null, stepId: null },
      { source: 'retain', medium: 'email', campaign: 'news', content: null },
    ],
    ['transactional: none', { ...base, purpose: 'transactional' }, null],
  ];
  for (const [scenario, source, expected] of cases) it(scenario, () => assert.deepEqual(utmFor(source), expected));

  it('appends to the query as written, before the fragment; a complete set changes nothing', () => {
    const utm = { source: 'retain', medium: 'sms', campaign: 'c', content: null };
    assert.equal(
      withUtm('https://s.test/a?q=a%20b#f', utm),
      'https://s.test/a?q=a%20b&utm_source=retain&utm_medium=sms&utm_campaign=c#f',
    );
    assert.equal(withUtm('https://s.test/?', utm), 'https://s.test/?utm_source=retain&utm_medium=sms&utm_campaign=c');
    const tagged = 'https://s.test/?utm_source=a&utm_medium=b&utm_campaign=c';
    assert.equal(withUtm(tagged, utm), tagged);
  });
});

describe('machine opens and clicks', () => {
  const sentAt = new Date('2026-06-01T10:00:00Z');
  const later = new Date(sentAt.getTime() + 3_600_000);
  const chrome =
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
  const hit = (h: Partial<Hit>): Hit => ({
    method: 'GET',
    ip: '198.51.100.7',
    userAgent: chrome,
    at: later,
    sentAt,
    ...h,
  });
  const cases: [string, Partial<Hit>, ReturnType<typeof machineReason>][] = [
    ['a person, an hour after sending', {}, null],
    [
      "Gmail's image proxy fetches when the person opens",
      { userAgent: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)' },
      null,
    ],
    ['Apple Mail Privacy Protection: from Apple’s network', { ip: '17.58.101.23' }, 'apple_privacy_proxy'],
    ['… over IPv6', { ip: '2620:149:a:b::1' }, 'apple_privacy_proxy'],
    ['… as an IPv4-mapped address', { ip: '::ffff:17.1.2.3' }, 'apple_privacy_proxy'],
    ['… by its bare user agent, from anywhere', { userAgent: 'Mozilla/5.0' }, 'apple_privacy_proxy'],
    ['a HEAD request (link checker)', { method: 'HEAD' }, 'head_request'],
    ['a security gateway', { userAgent: 'Barracuda Sentinel (EE)' }, 'scanner_user_agent'],
    ['an HTTP library', { userAgent: 'python-requests/2.31' }, 'scanner_user_agent'],
    ['a declared bot', { userAgent: 'Mozilla/5.0 (compatible; LinkCheckBot/1.0)' }, 'scanner_user_agent'],
    ['no user agent at all', { userAgent: null }, 'scanner_user_agent'],
    [
      'a browser within seconds of sending (scanner on delivery)',
      { at: new Date(sentAt.getTime() + 2_000) },
      'too_soon',
    ],
    ['a browser just after the window', { at: new Date(sentAt.getTime() + MACHINE_WINDOW_MS) }, null],
  ];
  for (const [scenario, h, expected] of cases) it(scenario, () => assert.equal(machineReason(hit(h)), expected));
});
