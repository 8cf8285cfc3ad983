// Installing a gallery recipe is all or nothing: the journey, its templates and its segments are created in one
// transaction. Each case makes one part fail (the database refuses the journey, a template is not valid, the segment
// is refused) and the workspace is then exactly as before: no template, segment or journey left half-made. The same
// recipe installs whole once nothing fails.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend, freshDb, type TestDb } from '../helpers/db.ts';
import { installRecipe } from '../../src/gallery/install.ts';
import { recipeById, type Recipe } from '../../src/journeys/gallery/index.ts';

const now = new Date('2026-06-01T12:00:00Z');

/** What a workspace holds that an install creates. */
async function contents(t: TestDb) {
  const ids = async (table: string) =>
    (
      await t.db.query<{ id: string }>(`SELECT id FROM ${table} WHERE workspace_id = $1 ORDER BY id`, [t.workspaceId])
    ).map((r) => r.id);
  return { templates: await ids('templates'), segments: await ids('segments'), journeys: await ids('journeys') };
}

const winBack = recipeById('win-back')!; // a template, a segment and a journey
const cart = recipeById('abandoned-cart')!; // two templates and a journey

const cases: {
  name: string;
  recipe: Recipe;
  induce?: (t: TestDb) => Promise<void>;
  undo?: (t: TestDb) => Promise<void>;
  refused: RegExp;
}[] = [
  {
    name: 'the database refuses the journey, after the templates and the segment were written',
    recipe: winBack,
    induce: async (t) => {
      await t.db.query(
        `CREATE FUNCTION gaps_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'induced failure'; END $$`,
      );
      await t.db.query(
        'CREATE TRIGGER gaps_refuse BEFORE INSERT ON journeys FOR EACH ROW EXECUTE FUNCTION gaps_refuse()',
      );
    },
    undo: async (t) => {
      await t.db.query('DROP TRIGGER gaps_refuse ON journeys');
      await t.db.query('DROP FUNCTION gaps_refuse()');
    },
    refused: /induced failure/,
  },
  {
    name: 'the second template is not a valid template, after the first was written',
    recipe: {
      ...cart,
      templates: [
        cart.templates[0]!,
        {
          ...cart.templates[1]!,
          locales: { ...cart.templates[1]!.locales, pl: { subject: '{{ unclosed', body: 'x' } },
        },
      ],
    },
    refused: /template|subject/i,
  },
  {
    name: 'the segment is refused, after the template was written',
    recipe: {
      ...winBack,
      segments: [{ ...winBack.segments[0]!, definition: { score: 'no_such_score', op: 'in', value: ['high'] } }],
    },
    refused: /score/i,
  },
  {
    name: 'the journey definition is refused, after the templates were written',
    recipe: { ...cart, definition: { ...cart.definition, start: 'nowhere' } },
    refused: /start|nowhere/i,
  },
];

describe(`gallery install is all or nothing (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  for (const c of cases) {
    it(`${c.name}: nothing is left`, async () => {
      const before = await contents(t);
      await c.induce?.(t);
      try {
        await assert.rejects(installRecipe(t.db, t.workspaceId, c.recipe, now), c.refused);
      } finally {
        await c.undo?.(t);
      }
      assert.deepEqual(await contents(t), before);
    });
  }

  it('with nothing failing, the same recipes install whole', async () => {
    for (const recipe of [winBack, cart]) {
      const made = await installRecipe(t.db, t.workspaceId, recipe, now);
      const after = await contents(t);
      assert.ok(after.journeys.includes(made.journey), recipe.id);
      for (const id of Object.values(made.templates)) assert.ok(after.templates.includes(id), `${recipe.id}: ${id}`);
      for (const id of Object.values(made.segments)) assert.ok(after.segments.includes(id), `${recipe.id}: ${id}`);
    }
    const all = await contents(t);
    assert.deepEqual({ t: all.templates.length, s: all.segments.length, j: all.journeys.length }, { t: 3, s: 1, j: 2 });
  });
});
