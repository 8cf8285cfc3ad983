// Starter content has words in the dashboard's three languages by its stable ids: every gallery recipe (name and
// description), every e-mail a recipe brings (by its base template id) and every e-mail layout; the English words are
// the server's own, so the two cannot drift apart; and the Polish and Russian differ from the English.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { RECIPES } from '../../src/journeys/gallery/index.ts';
import { EMAIL_LAYOUTS } from '../../src/messaging/templates/layouts/index.ts';
import { inLanguage, LAYOUT_WORDS, RECIPE_TEMPLATE_WORDS, RECIPE_WORDS } from '../../web/src/journeys/galleryWords.ts';
import { setLanguage } from '../../web/src/i18n/index.ts';

const items = [
  ...RECIPES.map((r) => ({
    what: `recipe ${r.id}`,
    item: { id: r.id, name: r.name, description: r.description },
    words: RECIPE_WORDS,
  })),
  ...RECIPES.flatMap((r) =>
    r.templates.map((tp) => ({
      what: `e-mail ${tp.id}`,
      item: { id: tp.id, name: tp.name },
      words: RECIPE_TEMPLATE_WORDS,
    })),
  ),
  ...EMAIL_LAYOUTS.map((l) => ({
    what: `layout ${l.id}`,
    item: { id: l.id, name: l.name, description: l.description },
    words: LAYOUT_WORDS,
  })),
];

describe("starter content in the dashboard's languages", () => {
  after(() => setLanguage('en'));
  it("every recipe, recipe e-mail and layout has words; in English they are the server's", () => {
    setLanguage('en');
    for (const { what, item, words } of items) {
      assert.ok(Object.hasOwn(words, item.id), `${what} has words`);
      assert.deepEqual(inLanguage(item, words), item, `${what}: English as the server says it`);
    }
  });
  for (const lang of ['pl', 'ru'] as const) {
    it(`${lang}: every name and description is said in ${lang}`, () => {
      setLanguage(lang);
      for (const { what, item, words } of items) {
        const said = inLanguage(item, words);
        assert.notEqual(said.name, item.name, `${what} name`);
        if ('description' in item)
          assert.notEqual((said as { description: string }).description, item.description, `${what} description`);
      }
    });
  }
});
