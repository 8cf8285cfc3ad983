// Rendering templates for customers: one cart reminder previewed for a Polish and a Russian customer (money, dates in
// their zones, the variant chosen), cart lines from the triggering event, the text part made from MJML, the hidden
// preheader, the link tags, HTML escaping, every channel's content, and errors that name the field, line and column.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { customerView, type CustomerRow } from '../../src/customers/view.ts';
import {
  messageLocality,
  renderTemplate,
  templateContext,
  TemplateRenderError,
  type RenderableTemplate,
} from '../../src/messaging/templates/index.ts';

const NBSP = '\u00a0';
const now = new Date('2026-05-02T10:00:00Z');
const shop = { locale: 'en', timezone: 'Europe/Warsaw', currency: 'PLN' };

function customer(row: Partial<CustomerRow>) {
  return customerView({
    id: 7,
    user_id: 'u7',
    email: 'x@example.com',
    phone: null,
    locale: null,
    timezone: null,
    traits: {},
    first_seen: null,
    last_seen: null,
    first_order_at: null,
    last_order_at: null,
    orders_count: 0,
    purchase_days: 0,
    revenue_total: 0,
    revenue_net: 0,
    scored_at: null,
    ...row,
  });
}
// 21:30 UTC on 30 April: still 30 April in Warsaw (23:30), already 1 May in Moscow (00:30).
const lastOrder = new Date('2026-04-30T21:30:00Z');
const ola = customer({
  locale: 'pl-PL',
  timezone: 'Europe/Warsaw',
  traits: { first_name: 'Ola' },
  last_order_at: lastOrder,
  orders_count: 3,
  revenue_total: '12345.5',
  rfm_segment: 'Champions',
  p_alive: 0.92,
  clv: 1800,
  scored_at: now,
});
const ivan = customer({
  locale: 'ru-RU',
  timezone: 'Europe/Moscow',
  traits: { name: 'Иван Петров' },
  last_order_at: lastOrder,
  orders_count: 3,
  revenue_total: '1234.5',
  rfm_segment: 'At risk',
  p_alive: 0.31,
  clv: 420,
  scored_at: now,
});
const hans = customer({ locale: 'de-AT', timezone: 'Europe/Vienna', traits: { firstName: 'Hans' } });

const cart = (currency: string) => ({
  event: 'Cart Abandoned',
  at: '2026-05-02T08:00:00Z',
  properties: {
    currency,
    cart_url: 'https://shop.example/cart?c=42&utm=mail',
    total: 1234.5,
    products: [
      { name: 'Tulips & roses', quantity: 2, price: 19.99 },
      { name: 'Vase', quantity: 1, price: 1194.52 },
    ],
  },
});
const links = {
  unsubscribe: 'https://retain.example/c/unsubscribe?t=a.b',
  preferences: 'https://retain.example/c/preferences?t=a.b',
  viewInBrowser: 'https://retain.example/v/42',
};

const section = (inner: string) => `<mj-section><mj-column>${inner}</mj-column></mj-section>`;
const reminder: RenderableTemplate = {
  workspaceId: 'ws',
  id: 'cart-reminder',
  updatedAt: '2026-05-01T00:00:00Z',
  defaultLocale: 'en',
  content: {
    en: {
      email: {
        subject: 'Your cart, {{ customer.first_name | default: "friend" }}',
        html: '<p>{{ event.total | money }}</p>',
      },
    },
    pl: {
      email: {
        subject: '{{ customer.first_name }}, Twój koszyk: {{ event.total | money }}',
        preheader: 'Wydałaś u nas {{ aggregates.revenue_total | money: "PLN" }}',
        mjml: `<mjml>
<mj-body>
${section(`<mj-text><h1>Twój koszyk</h1>
<ul>{% for line in event.products %}<li>{{ line.name }} × {{ line.quantity }}: {{ line.price | times: line.quantity | money }}</li>{% endfor %}</ul>
<p>Ostatnie zamówienie: {{ aggregates.last_order_at | local_date: "long" }}</p></mj-text>
<mj-button href="{{ event.cart_url }}">Wróć do koszyka</mj-button>
<mj-text font-size="11px"><a href="{% unsubscribe_url %}">Wypisz się</a> | <a href="{% preferences_url %}">Ustawienia</a> | <a href="{% view_in_browser_url %}">Wersja WWW</a></mj-text>`)}
</mj-body>
</mjml>`,
      },
      sms: { text: '{{ customer.first_name }}, koszyk czeka: {{ event.total | money }}. Kod: {{ coupon }}' },
    },
    ru: {
      email: {
        subject: '{{ customer.first_name }}, ваша корзина: {{ event.total | money }}',
        html: '<p>{% for line in event.products %}{{ line.name }}: {{ line.price | money }}<br>{% endfor %}</p><p>Последний заказ: {{ aggregates.last_order_at | local_date: "long" }}</p>',
        text: 'Корзина: {{ event.products | size }} товара, {{ event.total | money }}',
      },
    },
  },
};

