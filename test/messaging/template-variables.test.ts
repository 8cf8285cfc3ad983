// Variables a template names that the message's data cannot provide are refused when the template is checked or saved,
// each at its line and column with the name probably meant; free-form parts (traits, the event's properties, params,
// the coupon) and names the template makes itself (assign, capture, loops) pass. And the description of the data that
// this check uses is exactly what a message is rendered with.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { templateProblems } from '../../src/messaging/templates/schema.ts';
import { templateContext } from '../../src/messaging/templates/context.ts';
import { templateContextShape, type Shape } from '../../src/messaging/templates/context-schema.ts';
import { customerView } from '../../src/customers/view.ts';

const sms = (text: string) => ({ en: { sms: { text } } });
/** [line, column, message] of each problem of an SMS template. */
const problemsOf = async (text: string) =>
  (await templateProblems('en', sms(text))).map((p) => [p.line ?? null, p.column ?? null, p.message] as const);

describe('template variables the data cannot provide', () => {
  const refused: [string, string, [number, number, RegExp][]][] = [
    [
      'a misspelt customer field, with the field meant',
      'Hi {{ customer.frist_name }}!',
      [
        [
          1,
          7,
          /^Unknown variable "customer.frist_name" \(did you mean "customer.first_name".*\): customer has no field "frist_name"; it has id, user_id, email, .*, traits and loyalty\.$/,
        ],
      ],
    ],
    [
      'a customer field without "customer."',
      '{{ first_name }}',
      [
        [
          1,
          4,
          /^Unknown variable "first_name" \(did you mean "customer.first_name"\?\): a message's data has customer, aggregates, .* and now\.$/,
        ],
      ],
    ],
    [
      'a trait written as a customer field',
      '{{ customer.plan }}',
      [[1, 4, /\(did you mean "customer.traits.plan"\?\)/]],
    ],
    [
      'a misspelt root',
      '{{ custmer.email }}',
      [[1, 4, /^Unknown variable "custmer.email" \(did you mean "customer.email"\?\)/]],
    ],
    [
      'inside an if (it would never be true)',
      'a\n{% if aggregates.orders_cout > 1 %}loyal{% endif %}',
      [[2, 7, /"aggregates.orders_cout" \(did you mean "aggregates.orders_count"\?\)/]],
    ],
    [
      'as a filter argument',
      '{{ customer.name | default: customr.email }}',
      [[1, 29, /^Unknown variable "customr.email" \(did you mean "customer.email"\?\)/]],
    ],
    [
      'in a loop over the cart, a field its items lack',
      '{% for item in cart.items %}{{ item.nme }}{% endfor %}',
      [
        [
          1,
          32,
          /^Unknown variable "item.nme" \(did you mean "item.name"\?\): item has no field "nme"; it has product_id, sku, name/,
        ],
      ],
    ],
    [
      'a list read as one item',
      '{{ cart.items.name }}',
      [
        [
          1,
          4,
          /cart.items is a list: loop over it with \{% for item in cart.items %\}\{\{ item.name \}\}\{% endfor %\}, or take one with cart.items.first.name/,
        ],
      ],
    ],
    ['a field of a text', '{{ customer.email.domain }}', [[1, 4, /customer.email is text, which has no "domain"/]]],
    [
      'a field of a number',
      '{{ aggregates.orders_count.total }}',
      [[1, 4, /aggregates.orders_count is a number, which has no "total"/]],
    ],
    [
      'every use, each at its place',
      '{{ a }} {{ b }}\n{{ a }}',
      [
        [1, 4, /"a"/],
        [1, 12, /"b"/],
        [2, 4, /"a"/],
      ],
    ],
    ['a partial that does not exist', 'x {% render "footer" %}', [[1, 3, /There is no partial named "footer"/]]],
  ];
  for (const [name, text, expected] of refused) {
    it(`refused: ${name}`, async () => {
      const problems = await problemsOf(text);
      assert.equal(problems.length, expected.length, JSON.stringify(problems));
      expected.forEach(([line, column, message], i) => {
        assert.deepEqual(problems[i]!.slice(0, 2), [line, column], problems[i]![2]);
        assert.match(problems[i]![2], message);
      });
    });
  }

  const accepted: [string, string][] = [
    [
      'every documented field',
      '{{ customer.first_name }} {{ aggregates.revenue_net | money }} {{ scores.rfm.r }} {{ trigger.key }} {{ links.unsubscribe }} {{ sender.identification }} {{ now | local_date }}',
    ],
    [
      'traits, event properties, params and the coupon, however deep',
      '{{ customer.traits.plan }} {{ event.products.first.name }} {{ event["order id"] }} {{ params.discount }} {{ coupon.code }}',
    ],
    [
      'the cart, its items by loop, index, first and size',
      '{% for item in cart.items %}{{ item.name }} {{ item.total | money: cart.currency }}{% endfor %}{{ cart.items[0].url }} {{ cart.items.first.image_url }} {{ cart.items.size }}',
    ],
    [
      'names the template makes: assign, capture, increment, loops and forloop',
      '{% assign n = customer.first_name | upcase %}{% capture c %}x{% endcapture %}{% increment k %}{% for p in event.products %}{{ p.sku }}{{ forloop.index }}{% endfor %}{{ n }}{{ c }}{{ k }}',
    ],
    ['a key chosen by another variable', '{{ customer.traits[customer.locale] }}'],
    ['sizes of text and lists', '{{ customer.name.size }} {{ cart.items.size }}'],
    ['the link tags', '{% unsubscribe_url %} {% preferences_url %}'],
  ];
  for (const [name, text] of accepted) {
    it(`accepted: ${name}`, async () => assert.deepEqual(await problemsOf(text), []));
  }

  it('in an MJML body and a webhook body, at the field’s path', async () => {
    const problems = await templateProblems('en', {
      en: {
        email: {
          subject: 'Hi',
          mjml: '<mjml><mj-body><mj-section><mj-column>\n<mj-text>{{ customer.frist_name }}</mj-text>\n</mj-column></mj-section></mj-body></mjml>',
        },
        webhook: { body: { who: { id: '{{ customer.idd }}' } } },
      },
    });
    assert.deepEqual(
      problems.map((p) => [p.path, p.line, p.column]),
      [
        ['$.en.email.mjml', 2, 13],
        ['$.en.webhook.body.who.id', 1, 4],
      ],
    );
  });
});

