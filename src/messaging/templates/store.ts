// Templates in the database: list, get, create, update and delete, each template checked as a whole before it is
// written (InvalidTemplate lists every problem); a template that journeys or waiting messages use is not deleted.
import type { Db, Queryable } from '../../store/index.ts';
import { iso } from '../../time/index.ts';
import { InvalidTemplate, TemplateStoreError, type TemplateProblem } from './errors.ts';
import { CONTENT_CHANNELS, templateProblems, type TemplateContent } from './schema.ts';

export interface Template {
  workspaceId: string;
  id: string;
  name: string;
  defaultLocale: string;
  content: TemplateContent;
  createdAt: string;
  /** Also the version of the template for caches of its compiled form: every update moves it forward. */
  updatedAt: string;
}

export interface TemplateSummary {
  id: string;
  name: string;
  defaultLocale: string;
  locales: string[];
  channels: string[];
  createdAt: string;
  updatedAt: string;
}

export interface TemplateInput {
  id?: string;
  name: string;
  defaultLocale: string;
  content: unknown;
}

const ID = /^[A-Za-z0-9][\w.-]{0,63}$/;

interface TemplateRow {
  workspace_id: string;
  id: string;
  name: string;
  default_locale: string;
  content: TemplateContent;
  created_at: Date | string;
  updated_at: Date | string;
}

function toTemplate(r: TemplateRow): Template {
  return {
    workspaceId: r.workspace_id,
    id: r.id,
    name: r.name,
    defaultLocale: r.default_locale,
    content: r.content,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export async function listTemplates(db: Queryable, ws: string): Promise<TemplateSummary[]> {
  const rows = await db.query<TemplateRow>('SELECT * FROM templates WHERE workspace_id = $1 ORDER BY name, id', [ws]);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    defaultLocale: r.default_locale,
    locales: Object.keys(r.content).sort(),
    channels: CONTENT_CHANNELS.filter((c) => Object.values(r.content).some((v) => v[c])),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  }));
}

export async function getTemplate(db: Queryable, ws: string, id: string): Promise<Template | null> {
  const [row] = await db.query<TemplateRow>('SELECT * FROM templates WHERE workspace_id = $1 AND id = $2', [ws, id]);
  return row ? toTemplate(row) : null;
}

/** Every problem of a template (empty: it can be saved). */
export async function validateTemplate(
  input: { defaultLocale: unknown; content: unknown },
  workspace = '',
): Promise<TemplateProblem[]> {
  return templateProblems(input.defaultLocale, input.content, workspace);
}

async function mustBeValid(input: { defaultLocale: unknown; content: unknown }, workspace: string): Promise<void> {
  const problems = await validateTemplate(input, workspace);
  if (problems.length) throw new InvalidTemplate(problems);
}

function slug(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L');
  return (
    ascii
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 48) || 'template'
  );
}

/** Creates a template; its id is derived from the name when not given (cart-reminder, cart-reminder-2, …). */
export async function createTemplate(db: Db, ws: string, input: TemplateInput, now = new Date()): Promise<Template> {
  const problems: TemplateProblem[] = [];
  if (input.id !== undefined && !ID.test(input.id))
    problems.push({
      path: '$.id',
      message: 'An id is 1 to 64 letters, digits, "_", "-" or ".", starting with a letter or digit.',
      code: 'bad_id',
    });
  problems.push(...(await validateTemplate(input, ws)));
  if (problems.length) throw new InvalidTemplate(problems);
  return db.transaction(async (tx) => {
    let id = input.id ?? slug(input.name);
    if (input.id === undefined) {
      const taken = new Set(
        (
          await tx.query<{ id: string }>('SELECT id FROM templates WHERE workspace_id = $1 AND id LIKE $2', [
            ws,
            `${id}%`,
          ])
        ).map((r) => r.id),
      );
      for (let n = 2; taken.has(id); n++) id = `${slug(input.name)}-${n}`;
    }
    const [row] = await tx.query<TemplateRow>(
      `INSERT INTO templates (workspace_id, id, name, default_locale, content, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT DO NOTHING RETURNING *`,
      [ws, id, input.name, input.defaultLocale, JSON.stringify(input.content), now],
    );
    if (!row)
      throw new TemplateStoreError(
        'conflict',
        `A template "${id}" already exists: choose another id, or change it with PUT /api/v1/templates/${id}.`,
      );
    return toTemplate(row);
  });
}

/** Changes the name, default locale and/or content; the result is checked as a whole. */
export async function updateTemplate(
  db: Db,
  ws: string,
  id: string,
  patch: { name?: string; defaultLocale?: string; content?: unknown },
  now = new Date(),
): Promise<Template> {
  return db.transaction(async (tx) => {
    const [current] = await tx.query<TemplateRow>(
      'SELECT * FROM templates WHERE workspace_id = $1 AND id = $2 FOR UPDATE',
      [ws, id],
    );
    if (!current) throw notFound(id);
    const next = {
      name: patch.name ?? current.name,
      defaultLocale: patch.defaultLocale ?? current.default_locale,
      content: patch.content ?? current.content,
    };
    await mustBeValid(next, ws);
    // updated_at always moves forward (even with a clock that stands still), since caches key on it
    const [row] = await tx.query<TemplateRow>(
      `UPDATE templates SET name = $3, default_locale = $4, content = $5, updated_at = GREATEST($6::timestamptz, updated_at + interval '1 millisecond')
       WHERE workspace_id = $1 AND id = $2 RETURNING *`,
      [ws, id, next.name, next.defaultLocale, JSON.stringify(next.content), now],
    );
    return toTemplate(row!);
  });
}

/** Deletes a template that no journey (unless archived) sends and no waiting message needs. */
export async function deleteTemplate(db: Db, ws: string, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [current] = await tx.query('SELECT 1 FROM templates WHERE workspace_id = $1 AND id = $2 FOR UPDATE', [
      ws,
      id,
    ]);
    if (!current) throw notFound(id);
    const journeys = await tx.query<{ id: string }>(
      `SELECT DISTINCT j.id FROM journeys j JOIN journey_versions v ON v.workspace_id = j.workspace_id AND v.journey_id = j.id
       WHERE j.workspace_id = $1 AND j.status <> 'archived' AND v.version IN (j.version, j.active_version)
         AND v.definition->'steps' @> jsonb_build_array(jsonb_build_object('template', $2::text))
       ORDER BY j.id`,
      [ws, id],
    );
    if (journeys.length)
      throw new TemplateStoreError(
        'in_use',
        `The journeys ${journeys.map((j) => `"${j.id}"`).join(', ')} send this template: change their send steps, or archive them, first.`,
      );
    const [waiting] = await tx.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM message_intents WHERE workspace_id = $1 AND template = $2 AND status = 'pending'",
      [ws, id],
    );
    if (waiting && waiting.n > 0)
      throw new TemplateStoreError(
        'in_use',
        `${waiting.n} message(s) waiting to be sent use this template: delete it once they are sent.`,
      );
    await tx.query('DELETE FROM templates WHERE workspace_id = $1 AND id = $2', [ws, id]);
  });
}

function notFound(id: string) {
  return new TemplateStoreError(
    'not_found',
    `No template "${id}" in this workspace. List them with GET /api/v1/templates.`,
  );
}