function contextFor(
  c: ReturnType<typeof customer>,
  currency = 'PLN',
  params: Record<string, unknown> = { coupon: 'WIOSNA10' },
) {
  return templateContext({
    customer: c,
    intent: { params, context: { key: 'c42', trigger: cart(currency) } },
    links,
    sender: { name: 'Kwiaciarnia', identification: 'Kwiaciarnia Sp. z o.o., ul. Kwiatowa 1, 00-001 Warszawa' },
    now,
  });
}
const localityFor = (c: ReturnType<typeof customer>, currency = 'PLN') =>
  messageLocality(c, shop, cart(currency).properties);

async function renderError(
  template: RenderableTemplate,
  channel: 'email' | 'sms',
  data: object,
): Promise<TemplateRenderError> {
  const err = await renderTemplate(template, channel, data, localityFor(ola)).then(
    () => assert.fail('rendered instead of failing'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof TemplateRenderError, String(err));
  return err;
}

describe('one cart reminder, a Polish and a Russian customer', () => {
  it('Ola (pl-PL, Warsaw) gets the pl variant: złoty as Poles write them, the date in Warsaw', async () => {
    const r = await renderTemplate(reminder, 'email', contextFor(ola), localityFor(ola));
    assert.deepEqual(
      [r.locale, r.localeSource, r.locality],
      ['pl', 'language', { locale: 'pl-PL', timezone: 'Europe/Warsaw', currency: 'PLN' }],
    );
    assert.equal(r.email!.subject, `Ola, Twój koszyk: 1234,50${NBSP}zł`); // Polish groups thousands only from 10 000
    assert.equal(r.email!.preheader, `Wydałaś u nas 12${NBSP}345,50${NBSP}zł`);
    assert.match(r.email!.text, /Ostatnie zamówienie: 30 kwietnia 2026/);
    assert.match(r.email!.html, /<html lang="pl"/);
  });

  it('Ivan (ru-RU, Moscow) gets the ru variant: roubles, and the same instant already 1 May in Moscow', async () => {
    const r = await renderTemplate(reminder, 'email', contextFor(ivan, 'RUB'), localityFor(ivan, 'RUB'));
    assert.deepEqual(
      [r.locale, r.localeSource, r.locality],
      ['ru', 'language', { locale: 'ru-RU', timezone: 'Europe/Moscow', currency: 'RUB' }],
    );
    assert.equal(r.email!.subject, `Иван, ваша корзина: 1${NBSP}234,50${NBSP}₽`);
    assert.equal(
      r.email!.html,
      `<p>Tulips &amp; roses: 19,99${NBSP}₽<br>Vase: 1${NBSP}194,52${NBSP}₽<br></p><p>Последний заказ: 1 мая 2026 г.</p>`,
    );
    assert.equal(r.email!.text, `Корзина: 2 товара, 1${NBSP}234,50${NBSP}₽`); // the template's own text part
  });

  it('Hans (de-AT) has no variant and no workspace default in German: the workspace default, en', async () => {
    const r = await renderTemplate(reminder, 'email', contextFor(hans), localityFor(hans));
    assert.deepEqual([r.locale, r.localeSource, r.email!.subject], ['en', 'workspace', 'Your cart, Hans']);
    assert.equal(r.email!.html, `<p>PLN${NBSP}1,234.50</p>`); // written as English speakers write złoty
  });

  it('a customer without a locale, in a workspace without a default: the template default', async () => {
    const nobody = customer({});
    const r = await renderTemplate(
      reminder,
      'email',
      contextFor(nobody),
      messageLocality(nobody, { ...shop, locale: null }),
    );
    assert.deepEqual([r.locale, r.localeSource, r.email!.subject], ['en', 'template', 'Your cart, friend']);
  });
});

describe('the e-mail', () => {
  it('renders the cart lines of the triggering event in a loop', async () => {
    const { email } = await renderTemplate(reminder, 'email', contextFor(ola), localityFor(ola));
    assert.match(email!.text, new RegExp(`- Tulips & roses × 2: 39,98${NBSP}zł\n- Vase × 1: 1194,52${NBSP}zł`));
    assert.match(
      email!.html,
      new RegExp(`<li>Tulips &amp; roses × 2: 39,98${NBSP}zł</li><li>Vase × 1: 1194,52${NBSP}zł</li>`),
    );
  });

  it('makes the text part from the HTML: lines, "label (url)", no tags, no preheader', async () => {
    const { email } = await renderTemplate(reminder, 'email', contextFor(ola), localityFor(ola));
    assert.equal(
      email!.text,
      [
        'Twój koszyk',
        '',
        `- Tulips & roses × 2: 39,98${NBSP}zł`,
        `- Vase × 1: 1194,52${NBSP}zł`,
        '',
        'Ostatnie zamówienie: 30 kwietnia 2026',
        '',
        'Wróć do koszyka (https://shop.example/cart?c=42&utm=mail)',
        '',
        `Wypisz się (${links.unsubscribe}) | Ustawienia (${links.preferences}) | Wersja WWW (${links.viewInBrowser})`,
      ].join('\n'),
    );
  });

  it('puts the preheader first in the body, hidden', async () => {
    const { email } = await renderTemplate(reminder, 'email', contextFor(ola), localityFor(ola));
    const body = email!.html.slice(email!.html.search(/<body[^>]*>/));
    assert.match(
      body,
      new RegExp(
        `^<body[^>]*><div style="display:none;[^"]*">Wydałaś u nas 12${NBSP}345,50${NBSP}zł(&#8204;&nbsp;)+</div>`,
      ),
    );
  });

  it('the link tags print the message’s links, escaped in HTML', async () => {
    const { email } = await renderTemplate(reminder, 'email', contextFor(ola), localityFor(ola));
    assert.ok(email!.html.includes(`href="${links.unsubscribe}"`));
    assert.ok(email!.html.includes('href="https://shop.example/cart?c=42&amp;utm=mail"'));
  });

  it('escapes customer data in HTML but not in the subject; | raw prints as is', async () => {
    const t: RenderableTemplate = {
      defaultLocale: 'en',
      content: {
        en: {
          email: {
            subject: '{{ customer.first_name }}',
            html: '<p>{{ customer.first_name }} {{ params.banner | raw }}</p>',
          },
        },
      },
    };
    const tom = customer({ traits: { first_name: 'Tom & <Jerry>' } });
    const { email } = await renderTemplate(
      t,
      'email',
      templateContext({ customer: tom, intent: { params: { banner: '<b>-10%</b>' } }, now }),
      {},
    );
    assert.deepEqual(
      [email!.subject, email!.html, email!.text],
      ['Tom & <Jerry>', '<p>Tom &amp; &lt;Jerry&gt; <b>-10%</b></p>', 'Tom & <Jerry> -10%'],
    );
  });

  it('the sender identification for marketing e-mail', async () => {
    const t: RenderableTemplate = {
      defaultLocale: 'en',
      content: { en: { email: { subject: 'x', html: '<p>{{ sender.identification }}</p>' } } },
    };
    const { email } = await renderTemplate(t, 'email', contextFor(ola), {});
    assert.equal(email!.text, 'Kwiaciarnia Sp. z o.o., ul. Kwiatowa 1, 00-001 Warszawa');
  });
});

describe('other channels', () => {
  const all: RenderableTemplate = {
    defaultLocale: 'en',
    content: {
      en: {
        sms: { text: 'Cart: {{ event.total | money }} STOP: {% unsubscribe_url %}' },
        push: {
          title: '{{ customer.first_name }},\n your cart',
          body: '{{ event.products | size }} items wait',
          url: '{{ event.cart_url }}',
          icon: '',
        },
        telegram: {
          text: '*{{ event.products | size }}* items',
          buttons: [{ text: 'Open {{ event.products.first.name }}', url: '{{ event.cart_url }}' }],
        },
        webhook: {
          body: {
            customer: '{{ customer.user_id }}',
            segment: '{{ scores.rfm_segment }}',
            lines: ['{{ event.products.first.name }}'],
            fixed: 3,
          },
        },
      },
      pl: { email: { subject: 'x', html: 'x' } },
    },
  };
  const cases: [string, 'sms' | 'push' | 'webpush' | 'telegram' | 'webhook', object][] = [
    // the en variant writes złoty as English speakers do; the no-break space Intl puts there makes the SMS UCS-2
    [
      'SMS with its segments and price',
      'sms',
      {
        sms: {
          text: `Cart: PLN${NBSP}1,234.50 STOP: ${links.unsubscribe}`,
          segments: 1,
          encoding: 'UCS-2',
          units: 67,
          nonGsmChars: [NBSP],
          price: 0.07,
        },
      },
    ],
    [
      'push: a one-line title, an empty icon left out',
      'push',
      { push: { title: 'Ola, your cart', body: '2 items wait', url: 'https://shop.example/cart?c=42&utm=mail' } },
    ],
    [
      'web push uses the push content',
      'webpush',
      { push: { title: 'Ola, your cart', body: '2 items wait', url: 'https://shop.example/cart?c=42&utm=mail' } },
    ],
    [
      'Telegram with a button',
      'telegram',
      {
        telegram: {
          text: '*2* items',
          buttons: [{ text: 'Open Tulips & roses', url: 'https://shop.example/cart?c=42&utm=mail' }],
        },
      },
    ],
    [
      'a webhook body, every string rendered',
      'webhook',
      { webhook: { body: { customer: 'u7', segment: 'Champions', lines: ['Tulips & roses'], fixed: 3 } } },
    ],
  ];
  for (const [name, channel, want] of cases) {
    it(name, async () => {
      const {
        locale,
        localeSource,
        locality: _,
        ...content
      } = await renderTemplate(all, channel, contextFor(ola), localityFor(ola), { smsPricePerSegment: 0.07 });
      assert.deepEqual([locale, localeSource], ['en', 'workspace']); // pl has only e-mail: the chain goes on for this channel
      assert.deepEqual(content, want);
    });
  }

  it('a channel no variant has is an error that says what the template has', async () => {
    const err = await renderError(
      { defaultLocale: 'pl', content: { pl: { email: { subject: 'x', html: 'x' } } } },
      'sms',
      contextFor(ola),
    );
    assert.equal(
      err.message,
      '$: The template has no sms content in any locale (it has email): add sms to one of its variants, or send on another channel.',
    );
  });
});

describe('errors name the field, the line and the column', () => {
  it('an unknown variable in the subject', async () => {
    const t: RenderableTemplate = {
      defaultLocale: 'pl',
      content: { pl: { email: { subject: 'Cześć {{ customer.frist_name }}', html: 'x' } } },
    };
    const err = await renderError(t, 'email', contextFor(ola));
    assert.deepEqual([err.path, err.line, err.column], ['$.pl.email.subject', 1, 10]);
    assert.match(err.message, /^\$\.pl\.email\.subject \(line 1, column 10\): Unknown variable "customer.frist_name"/);
  });

  it('an unknown variable deep in an MJML body is placed in the MJML source, not in MJML’s HTML', async () => {
    const t: RenderableTemplate = {
      defaultLocale: 'pl',
      content: {
        pl: {
          email: {
            subject: 'x',
            mjml: `<mjml>\n<mj-body>\n${section('<mj-text>Hi</mj-text>')}\n${section('<mj-text>\n  Punkty: {{ customer.points }}</mj-text>')}\n</mj-body>\n</mjml>`,
          },
        },
      },
    };
    const err = await renderError(t, 'email', contextFor(ola));
    assert.deepEqual([err.path, err.line, err.column], ['$.pl.email.mjml', 5, 14]);
    assert.match(err.problem, /^Unknown variable "customer.points"/);
  });

  it('a missing property of the triggering event, in a loop on line 2 of the SMS', async () => {
    const t: RenderableTemplate = {
      defaultLocale: 'pl',
      content: { pl: { sms: { text: 'Koszyk:\n{% for p in event.products %}{{ p.sku }} {% endfor %}' } } },
    };
    const err = await renderError(t, 'sms', contextFor(ola));
    assert.deepEqual(
      [err.path, err.line, err.column, err.problem.slice(0, 24)],
      ['$.pl.sms.text', 2, 33, 'Unknown variable "p.sku"'],
    );
  });

  it('money of something that is not an amount', async () => {
    const t: RenderableTemplate = {
      defaultLocale: 'pl',
      content: { pl: { sms: { text: '{{ event.products | money }}' } } },
    };
    const err = await renderError(t, 'sms', contextFor(ola));
    assert.deepEqual([err.path, err.line, err.column], ['$.pl.sms.text', 1, 21]);
    assert.match(err.problem, /"money" needs an amount/);
  });

  it('a link tag without its link in the data', async () => {
    const t: RenderableTemplate = {
      defaultLocale: 'pl',
      content: { pl: { sms: { text: 'STOP: {% unsubscribe_url %}' } } },
    };
    const err = await renderError(t, 'sms', templateContext({ customer: ola, now }));
    assert.deepEqual([err.path, err.line, err.column], ['$.pl.sms.text', 1, 7]);
    assert.match(err.problem, /\{% unsubscribe_url %\} prints links.unsubscribe, which is empty for this message/);
  });
});

describe('a broadcast renders fast', () => {
  it('parses and lays out once per template version, then renders many customers', async (t) => {
    const n = 2000;
    const started = performance.now();
    for (let i = 0; i < n; i++)
      await renderTemplate(reminder, 'email', contextFor(i % 2 ? ola : ivan, 'PLN'), localityFor(i % 2 ? ola : ivan));
    const seconds = (performance.now() - started) / 1000;
    t.diagnostic(
      `${Math.round(n / seconds)} e-mails/s rendered (MJML layout, text part), one core, under the test runner (which slows promises)`,
    );
    const edited = {
      ...reminder,
      updatedAt: '2026-05-03T00:00:00Z',
      content: { ...reminder.content, pl: { ...reminder.content.pl, sms: { text: 'Nowa treść' } } },
    };
    assert.equal((await renderTemplate(edited, 'sms', contextFor(ola), localityFor(ola))).sms!.text, 'Nowa treść'); // a new version is compiled anew
  });
});

describe('e-mail HTML loads nothing from third parties', () => {
  it('no web font link or @import (MJML would add Google Fonts: a request from every reader to Google)', async () => {
    const { compileMjml } = await import('../../src/messaging/templates/mjml.ts');
    const r = await compileMjml(
      '<mjml><mj-body><mj-section><mj-column><mj-text font-family="Ubuntu, Helvetica, Arial">Hi</mj-text></mj-column></mj-section></mj-body></mjml>',
      'en',
    );
    assert.ok(r.html, JSON.stringify(r.problems));
    assert.doesNotMatch(r.html, /fonts\.googleapis|@import url/);
  });
});
