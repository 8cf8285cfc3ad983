// The e-mail layouts a new template can start from (pure data, served by GET /api/v1/templates/layouts): plain text,
// a cart reminder, a product grid and a coupon, each with the legal footer.
import type { TemplateContent } from '../schema.ts';
import { greeting, page, section } from './parts.ts';

export interface EmailLayout {
  id: string;
  name: string;
  description: string;
  /** A template's content in English, e-mail only. */
  content: TemplateContent;
}

/** The cart's lines: image, name, quantity and price, then the total and a button back to the cart. */
const cartBlock = `<mj-table>
          <tr style="border-bottom:1px solid #eeeeee;text-align:left"><th></th><th>Product</th><th>Qty</th><th style="text-align:right">Price</th></tr>
          {% for item in cart.items %}<tr style="border-bottom:1px solid #eeeeee"><td style="padding:6px 0">{% if item.image_url %}<img src="{{ item.image_url }}" alt="" width="56" />{% endif %}</td><td>{{ item.name }}</td><td>{{ item.quantity }}</td><td style="text-align:right">{{ item.total | money }}</td></tr>{% endfor %}
          <tr><td></td><td colspan="2"><strong>Total</strong></td><td style="text-align:right"><strong>{{ cart.total | money }}</strong></td></tr>
        </mj-table>
        <mj-button href="{{ cart.url | default: '#' }}" background-color="#1d4ed8">Back to your cart</mj-button>`;

/** The cart's products two to a row: image, name, price, link. */
const productGrid = `<mj-table>
          {% for item in cart.items %}{% assign column = forloop.index0 | modulo: 2 %}{% if column == 0 %}<tr>{% endif %}<td width="50%" style="padding:8px;text-align:center;vertical-align:top">{% if item.image_url %}<a href="{{ item.url }}"><img src="{{ item.image_url }}" alt="{{ item.name }}" width="200" style="max-width:100%" /></a><br />{% endif %}{{ item.name }}<br /><strong>{{ item.price | money }}</strong></td>{% if column == 1 or forloop.last %}</tr>{% endif %}{% endfor %}
        </mj-table>`;

const couponBlock = `<mj-text align="center" font-size="14px">Your code</mj-text>
        <mj-text align="center" font-size="28px" letter-spacing="4px" padding="12px" container-background-color="#fef3c7"><strong>{{ coupon.code | default: coupon }}</strong></mj-text>
        <mj-button href="{{ cart.url | default: '#' }}" background-color="#1d4ed8">Use it now</mj-button>`;

const email = (subject: string, preheader: string, mjml: string): TemplateContent => ({ en: { email: { subject, preheader, mjml } } });

export const EMAIL_LAYOUTS: EmailLayout[] = [
  {
    id: 'basic',
    name: 'Basic text',
    description: 'A greeting, a paragraph and a button.',
    content: email('News from us, {{ customer.first_name | default: "friend" }}', 'A short note', page('News', section(`${greeting}
        <mj-text>Write your message here.</mj-text>
        <mj-button href="https://shop.example" background-color="#1d4ed8">Visit the shop</mj-button>`))),
  },
  {
    id: 'cart',
    name: 'Cart reminder',
    description: 'The cart’s lines with image, quantity and price, the total, and a button back to the cart.',
    content: email('You left {{ cart.quantity }} item(s) in your cart', 'Your cart is waiting', page('Your cart', section(`${greeting}
        <mj-text>You left these in your cart:</mj-text>
        ${cartBlock}`))),
  },
  {
    id: 'product-grid',
    name: 'Product grid',
    description: 'The cart’s products two to a row, each with its picture, price and link.',
    content: email('Still thinking it over, {{ customer.first_name | default: "friend" }}?', 'Picked for you', page('Picked for you', section(`${greeting}
        <mj-text>Have another look:</mj-text>
        ${productGrid}`))),
  },
  {
    id: 'coupon',
    name: 'Coupon',
    description: 'A coupon code (the send step’s params.coupon) in a box, with the cart total.',
    content: email('A coupon for you, {{ customer.first_name | default: "friend" }}', 'Save on your cart', page('Your coupon', section(`${greeting}
        <mj-text>Your cart holds {{ cart.quantity }} item(s), {{ cart.total | money }} in all. Here is a code for it:</mj-text>
        ${couponBlock}`))),
  },
];
