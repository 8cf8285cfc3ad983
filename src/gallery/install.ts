// Installs a gallery recipe in a workspace: its templates and segments under ids that are free there (a `-2` suffix
// when taken), then its journey as a draft naming them, all in one transaction (a failure leaves nothing behind).
// Returns the ids given.
import { joinedTo, type Db, type Queryable } from '../store/index.ts';
import { createJourney, freeId, renamedDefinition, templateContent, type Recipe } from '../journeys/index.ts';
import { createTemplate } from '../messaging/index.ts';
import { createSegment } from '../segments/index.ts';
import { workspaceLanguage } from '../workspaces/index.ts';

export interface InstalledRecipe {
  recipe: string;
  journey: string;
  /** Base id → the template id given in this workspace. */
  templates: Record<string, string>;
  segments: Record<string, string>;
}

/** Template ids of the workspace that start like one of `bases` (the ids a recipe's templates could clash with). */
async function takenTemplateIds(db: Queryable, ws: string, bases: string[]): Promise<Set<string>> {
  const rows = await db.query<{ id: string }>(
    'SELECT id FROM templates WHERE workspace_id = $1 AND id LIKE ANY($2::text[])',
    [ws, bases.map((b) => `${b}%`)],
  );
  return new Set(rows.map((r) => r.id));
}

/** Segment ids of the workspace that start like one of `bases`. */
async function takenSegmentIds(db: Queryable, ws: string, bases: string[]): Promise<Set<string>> {
  const rows = await db.query<{ id: string }>(
    'SELECT id FROM segments WHERE workspace_id = $1 AND id LIKE ANY($2::text[])',
    [ws, bases.map((b) => `${b}%`)],
  );
  return new Set(rows.map((r) => r.id));
}

/** The recipe's templates, segments and journey, created together or not at all. */
export function installRecipe(db: Db, ws: string, recipe: Recipe, now: Date): Promise<InstalledRecipe> {
  return db.transaction((tx) => installIn(joinedTo(db, tx), ws, recipe, now));
}

async function installIn(db: Db, ws: string, recipe: Recipe, now: Date): Promise<InstalledRecipe> {
  const purpose = String(recipe.definition.purpose ?? 'marketing');
  const templates = new Map<string, string>();
  const takenT = await takenTemplateIds(
    db,
    ws,
    recipe.templates.map((t) => t.id),
  );
  // every template comes in en, pl and ru; a customer without a locale of their own reads the workspace's language
  const defaultLocale = await workspaceLanguage(db, ws);
  for (const t of recipe.templates) {
    const id = freeId(t.id, takenT);
    takenT.add(id);
    await createTemplate(db, ws, { id, name: t.name, defaultLocale, content: templateContent(t, purpose) }, now);
    templates.set(t.id, id);
  }
  const segments = new Map<string, string>();
  const takenS = recipe.segments.length
    ? await takenSegmentIds(
        db,
        ws,
        recipe.segments.map((s) => s.id),
      )
    : new Set<string>();
  for (const s of recipe.segments) {
    const id = freeId(s.id, takenS);
    takenS.add(id);
    await createSegment(db, ws, { id, name: s.name, definition: s.definition });
    segments.set(s.id, id);
  }
  const journey = await createJourney(
    db,
    ws,
    { name: recipe.name, definition: renamedDefinition(recipe, { templates, segments }) },
    now,
  );
  return {
    recipe: recipe.id,
    journey: journey.id,
    templates: Object.fromEntries(templates),
    segments: Object.fromEntries(segments),
  };
}
