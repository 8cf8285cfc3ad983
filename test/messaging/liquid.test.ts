// Our Liquid layer: money and dates as each customer reads them, strict variables and filters, filter-argument checks,
// partials from memory only, and errors that name the problem, its place and the fix.
// (Expected texts come from Node's ICU data: Polish groups thousands only from 10 000, and the separators are no-break spaces.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLiquid, TemplateError, type Locality } from '../../src/messaging/liquid.ts';

const liquid = createLiquid();
const warsaw: Partial<Locality> = { locale: 'pl-PL', timezone: 'Europe/Warsaw', currency: 'PLN' };
const moscow: Partial<Locality> = { locale: 'ru-RU', timezone: 'Europe/Moscow', currency: 'RUB' };
const newYork: Partial<Locality> = { locale: 'en-US', timezone: 'America/New_York', currency: 'USD' };

/** The TemplateError that rendering throws. */
async function renderError(source: string, data: object = {}, engine = liquid): Promise<TemplateError> {
  const err = await engine.render(source, data).then(
    (out) => assert.fail(`rendered ${JSON.stringify(out)} instead of failing`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof TemplateError, `not a TemplateError: ${err}`);
  return err;
}

describe('money', () => {
  const cases: [string, Partial<Locality>, string, object, string][] = [
    ['złoty in Polish (no grouping below 10 000)', warsaw, '{{ total | money }}', { total: 1234.5 }, '1234,50\u00a0zł'],
    ['złoty in Polish, grouped', warsaw, '{{ total | money }}', { total: 12345.5 }, '12\u00a0345,50\u00a0zł'],
    ['roubles in Russian', moscow, '{{ total | money }}', { total: 1234.5 }, '1\u00a0234,50\u00a0₽'],
    ['dollars in American English', newYork, '{{ total | money }}', { total: 1234.5 }, '$1,234.50'],
    ['the template names the currency', newYork, '{{ total | money: "EUR" }}', { total: 1234.5 }, '€1,234.50'],
    ['euros in Polish', warsaw, '{{ total | money: "EUR" }}', { total: 1234.5 }, '1234,50\u00a0€'],
    ['an amount given as text', newYork, '{{ total | money }}', { total: '19.9' }, '$19.90'],
    ['a refund', newYork, '{{ total | money }}', { total: -5 }, '-$5.00'],
    ['computed in the template', warsaw, '{{ price | times: 3 | money }}', { price: 19.99 }, '59,97\u00a0zł'],
  ];
  for (const [name, customer, source, data, want] of cases) {
    it(name, async () => assert.equal(await liquid.render(source, data, customer), want));
  }

  const mistakes: [string, string, object, RegExp][] = [
    ['a word for an amount', '{{ total | money }}', { total: 'abc' }, /"money" needs an amount .* got "abc"/],
    [
      'an empty amount',
      '{{ total | money }}',
      { total: null },
      /"money" needs an amount .* got null: check the variable, or guard it with \{% if … %\}/,
    ],
    [
      'a currency that is not a code',
      '{{ total | money: "EURO" }}',
      { total: 5 },
      /"EURO" is not a currency code: use a three-letter ISO 4217 code/,
    ],
  ];
  for (const [name, source, data, message] of mistakes) {
    it(`refuses ${name}, at the filter`, async () => {
      const err = await renderError(source, data);
      assert.match(err.message, message);
      assert.deepEqual([err.line, err.column], [1, source.indexOf('money') + 1]);
    });
  }
});

describe('dates in the customer’s zone and language', () => {
  const cases: [string, Partial<Locality>, string, object, string][] = [
    [
      'long date in Polish',
      warsaw,
      '{{ due | local_date: "long" }}',
      { due: '2026-11-24T10:00:00Z' },
      '24 listopada 2026',
    ],
    [
      'long date in Russian',
      moscow,
      '{{ due | local_date: "long" }}',
      { due: '2026-11-24T10:00:00Z' },
      '24 ноября 2026 г.',
    ],
    [
      'short and the default (medium) in Polish',
      warsaw,
      '{{ due | local_date: "short" }} / {{ due | local_date }}',
      { due: '2026-11-24T10:00:00Z' },
      '24.11.2026 / 24 lis 2026',
    ],
    [
      'full date with the weekday',
      warsaw,
      '{{ due | local_date: "full" }}',
      { due: '2026-11-24T10:00:00Z' },
      'wtorek, 24 listopada 2026',
    ],
    [
      '3:00 UTC is still the day before in New York',
      newYork,
      '{{ due | local_date: "long" }}',
      { due: '2026-11-24T03:00:00Z' },
      'November 23, 2026',
    ],
    [
      'a date without a time is that calendar day everywhere',
      { ...newYork, timezone: 'America/Los_Angeles' },
      '{{ birthday | local_date: "long" }}',
      { birthday: '1990-05-17' },
      'May 17, 1990',
    ],
    [
      'a luxon format (MMMM: the month as in a date)',
      warsaw,
      '{{ visit | local_date: "d MMMM yyyy, HH:mm" }}',
      { visit: '2026-11-24T10:00:00Z' },
      '24 listopada 2026, 11:00',
    ],
    [
      'the time in the locale’s clock',
      newYork,
      '{{ visit | local_date: "time" }}',
      { visit: '2026-11-24T23:30:00Z' },
      '6:30 PM',
    ],
    [
      'across the spring DST change in Warsaw',
      warsaw,
      '{{ a | local_date: "HH:mm" }} {{ b | local_date: "HH:mm" }}',
      { a: '2026-03-29T00:30:00Z', b: '2026-03-29T01:30:00Z' },
      '01:30 03:30',
    ],
    [
      'a Date object',
      { locale: 'de-DE', timezone: 'Europe/Berlin' },
      '{{ due | local_date: "long" }}',
      { due: new Date('2026-11-24T23:30:00Z') },
      '25. November 2026',
    ],
    [
      'the standard date filter uses the customer’s zone too',
      newYork,
      '{{ due | date: "%Y-%m-%d %H:%M" }}',
      { due: '2026-11-24T03:00:00Z' },
      '2026-11-23 22:00',
    ],
    [
      '… and reads a day without a time in it',
      newYork,
      '{{ birthday | date: "%d.%m.%Y" }}',
      { birthday: '1990-05-17' },
      '17.05.1990',
    ],
  ];
  for (const [name, customer, source, data, want] of cases) {
    it(name, async () => assert.equal(await liquid.render(source, data, customer), want));
  }

  it('refuses a date it cannot read, and shows the form it needs', async () => {
    const err = await renderError('{{ due | local_date }}', { due: '24/11/2026' });
    assert.match(err.message, /"local_date" needs an ISO 8601 date such as 2026-11-24 .* got "24\/11\/2026"/);
  });
});

describe('one parsed template, many customers', () => {
  it('renders each customer in their own language, zone and currency', async () => {
    const template = liquid.parse('{{ total | money }}, {{ due | local_date: "long" }}');
    const data = { total: 99, due: '2026-11-24T22:30:00Z' };
    const got = await Promise.all(
      [warsaw, moscow, newYork, {}].map((customer) => liquid.render(template, data, customer)),
    );
    assert.deepEqual(got, [
      '99,00\u00a0zł, 24 listopada 2026',
      '99,00\u00a0₽, 25 ноября 2026 г.',
      '$99.00, November 24, 2026',
      '$99.00, November 24, 2026',
    ]);
  });

  it('takes the workspace defaults from createLiquid', async () => {
    const shop = createLiquid(warsaw);
    assert.equal(
      await shop.render('{{ 10 | money }} {{ "2026-11-24" | local_date: "long" }}', {}),
      '10,00\u00a0zł 24 listopada 2026',
    );
    assert.equal(await shop.render('{{ 10 | money }}', {}, { currency: 'EUR' }), '10,00\u00a0€');
  });

  it('refuses a locale, zone or currency that does not exist, and says what to use', () => {
    const cases: [Partial<Locality>, RegExp][] = [
      [{ timezone: 'Mars/Olympus' }, /"Mars\/Olympus" is not a time zone: use an IANA name such as Europe\/Warsaw/],
      [{ locale: 'pl_PL!' }, /"pl_PL!" is not a locale: use a BCP 47 tag such as pl-PL/],
      [{ currency: 'zł' }, /"zł" is not a currency code: use a three-letter ISO 4217 code/],
    ];
    for (const [bad, message] of cases) assert.throws(() => createLiquid(bad), message);
  });
});

describe('strict variables and filters', () => {
  it('an undefined variable is an error that names it, at its place', async () => {
    const err = await renderError('Hi {{ customer.first_name }},\nyour code: {{ customer.cuopon }}', {
      customer: { first_name: 'Ola' },
    });
    assert.match(err.message, /^Unknown variable "customer.cuopon": .* guard it with \{% if customer.cuopon %\}/);
    assert.deepEqual([err.line, err.column], [2, 15]);
  });

  it('a missing variable is fine where the template asks for it: if, unless and default', async () => {
    const source =
      '{% if customer.phone %}call{% else %}write{% endif %}, {% unless customer.vip %}join{% endunless %}, {{ customer.nick | default: "friend" }}';
    assert.equal(await liquid.render(source, { customer: {} }), 'write, join, friend');
  });

  it('standard Liquid’s lenient variables, on request', async () => {
    assert.equal(await createLiquid({ strictVariables: false }).render('[{{ nobody.name }}]', {}), '[]');
  });

  it('an unknown filter is an error that suggests the near names', async () => {
    const err = await renderError('{{ name | upcasee }}', { name: 'x' });
    assert.equal(
      err.message,
      'Unknown filter "upcasee" (did you mean "upcase"?): check its name in the list of filters.',
    );
  });

  it('the template cannot reach JavaScript internals of the data', async () => {
    await renderError('{{ customer.constructor.name }}', { customer: {} });
  });
});

describe('filter arguments', () => {
  const cases: [string, string, RegExp, number][] = [
    [
      'too many',
      '{{ name | truncate: 5, "…", "x" }}',
      /"truncate" takes at most 2 arguments, but was given 3: remove the extra ones/,
      11,
    ],
    [
      'too few',
      'Items: {{ list | split }}',
      /"split" takes 1 argument, but was given 0: add the missing ones after a colon, e\.g\. \{\{ … \| split: … \}\}/,
      18,
    ],
    ['none expected', '{{ name | upcase: 1 }}', /"upcase" takes no arguments, but was given 1/, 11],
    ['one or two', '{{ name | slice }}', /"slice" takes 1 or 2 arguments, but was given 0/, 11],
    [
      'our own filters too',
      '{{ total | money: "PLN", "pl-PL" }}',
      /"money" takes at most 1 argument, but was given 2/,
      12,
    ],
    ['inside a tag', '{% assign n = count | plus %}', /"plus" takes 1 argument, but was given 0/, 23],
  ];
  for (const [name, source, message, column] of cases) {
    it(`${name}: validate finds it without rendering`, () => {
      const err = liquid.validate(source);
      assert.ok(err instanceof TemplateError);
      assert.match(err.message, message);
      assert.deepEqual([err.line, err.column], [1, column]);
    });
  }

  it('keyword arguments do not count', async () => {
    assert.equal(await liquid.render('{{ flag | default: "yes", allow_false: true }}', { flag: false }), 'false');
  });
});

describe('no NaN or Infinity in a message', () => {
  const cases: [string, string, object][] = [
    ['a division by zero', '{{ total | divided_by: count }}', { total: 10, count: 0 }],
    ['a modulo by a word', '{{ 10 | modulo: "x" }}', {}],
  ];
  for (const [name, source, data] of cases) {
    it(name, async () =>
      assert.match((await renderError(source, data)).message, /gave (Infinity|NaN): check for a division by zero/),
    );
  }
});

describe('validate', () => {
  const cases: [string, string, RegExp | null, [number, number]?][] = [
    ['a good template', 'Hi {{ name | capitalize }}{% if vip %}, VIP{% endif %}', null],
    [
      'an unclosed block says which end tag to add',
      'Hi\n{% for item in cart.items %}{{ item.title }}',
      /^The tag \{% for item in cart.items %\} is never closed: add \{% endfor %\}/,
      [2, 1],
    ],
    ['an unknown tag', '{% iff vip %}VIP{% endif %}', /^Unknown tag "iff"/, [1, 1]],
    ['an unclosed output', 'Hi {{ name', /^The output \{\{ name is never closed: add \}\} where it ends\.$/, [1, 4]],
    [
      'doc with arguments',
      '{% doc cart %}…{% enddoc %}',
      /^\{% doc %\} takes no arguments: put the text between/,
      [1, 1],
    ],
  ];
  for (const [name, source, message, place] of cases) {
    it(name, () => {
      const err = liquid.validate(source);
      if (!message) return assert.equal(err, null);
      assert.ok(err instanceof TemplateError, `no error for ${JSON.stringify(source)}`);
      assert.match(err.message, message);
      assert.deepEqual([err.line, err.column], place);
    });
  }
});

describe('partials', () => {
  const shop = createLiquid({
    partials: {
      footer: '— {{ shop }}, reply STOP to opt out',
      product: '{{ product.title }} ({{ forloop.index }}/{{ forloop.length }}) ',
      broken: 'line one\n{{ price | plus: 1, 2 }}',
    },
  });

  it('render a partial with its own arguments', async () => {
    assert.equal(
      await shop.render("Bye{% render 'footer', shop: name %}", { name: 'Kwiaciarnia' }),
      'Bye— Kwiaciarnia, reply STOP to opt out',
    );
  });

  it("render 'product' for a list names each item after the partial", async () => {
    assert.equal(
      await shop.render("{% render 'product' for cart %}", { cart: [{ title: 'Tulip' }, { title: 'Rose' }] }),
      'Tulip (1/2) Rose (2/2) ',
    );
  });

  it('an error inside a partial names the partial and the place in it', async () => {
    const err = await renderError("{% render 'broken', price: 1 %}", {}, shop);
    assert.match(err.message, /"plus" takes 1 argument, but was given 2/);
    assert.deepEqual([err.partial, err.line, err.column], ['broken', 2, 12]);
  });

  it('never reads the disk: an unknown name is an error, whatever the path', async () => {
    for (const name of ['nope', '/etc/passwd', '../package.json']) {
      for (const tag of ['render', 'include']) {
        const err = await renderError(`{% ${tag} '${name}' %}`, {}, shop);
        assert.equal(
          err.message,
          `There is no partial named "${name}": add it to the workspace's partials, or fix the name.`,
        );
      }
    }
  });

  it('the variables a template reads include those of its partials; a partial that does not exist is an error at its tag', () => {
    const uses = shop.variables(
      shop.parse("Bye {{ name }}{% render 'footer', shop: store.name %}{% render 'product' for cart.items %}"),
    );
    assert.deepEqual(
      uses.map((u) => [u.partial ?? null, u.text, u.line, u.column]),
      [
        [null, 'name', 1, 8],
        [null, 'store.name', 1, 41],
        [null, 'cart.items', 1, 78],
        ['product', 'cart.items.title', 1, 4],
      ],
    );
    const nested = createLiquid({ partials: { outer: 'x {% render "inner" %}' } });
    for (const [source, column] of [
      ['ab {% render "gone" %}', 4],
      ['{% render "outer" %}', 1],
    ] as const) {
      const engine = source.includes('outer') ? nested : shop;
      assert.throws(
        () => engine.variables(engine.parse(source)),
        (err: TemplateError) =>
          err instanceof TemplateError && err.column === column && /no partial named "(gone|inner)"/.test(err.message),
      );
    }
  });
});

describe('tags and filters we add to LiquidJS', () => {
  const cases: [string, string, object, string][] = [
    ['doc renders nothing', '{% doc %}The cart reminder. Needs cart.items.{% enddoc %}ok', {}, 'ok'],
    ['comments nest', '{% comment %}a{% comment %}b{% endcomment %}c{% endcomment %}ok', {}, 'ok'],
    [
      'URL-safe base64 both ways',
      '{{ "_#/." | base64_url_safe_encode }} {{ "XyMvLg==" | base64_url_safe_decode }}',
      {},
      'XyMvLg== _#/.',
    ],
  ];
  for (const [name, source, data, want] of cases)
    it(name, async () => assert.equal(await liquid.render(source, data), want));

  it('a runaway loop fails instead of stalling the sender', async () => {
    assert.match(
      (await renderError('{% for i in (1..100000000) %}{{ i }}{% endfor %}')).message,
      /^too slow: rendering it took longer than allowed/,
    );
  });
});
