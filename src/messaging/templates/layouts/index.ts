// The e-mail layouts a new template can start from (pure data, served by GET /api/v1/templates/layouts): plain text,
// a cart reminder, a product grid and a coupon, each with the legal footer, each in English, Polish and Russian (the
// locale variants of one template: the customer's locale picks theirs). Words from texts/{en,pl,ru}.json.
import type { TemplateContent } from '../schema.ts';
import { LANGUAGES, type Translate } from '../../../i18n/index.ts';
import { greeting, page, section } from './parts.ts';
import { layoutText, type LayoutTextKey } from './texts.ts';

type T = Translate<LayoutTextKey>;

export interface EmailLayout {
  id: string;
  name: string;
  description: string;
  /** A template's content: e-mail, in each of en, pl and ru. */
  content: TemplateContent;
}

const firstName = '{{ customer.first_name | default: "friend" }}';

/** The cart's lines: image, name, quantity and price, then the total and a button back to the cart. */
const cartBlock = (t: T) => `<mj-table>
          <tr style="border-bottom:1px solid #eeeeee;text-align:left"><th></th><th>${t('cart.product')}</th><th>${t('cart.quantity')}</th><th style="text-align:right">${t('cart.price')}</th></tr>
          {% for item in cart.items %}<tr style="border-bottom:1px solid #eeeeee"><td style="padding:6px 0">{% if item.image_url %}<img src="{{ item.image_url }}" alt="" width="56" />{% endif %}</td><td>{{ item.name }}</td><td>{{ item.quantity }}</td><td style="text-align:right">{{ item.total | money }}</td></tr>{% endfor %}
          <tr><td></td><td colspan="2"><strong>${t('cart.total')}</strong></td><td style="text-align:right"><strong>{{ cart.total | money }}</strong></td></tr>
        </mj-table>
        <mj-button href="{{ cart.url | default: '#' }}" background-color="#1d4ed8">${t('cart.button')}</mj-button>`;

/** The cart's products two to a row: image, name, price, link. */
const productGrid = `<mj-table>
          {% for item in cart.items %}{% assign column = forloop.index0 | modulo: 2 %}{% if column == 0 %}<tr>{% endif %}<td width="50%" style="padding:8px;text-align:center;vertical-align:top">{% if item.image_url %}<a href="{{ item.url }}"><img src="{{ item.image_url }}" alt="{{ item.name }}" width="200" style="max-width:100%" /></a><br />{% endif %}{{ item.name }}<br /><strong>{{ item.price | money }}</strong></td>{% if column == 1 or forloop.last %}</tr>{% endif %}{% endfor %}
        </mj-table>`;

const couponBlock = (t: T) => `<mj-text align="center" font-size="14px">${t('coupon.code')}</mj-text>
        <mj-text align="center" font-size="28px" letter-spacing="4px" padding="12px" container-background-color="#fef3c7"><strong>{{ coupon.code | default: coupon }}</strong></mj-text>
        <mj-button href="{{ cart.url | default: '#' }}" background-color="#1d4ed8">${t('coupon.button')}</mj-button>`;

/** The same layout in every language: `build` gives one language's subject, preheader and MJML. */
const inEveryLanguage = (build: (t: T) => { subject: string; preheader: string; mjml: string }): TemplateContent =>
  Object.fromEntries(LANGUAGES.map((language) => [language, { email: build(layoutText(language)) }]));

export const EMAIL_LAYOUTS: EmailLayout[] = [
  {
    id: 'basic',
    name: 'Basic text',
    description: 'A greeting, a paragraph and a button.',
    content: inEveryLanguage((t) => ({
      subject: t('basic.subject', { name: firstName }),
      preheader: t('basic.preheader'),
      mjml: page(
        t,
        t('basic.title'),
        section(`${greeting(t)}
        <mj-text>${t('basic.text')}</mj-text>
        <mj-button href="https://shop.example" background-color="#1d4ed8">${t('basic.button')}</mj-button>`),
      ),
    })),
  },
  {
    id: 'cart',
    name: 'Cart reminder',
    description: 'The cart’s lines with image, quantity and price, the total, and a button back to the cart.',
    content: inEveryLanguage((t) => ({
      subject: t('cart.subject', { count: '{{ cart.quantity }}' }),
      preheader: t('cart.preheader'),
      mjml: page(
        t,
        t('cart.title'),
        section(`${greeting(t)}
        <mj-text>${t('cart.lead')}</mj-text>
        ${cartBlock(t)}`),
      ),
    })),
  },
  {
    id: 'product-grid',
    name: 'Product grid',
    description: 'The cart’s products two to a row, each with its picture, price and link.',
    content: inEveryLanguage((t) => ({
      subject: t('grid.subject', { name: firstName }),
      preheader: t('grid.preheader'),
      mjml: page(
        t,
        t('grid.title'),
        section(`${greeting(t)}
        <mj-text>${t('grid.lead')}</mj-text>
        ${productGrid}`),
      ),
    })),
  },
  {
    id: 'coupon',
    name: 'Coupon',
    description: 'A coupon code (the send step’s params.coupon) in a box, with the cart total.',
    content: inEveryLanguage((t) => ({
      subject: t('coupon.subject', { name: firstName }),
      preheader: t('coupon.preheader'),
      mjml: page(
        t,
        t('coupon.title'),
        section(`${greeting(t)}
        <mj-text>${t('coupon.lead', { count: '{{ cart.quantity }}', total: '{{ cart.total | money }}' })}</mj-text>
        ${couponBlock(t)}`),
      ),
    })),
  },
];
