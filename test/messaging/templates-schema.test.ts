// Checking a template before it is saved: the shape, the locales, one e-mail body, every Liquid field and every MJML
// body; each problem names its path in the content, and its line and column where it has one, and all are reported.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { templateProblems } from '../../src/messaging/templates/schema.ts';
import type { TemplateProblem } from '../../src/messaging/templates/errors.ts';

const mjml = (body: string) => `<mjml>\n<mj-body>\n${body}\n</mj-body>\n</mjml>`;
const section = (inner: string) => `<mj-section><mj-column>${inner}</mj-column></mj-section>`;
const good = {
  pl: {
    email: {
      subject: 'Cześć {{ customer.first_name | default: "" }}',
      preheader: 'Koszyk',
      mjml: mjml(section('<mj-text>{% for p in event.products %}{{ p.name }}{% endfor %}</mj-text>')),
    },
    sms: { text: 'Koszyk: {{ event.total | money }}' },
    push: { title: 'Koszyk', body: '{{ event.products | size }} produkty', url: '{{ event.cart_url }}' },
    telegram: { text: 'Koszyk', buttons: [{ text: 'Otwórz', url: '{{ event.cart_url }}' }] },
    webhook: {
      body: { customer: '{{ customer.id }}', items: [{ name: '{{ event.products.first.name }}' }], count: 1 },
    },
  },
  en: {
    email: {
      subject: 'Hi',
      html: '<p>Hi {{ customer.first_name }}</p><a href="{% unsubscribe_url %}">Unsubscribe</a>',
      text: 'Hi',
    },
  },
};

/** [path, line, column] of each problem, and the messages. */
const places = (ps: TemplateProblem[]) => ps.map((p) => [p.path, p.line ?? null, p.column ?? null]);

