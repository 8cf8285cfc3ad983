// The text part made from an e-mail's HTML: blocks become lines, links "text (url)", entities decoded, no tags, and
// nothing a reader does not see (head, styles, hidden preheader, Outlook-only markup).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import mjml2html from 'mjml';
import { decodeEntities, htmlToText } from '../../src/messaging/templates/html-text.ts';

describe('htmlToText', () => {
  const cases: [string, string, string][] = [
    [
      'paragraphs are set apart by an empty line',
      '<p>Hi Ola,</p><p>your cart is waiting.</p>',
      'Hi Ola,\n\nyour cart is waiting.',
    ],
    [
      'divs and table rows are lines; cells share one',
      '<div>one</div><div>two</div><table><tr><td>Tulip</td><td>2</td></tr><tr><td>Rose</td><td>1</td></tr></table>',
      'one\ntwo\n\nTulip 2\nRose 1',
    ],
    ['<br> breaks a line; two make an empty line', 'a<br>b<br/><br>c', 'a\nb\n\nc'],
    ['white space collapses as in a browser', '<p>  Your\n   cart \t is   here </p>', 'Your cart is here'],
    [
      'a link is its text and the address',
      '<p>See <a href="https://shop.pl/cart?c=1&amp;u=2">your cart</a>.</p>',
      'See your cart (https://shop.pl/cart?c=1&u=2).',
    ],
    [
      'a link whose text is its address is written once',
      '<a href="https://shop.pl/">https://shop.pl</a> <a href="mailto:ola@shop.pl">ola@shop.pl</a>',
      'https://shop.pl ola@shop.pl',
    ],
    [
      'an image link: the alt text and the address',
      '<a href="https://shop.pl/p/1"><img src="t.png" alt="Tulip"></a>',
      'Tulip (https://shop.pl/p/1)',
    ],
    [
      'an image link without alt: the address alone',
      'Shop <a href="https://shop.pl/p/1"><img src="t.png"></a>',
      'Shop https://shop.pl/p/1',
    ],
    ['anchors and scripts are not addresses', '<a href="#top">Top</a> <a href="javascript:void(0)">x</a>', 'Top x'],
    ['list items', '<ul><li>Tulip</li><li>Rose</li></ul>', '- Tulip\n- Rose'],
    ['headings and rules', '<h1>Cart</h1><hr><p>x</p>', 'Cart\n\n---\n\nx'],
    [
      'entities: named, decimal, hex; an unknown one stays',
      '<p>Tom &amp; Jerry &ndash; 5&nbsp;zł &#8364; &#x1F337; &copy; &bogus;</p>',
      'Tom & Jerry – 5\u00a0zł € 🌷 © &bogus;',
    ],
    ['a bare ampersand in text is text', '<p>a&b=1&times</p>', 'a&b=1&times'],
    [
      'no head, title, style or script',
      '<html><head><title>T</title><style>p{color:red}</style></head><body><script>x()</script><p>Body</p></body></html>',
      'Body',
    ],
    [
      'no hidden element (the preheader)',
      '<body><div style="display: none; max-height:0">Preheader <b>x</b></div><p>Body</p></body>',
      'Body',
    ],
    ['no Outlook-only conditional markup', '<!--[if mso]><p>Outlook</p><![endif]--><p>All</p><!-- note -->', 'All'],
    ['preformatted text keeps its spaces', '<pre>a   b\n  c</pre>', 'a   b\n  c'],
    ['attributes with > inside quotes', '<p title="a > b">text</p>', 'text'],
  ];
  for (const [name, html, text] of cases) it(name, () => assert.equal(htmlToText(html), text));

  it('an MJML e-mail reads as its text, its button as "label (url)"', async () => {
    const { html } =
      await mjml2html(`<mjml><mj-head><mj-preview>Hidden preview</mj-preview></mj-head><mj-body><mj-section><mj-column>
      <mj-text><h2>Your cart</h2><p>Tulip × 2</p></mj-text>
      <mj-button href="https://shop.pl/cart">Back to the cart</mj-button>
      <mj-divider />
      <mj-text font-size="10px">Kwiaciarnia, ul. Kwiatowa 1 · <a href="https://r.pl/u">Unsubscribe</a></mj-text>
    </mj-column></mj-section></mj-body></mjml>`);
    assert.equal(
      htmlToText(html),
      'Your cart\n\nTulip × 2\n\nBack to the cart (https://shop.pl/cart)\n\nKwiaciarnia, ul. Kwiatowa 1 · Unsubscribe (https://r.pl/u)',
    );
  });

  it('decodes a code point beyond the BMP, and refuses a surrogate', () => {
    assert.equal(decodeEntities('&#128512;&#xD800;'), '😀\ufffd');
  });
});
