// The catalogues of what customers read (consent pages and e-mail, e-mail layouts), and the gallery's starter texts:
// every key in all three languages, every message valid ICU MessageFormat giving no argument that English does not,
// and every key used by its capability's code (an unused key fails too). Languages are picked as a reader expects.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  LANGUAGES,
  catalogueProblems,
  headerLanguage,
  languageOf,
  pickLanguage,
  type Language,
} from '../../src/i18n/catalogue.ts';
import { CONSENT_TEXTS, consentText } from '../../src/consent/texts.ts';
import { LAYOUT_TEXTS } from '../../src/messaging/templates/layouts/texts.ts';
import { GALLERY_MESSAGES } from '../../src/journeys/gallery/texts.ts';

const root = new URL('../../', import.meta.url).pathname;

/** The TypeScript of a folder (not its tests), where a catalogue's keys must appear as written. */
function sourceOf(dir: string): string {
  return readdirSync(join(root, dir), { withFileTypes: true })
    .filter((f) => f.isFile() && f.name.endsWith('.ts'))
    .map((f) => readFileSync(join(root, dir, f.name), 'utf8'))
    .join('\n');
}

// The consent catalogue is read by consent's pages and by the built-in confirmation e-mail (messaging/templates).
const CATALOGUES: [string, Record<Language, Record<string, string>>, string[]][] = [
  ['consent', CONSENT_TEXTS, ['src/consent', 'src/messaging/templates']],
  ['e-mail layouts', LAYOUT_TEXTS, ['src/messaging/templates/layouts']],
];

describe('catalogues of what customers read', () => {
  for (const [name, texts, dirs] of CATALOGUES) {
    it(`${name}: every key in en, pl and ru, valid ICU, and used by the code`, () => {
      assert.deepEqual(catalogueProblems(texts), []);
      const code = dirs.map(sourceOf).join('\n');
      const unused = Object.keys(texts.en).filter((key) => !code.includes(`'${key}'`));
      assert.deepEqual(unused, [], `keys no code in ${dirs.join(' or ')} uses`);
    });
  }

  it('a key missing from one language, an empty or broken message, or an argument English does not give, is found', () => {
    const broken = structuredClone(CONSENT_TEXTS) as Record<Language, Record<string, string>>;
    delete broken.ru['unsubscribe.button'];
    broken.pl['preferences.save'] = ' ';
    broken.pl['confirmed.title'] = 'Potwierdzono {kiedy}';
    broken.en['linkProblem.title'] = 'This link {does not work';
    assert.deepEqual(catalogueProblems(broken).sort(), [
      'en: "linkProblem.title" is not ICU MessageFormat: MALFORMED_ARGUMENT',
      'pl: "confirmed.title" uses {kiedy}, which the English message does not have (nobody gives it)',
      'pl: "preferences.save" is empty',
      'ru: "unsubscribe.button" is missing',
    ]);
  });

  it("plurals follow each language's rules (the confirmation link's days)", () => {
    const days = (language: Language, n: number) =>
      /(\d+ \S+)\.$/.exec(consentText(language)('confirmEmail.ignore', { days: n }))?.[1];
    assert.deepEqual(
      [1, 2, 5, 7, 22].map((n) => days('en', n)),
      ['1 day', '2 days', '5 days', '7 days', '22 days'],
    );
    assert.deepEqual(
      [1, 2, 5, 7, 22].map((n) => days('pl', n)),
      ['1 dzień', '2 dni', '5 dni', '7 dni', '22 dni'],
    );
    assert.deepEqual(
      [1, 2, 5, 21, 22].map((n) => days('ru', n)),
      ['1 день', '2 дня', '5 дней', '21 день', '22 дня'],
    );
  });

  it("the gallery's starter texts exist in every language, none empty, none with a variable English does not print", () => {
    const variables = (s: string) => new Set([...s.matchAll(/\{\{\s*([\w.]+)/g)].map((m) => m[1]!));
    for (const language of LANGUAGES) {
      const m = GALLERY_MESSAGES[language];
      assert.deepEqual(Object.keys(m).sort(), Object.keys(GALLERY_MESSAGES.en).sort(), language);
      for (const [key, value] of Object.entries(m)) {
        const parts = typeof value === 'string' ? [value] : [value.subject, value.body];
        assert.ok(
          parts.every((p) => p.trim()),
          `${language}.${key} is empty`,
        );
        if (typeof value === 'string') continue;
        const en = GALLERY_MESSAGES.en[key as keyof typeof m] as { subject: string; body: string };
        const known = variables(en.subject + en.body);
        for (const v of variables(value.subject + value.body))
          assert.ok(known.has(v), `${language}.${key} prints ${v}`);
      }
    }
  });
});

describe('which language a reader gets', () => {
  it("their locale's language when we write it, else the next one given (the workspace default), else English", () => {
    assert.deepEqual(
      ['pl-PL', 'ru', 'en-GB', 'pl_PL', 'RU-ru', 'de-DE', 'xx-!!', '', null].map((t) => languageOf(t)),
      ['pl', 'ru', 'en', 'pl', 'ru', null, null, null, null],
    );
    assert.equal(pickLanguage('pl-PL', 'ru'), 'pl');
    assert.equal(pickLanguage('de-DE', 'ru'), 'ru');
    assert.equal(pickLanguage(null, 'pl'), 'pl');
    assert.equal(pickLanguage('de', null), 'en');
  });

  it("a browser's Accept-Language: the best of ours by weight", () => {
    assert.equal(headerLanguage('pl-PL,pl;q=0.9,en-US;q=0.8,en;q=0.7'), 'pl');
    assert.equal(headerLanguage('de-DE,de;q=0.9,ru;q=0.8,en;q=0.5'), 'ru');
    assert.equal(headerLanguage('en;q=0.2, ru;q=0.9'), 'ru');
    assert.equal(headerLanguage('de, fr'), null);
    assert.equal(headerLanguage('pl;q=0'), null);
    assert.equal(headerLanguage(undefined), null);
  });
});
