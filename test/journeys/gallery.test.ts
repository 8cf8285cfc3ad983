// The gallery's recipes (pure): each definition is valid, names only templates and segments its recipe brings, its
// templates render to MJML with an unsubscribe link for marketing, in English, Polish and Russian (a Polish customer
// reads the Polish one); renaming reaches every send step and the trigger.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateJourney } from '../../src/journeys/definition.ts';
import { freeId, RECIPES, renamedDefinition, templateContent } from '../../src/journeys/gallery/index.ts';
import { validateTemplate } from '../../src/messaging/templates/store.ts';
import { renderTemplate } from '../../src/messaging/templates/render.ts';
import { amountOf, describeDuration, isoOf } from '../../web/src/journeys/duration.ts';

describe('journey gallery recipes', () => {
  it('every definition is valid and names only what the recipe brings', () => {
    for (const r of RECIPES) {
      const v = validateJourney(r.definition);
      assert.ok(v.ok, `${r.id}: ${JSON.stringify(!v.ok && v.errors)}`);
      const templates = new Set(r.templates.map((t) => t.id));
      for (const s of v.definition.steps)
        if (s.type === 'send') assert.ok(templates.has(s.template), `${r.id}: ${s.template}`);
      const seg = 'segment' in v.definition.trigger ? v.definition.trigger.segment : undefined;
      if (seg)
        assert.ok(
          r.segments.some((x) => x.id === seg),
          `${r.id}: ${seg}`,
        );
    }
  });

  it('marketing e-mails carry an unsubscribe link, transactional ones do not', () => {
    const cart = RECIPES.find((r) => r.id === 'abandoned-cart')!;
    const content = templateContent(cart.templates[0]!, 'marketing') as {
      en: { email: { subject: string; mjml: string } };
    };
    assert.match(content.en.email.mjml, /^<mjml>.*\{% unsubscribe_url %\}.*<\/mjml>$/);
    assert.doesNotMatch(
      (templateContent(cart.templates[0]!, 'transactional') as typeof content).en.email.mjml,
      /unsubscribe_url/,
    );
  });

  it('every template is a valid template with en, pl and ru variants, each with its unsubscribe link in its language', async () => {
    for (const r of RECIPES) {
      for (const t of r.templates) {
        const content = templateContent(t, 'marketing');
        assert.deepEqual(Object.keys(content), ['en', 'pl', 'ru'], t.id);
        assert.deepEqual(await validateTemplate({ defaultLocale: 'en', content }), [], t.id);
        assert.match(content.pl.email.mjml, /<a href="\{% unsubscribe_url %\}">Wypisz się<\/a>/, t.id);
        assert.match(content.ru.email.mjml, /<a href="\{% unsubscribe_url %\}">Отписаться<\/a>/, t.id);
      }
    }
  });

  it('a Polish customer gets the Polish text, a Russian one the Russian, with money as they read it', async () => {
    const cart = RECIPES.find((r) => r.id === 'abandoned-cart')!.templates[0]!;
    const template = { defaultLocale: 'en', content: templateContent(cart, 'marketing') };
    const context = {
      customer: { first_name: 'Ola' },
      cart: { quantity: 3, total: 123.45, url: 'https://shop.test/cart' },
      links: { unsubscribe: 'https://x.test/u' },
    };
    const pl = await renderTemplate(template, 'email', context, { locale: 'pl-PL', currency: 'PLN' });
    assert.equal(pl.email!.subject, 'Ola, w Twoim koszyku coś zostało');
    assert.match(pl.email!.text, /Produkty w Twoim koszyku wciąż czekają: razem 123,45\u00a0zł\./);
    const ru = await renderTemplate(
      template,
      'email',
      { ...context, customer: { first_name: 'Иван' } },
      { locale: 'ru', currency: 'RUB' },
    );
    assert.equal(ru.email!.subject, 'Иван, вы кое-что оставили в корзине');
    assert.match(ru.email!.text, /всего на 123,45\u00a0₽\./);
  });

  it('renaming reaches the send steps and the trigger segment; free ids count up', () => {
    const winBack = RECIPES.find((r) => r.id === 'win-back')!;
    const def = renamedDefinition(winBack, {
      templates: new Map([['win-back', 'win-back-2']]),
      segments: new Map([['high-churn-risk', 'high-churn-risk-3']]),
    }) as {
      trigger: { segment: string };
      steps: { template?: string }[];
    };
    assert.equal(def.trigger.segment, 'high-churn-risk-3');
    assert.equal(def.steps[0]!.template, 'win-back-2');
    assert.equal(
      (winBack.definition.trigger as { segment: string }).segment,
      'high-churn-risk',
      'the recipe itself is left alone',
    );
    assert.equal(freeId('welcome', new Set()), 'welcome');
    assert.equal(freeId('welcome', new Set(['welcome', 'welcome-2'])), 'welcome-3');
  });
});

describe('durations in words (the editor)', () => {
  it('reads ISO durations as a number and a unit, and writes them back', () => {
    assert.deepEqual(amountOf('PT1H'), { n: 1, unit: 'hours' });
    assert.deepEqual(amountOf('PT23H'), { n: 23, unit: 'hours' });
    assert.deepEqual(amountOf('PT90M'), { n: 90, unit: 'minutes' });
    assert.deepEqual(amountOf('P3D'), { n: 3, unit: 'days' });
    assert.deepEqual(amountOf('P2W'), { n: 2, unit: 'weeks' });
    assert.deepEqual(amountOf('P1DT12H'), { n: 36, unit: 'hours' });
    assert.deepEqual(amountOf('P1M'), { n: 1, unit: 'months' });
    assert.deepEqual(amountOf('P6M'), { n: 6, unit: 'months' });
    assert.deepEqual(amountOf('P1Y'), { n: 12, unit: 'months' }, 'a year is 12 months');
    assert.deepEqual(amountOf('P1Y6M'), { n: 18, unit: 'months' });
    assert.equal(amountOf('P1M2D'), null, 'months mixed with days: left to Advanced');
    assert.equal(amountOf('P'), null);
    assert.equal(amountOf(undefined), null);
    for (const iso of ['PT5M', 'PT1H', 'P3D', 'P2W', 'P1M', 'P18M']) assert.equal(isoOf(amountOf(iso)!), iso);
    assert.equal(describeDuration('PT1H'), '1 hour');
    assert.equal(describeDuration('P14D'), '14 days');
    assert.equal(describeDuration('P1M'), '1 month');
    assert.equal(describeDuration('P3M'), '3 months');
    assert.equal(describeDuration('P1M2D'), 'P1M2D');
  });
});
