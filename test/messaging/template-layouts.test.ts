// The e-mail layouts a template can start from: each is a valid template as it stands (MJML strict, every variable
// known), in English, Polish and Russian, and each ends with the legal footer (the sender's identification, the
// unsubscribe and preference links) in its language.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EMAIL_LAYOUTS } from '../../src/messaging/templates/layouts/index.ts';
import { validateTemplate } from '../../src/messaging/templates/store.ts';

describe('e-mail layouts', () => {
  it('each is a template that can be saved as it is, with the legal footer', async () => {
    assert.deepEqual(
      EMAIL_LAYOUTS.map((l) => l.id),
      ['basic', 'cart', 'product-grid', 'coupon'],
    );
    for (const layout of EMAIL_LAYOUTS) {
      assert.deepEqual(await validateTemplate({ defaultLocale: 'en', content: layout.content }), [], layout.id);
      assert.deepEqual(Object.keys(layout.content), ['en', 'pl', 'ru'], layout.id);
      for (const [locale, words] of [
        ['en', ['Unsubscribe', 'Preferences']],
        ['pl', ['Wypisz się', 'Ustawienia subskrypcji']],
        ['ru', ['Отписаться', 'Настройки подписки']],
      ] as const) {
        const email = layout.content[locale]?.email;
        const mjml = email && 'mjml' in email ? String(email.mjml) : '';
        for (const part of [
          '{{ sender.identification }}',
          `<a href="{% unsubscribe_url %}" style="color:#777777">${words[0]}</a>`,
          `<a href="{% preferences_url %}" style="color:#777777">${words[1]}</a>`,
        ]) {
          assert.ok(mjml.includes(part), `${layout.id} (${locale}): ${part}`);
        }
      }
    }
  });

  it('the cart layout loops over the cart lines with image, name, quantity and price, then the total and a button to the cart', () => {
    const mjml = String(EMAIL_LAYOUTS.find((l) => l.id === 'cart')!.content.en!.email!.mjml);
    assert.match(
      mjml,
      /\{% for item in cart\.items %\}.*\{\{ item\.image_url \}\}.*\{\{ item\.name \}\}.*\{\{ item\.quantity \}\}.*\{\{ item\.total \| money \}\}.*\{% endfor %\}/s,
    );
    assert.match(mjml, /\{\{ cart\.total \| money \}\}[\s\S]*<mj-button href="\{\{ cart\.url/);
  });
});