describe('template problems', () => {
  it('a good template has none', async () => assert.deepEqual(await templateProblems('pl', good), []));

  const cases: [string, unknown, string, [string, number | null, number | null][], RegExp][] = [
    [
      'an unclosed output in the subject',
      { pl: { email: { subject: 'Hi {{ customer.first_name', html: 'x' } } },
      'pl',
      [['$.pl.email.subject', 1, 4]],
      /The output \{\{ customer.first_name is never closed: add \}\}/,
    ],
    [
      'an unknown filter in the SMS, on line 2',
      { pl: { sms: { text: 'Hi\nTotal: {{ event.total | mony }}' } } },
      'pl',
      [['$.pl.sms.text', 2, 8]],
      /Unknown filter "mony" \(did you mean "money"\?\)/,
    ],
    [
      'an unclosed for in an MJML body',
      {
        pl: {
          email: { subject: 'x', mjml: mjml(section('<mj-text>{% for p in event.products %}{{ p.name }}</mj-text>')) },
        },
      },
      'pl',
      [['$.pl.email.mjml', 3, 33]],
      /The tag \{% for p in event.products %\} is never closed: add \{% endfor %\}/,
    ],
    [
      'an MJML element where MJML does not allow it',
      { pl: { email: { subject: 'x', mjml: mjml('<mj-section>\n<mj-text>Hi</mj-text>\n</mj-section>') } } },
      'pl',
      [['$.pl.email.mjml', 4, null]],
      /mj-text cannot be used inside mj-section, only inside: .*mj-column/,
    ],
    [
      'an MJML attribute MJML checks before Liquid runs',
      { pl: { email: { subject: 'x', mjml: mjml(section('<mj-text color="{{ params.brand }}">Hi</mj-text>')) } } },
      'pl',
      [['$.pl.email.mjml', 3, null]],
      /Attribute color has invalid value: \{\{ params.brand \}\}.*needs a literal value here/,
    ],
    [
      'Liquid between MJML sections, which MJML would drop',
      {
        pl: {
          email: {
            subject: 'x',
            mjml: mjml(`{% for p in event.products %}\n${section('<mj-text>{{ p.name }}</mj-text>')}\n{% endfor %}`),
          },
        },
      },
      'pl',
      [['$.pl.email.mjml', 3, 1]],
      /MJML drops \{% for p in event.products %\} because it is outside any MJML element: wrap it in <mj-raw>/,
    ],
    [
      'an MJML include (it would read the server’s files)',
      { pl: { email: { subject: 'x', mjml: mjml('<mj-include path="/etc/passwd" />') } } },
      'pl',
      [['$.pl.email.mjml', 3, 1]],
      /<mj-include> would read a file on the server: paste the content here instead/,
    ],
    [
      'not MJML at all',
      { pl: { email: { subject: 'x', mjml: '<p>Hi</p>' } } },
      'pl',
      [['$.pl.email.mjml', 1, 1]],
      /^An MJML body is <mjml><mj-body>…<\/mj-body><\/mjml>: write MJML, or put HTML in "html" instead\.$/,
    ],
    [
      'both bodies',
      { pl: { email: { subject: 'x', html: 'a', mjml: mjml(section('<mj-text>b</mj-text>')) } } },
      'pl',
      [['$.pl.email', null, null]],
      /exactly one body: mjml .* or html/,
    ],
    ['no body', { pl: { email: { subject: 'x' } } }, 'pl', [['$.pl.email', null, null]], /exactly one body/],
    [
      'a misspelt field',
      { pl: { email: { subjet: 'x', html: 'a' } } },
      'pl',
      [
        ['$.pl.email.subject', null, null],
        ['$.pl.email', null, null],
      ],
      /^the subject is missing: add it$/,
    ],
    [
      'an empty SMS',
      { pl: { sms: { text: '' } } },
      'pl',
      [['$.pl.sms.text', null, null]],
      /the SMS text is empty: write it, or leave the field out/,
    ],
    ['a channel we do not have', { pl: { fax: { text: 'x' } } }, 'pl', [['$.pl', null, null]], /fax/],
    [
      'a locale written as shops do',
      { pl_PL: { sms: { text: 'x' } } },
      'pl_PL',
      [['$.pl_PL', null, null]],
      /^Write the locale as pl-PL\.$/,
    ],
    [
      'a locale that is not one',
      { 'polski!': { sms: { text: 'x' } } },
      'polski!',
      [['$["polski!"]', null, null]],
      /"polski!" is not a locale: use a BCP 47 tag/,
    ],
    [
      'a default locale the template lacks',
      { pl: { sms: { text: 'x' } } },
      'en',
      [['$.defaultLocale', null, null]],
      /"en" is not one of the template's locales \(pl\)/,
    ],
    [
      'a variant without content',
      { pl: {} },
      'pl',
      [['$.pl', null, null]],
      /The pl variant has no content: add one of email, sms, push, telegram, webhook/,
    ],
    [
      'Liquid deep in a webhook body',
      { pl: { webhook: { body: { items: [{ name: '{{ p.name | nope }}' }] } } } },
      'pl',
      [['$.pl.webhook.body.items[0].name', 1, 1]],
      /Unknown filter "nope"/,
    ],
    [
      'Liquid in a Telegram button',
      { pl: { telegram: { text: 'x', buttons: [{ text: 'Go', url: '{% if x %}' }] } } },
      'pl',
      [['$.pl.telegram.buttons[0].url', 1, 1]],
      /never closed: add \{% endif %\}/,
    ],
    [
      'a link tag with an argument',
      { pl: { sms: { text: 'Stop: {% unsubscribe_url sms %}' } } },
      'pl',
      [['$.pl.sms.text', 1, 7]],
      /\{% unsubscribe_url %\} takes no arguments/,
    ],
  ];
  for (const [name, content, defaultLocale, where, message] of cases) {
    it(name, async () => {
      const problems = await templateProblems(defaultLocale, content);
      assert.deepEqual(places(problems), where, JSON.stringify(problems));
      assert.match(problems[0]!.message, message);
    });
  }

  it('reports every problem at once, in every locale and channel', async () => {
    const content = {
      pl: { email: { subject: '{{ a', html: '{% if %}' }, sms: { text: '{{ b | nope }}' } },
      ru: { push: { title: 'x', body: '{% endfor %}' } },
    };
    const problems = await templateProblems('de', content);
    assert.deepEqual(
      places(problems).map(([path]) => path),
      ['$.defaultLocale', '$.pl.email.subject', '$.pl.email.html', '$.pl.sms.text', '$.ru.push.body'],
    );
  });
});