describe('the description of the data', () => {
  /** Every path to a value in `value`, lists by their first item (`cart.items[0].name`). */
  const pathsIn = (value: unknown, prefix: (string | number)[] = []): (string | number)[][] => {
    if (Array.isArray(value)) return value.length ? pathsIn(value[0], [...prefix, 0]) : [prefix];
    if (value !== null && typeof value === 'object')
      return Object.entries(value).flatMap(([k, v]) => pathsIn(v, [...prefix, k]));
    return [prefix];
  };
  /** Every path the description names, free-form parts as the path to them. */
  const pathsOf = (shape: Shape, prefix: (string | number)[] = []): (string | number)[][] => {
    if (shape.kind === 'object') return Object.entries(shape.fields).flatMap(([k, v]) => pathsOf(v, [...prefix, k]));
    if (shape.kind === 'list') return pathsOf(shape.item, [...prefix, 0]);
    return [prefix];
  };
  const freeForm = (shape: Shape, path: (string | number)[]): boolean => {
    let node = shape;
    for (const key of path) {
      if (node.kind === 'any') return true;
      if (node.kind === 'list') node = node.item;
      else if (node.kind === 'object' && Object.hasOwn(node.fields, key)) node = node.fields[key]!;
      else return false;
    }
    return node.kind === 'any';
  };

  it('is what a message is rendered with, field by field', () => {
    const customer = customerView({
      id: 1,
      user_id: 'u1',
      email: 'a@example.com',
      phone: '+48600100200',
      locale: 'pl',
      timezone: 'Europe/Warsaw',
      traits: { name: 'Ann Lee', plan: 'gold' },
      first_seen: new Date(),
      last_seen: new Date(),
      first_order_at: new Date(),
      last_order_at: new Date(),
      orders_count: 2,
      purchase_days: 2,
      revenue_total: 10,
      revenue_net: 9,
      rfm_r: 5,
      rfm_f: 4,
      rfm_m: 3,
      rfm_segment: 'Champions',
      p_alive: 0.9,
      expected_purchases: 1,
      churn_risk: 'low',
      expected_order_value: 5,
      clv: 20,
      lifecycle_stage: 'active',
      scored_at: new Date(),
    });
    const product = {
      product_id: 'p1',
      name: 'Kettle',
      price: 10,
      quantity: 2,
      image_url: 'https://shop.example/k.png',
      url: 'https://shop.example/k',
    };
    const trigger = {
      event: 'Product Added',
      at: new Date().toISOString(),
      properties: {
        cart_id: 'c1',
        products: [product],
        total: 20,
        currency: 'PLN',
        cart_url: 'https://shop.example/cart',
      },
    };
    const kettle = {
      productId: 'p1',
      sku: 'K-1',
      name: 'Kettle',
      variant: 'red',
      category: 'kitchen',
      price: 10,
      imageUrl: 'https://shop.example/k.png',
      url: 'https://shop.example/k',
    };
    const cart = {
      id: 'c1',
      status: 'open' as const,
      items: [{ ...kettle, quantity: 2, total: 20 }],
      quantity: 2,
      total: 20,
      currency: 'PLN',
      url: 'https://shop.example/cart',
      updatedAt: new Date().toISOString(),
      orderId: null,
      orderedAt: null,
    };
    const context = templateContext({
      customer,
      intent: { params: { coupon: 'X' }, context: { key: 'c1', trigger } },
      links: { unsubscribe: 'u', preferences: 'p', viewInBrowser: 'v', confirm: 'c' },
      sender: { name: 'S', identification: 'I' },
      commerce: { cart, product: kettle },
      now: new Date(),
    });
    const built = pathsIn(context)
      .filter((p) => !freeForm(templateContextShape, p))
      .map((p) => p.join('.'));
    const described = pathsOf(templateContextShape)
      .filter((p) => !freeForm(templateContextShape, p))
      .map((p) => p.join('.'));
    assert.deepEqual(
      built.filter((p) => !described.includes(p)),
      [],
      'built but not described: a template could not use them',
    );
    // Described parts of the roots the context builds must be built (a root built elsewhere is checked once it is built here).
    const roots = new Set(Object.keys(context));
    assert.deepEqual(
      described.filter((p) => roots.has(p.split('.')[0]!) && !built.includes(p)),
      [],
      'described but not built: a template would pass the check and fail when sent',
    );
  });
});
