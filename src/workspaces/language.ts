// The workspace's default language (en, pl or ru): what a customer reads when their own locale is not one we write
// (consent pages, built-in e-mails), and the step after the customer's locale in a template's locale fallback
// (messaging/templates/settings.ts). Kept in workspaces.settings → messaging.defaultLocale; never set reads as English.
import type { Queryable } from '../store/index.ts';
import { languageOf, type Language } from '../i18n/index.ts';

/** The stored default as a language of ours; English when never set (or set, by hand, to a language we do not write). */
export async function workspaceLanguage(db: Queryable, ws: string): Promise<Language> {
  const [row] = await db.query<{ locale: string | null }>(
    "SELECT settings->'messaging'->>'defaultLocale' AS locale FROM workspaces WHERE id = $1",
    [ws],
  );
  return languageOf(row?.locale) ?? 'en';
}

/** Sets the default language (the other messaging keys stay). */
export async function setWorkspaceLanguage(db: Queryable, ws: string, language: Language): Promise<void> {
  await db.query(
    `UPDATE workspaces SET settings = jsonb_set(settings, '{messaging}',
       CASE WHEN jsonb_typeof(settings->'messaging') = 'object' THEN settings->'messaging' ELSE '{}'::jsonb END || jsonb_build_object('defaultLocale', $2::text))
     WHERE id = $1`,
    [ws, language],
  );
}
