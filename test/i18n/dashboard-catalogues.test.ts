// The dashboard's three catalogues (web/src/i18n/{en,pl,ru}.json) against each other and against the source: every key
// in all three, every key used, every used key present, and every message valid ICU with the same placeholders.
// Keys are found by the one call the dashboard says words with, t('key'…); any other call of t is refused, so the
// scan is exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { CATALOGUES, LANGUAGES } from '../../web/src/i18n/core.ts';

const WEB = fileURLToPath(new URL('../../web/src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Every t('key') in the dashboard's source, and every call of t that is not of that form. */
function usages(): { keys: Map<string, string[]>; irregular: string[] } {
  const keys = new Map<string, string[]>();
  const irregular: string[] = [];
  for (const file of sources(WEB)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?<![\w.$]|function )t\(\s*(?:'([^'\n]+)'|([^)\s]?))/g)) {
      if (m[1] !== undefined) keys.set(m[1], [...(keys.get(m[1]) ?? []), file.slice(WEB.length)]);
      else irregular.push(`${file.slice(WEB.length)}: ${text.slice(m.index, m.index + 40).split('\n')[0]}`);
    }
  }
  return { keys, irregular };
}

/** The argument names a message uses (placeholders, plurals, selects), nested ones too. */
function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const el of elements) {
    if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
    into.add(el.value);
    if (el.type === TYPE.plural || el.type === TYPE.select)
      for (const o of Object.values(el.options)) argumentsOf(o.value, into);
    if (el.type === TYPE.tag) argumentsOf(el.children, into);
  }
  return into;
}

test('every key is in all three catalogues', () => {
  const all = new Set(LANGUAGES.flatMap((l) => Object.keys(CATALOGUES[l])));
  for (const lang of LANGUAGES) {
    const missing = [...all].filter((k) => !(k in CATALOGUES[lang]));
    assert.deepEqual(missing, [], `keys missing from ${lang}.json`);
  }
  assert.ok(all.size > 0);
});

test('every message is non-empty ICU with the same arguments in all three languages', () => {
  for (const key of Object.keys(CATALOGUES.en)) {
    const args = LANGUAGES.map((lang) => {
      const text = CATALOGUES[lang][key] ?? '';
      assert.ok(text.trim(), `${lang}.json ${key} is empty`);
      let parsed: MessageFormatElement[];
      try {
        parsed = parse(text);
      } catch (err) {
        throw new Error(`${lang}.json ${key} is not valid ICU MessageFormat: ${(err as Error).message}`, {
          cause: err,
        });
      }
      return [...argumentsOf(parsed)].sort().join(',');
    });
    assert.equal(args[1], args[0], `pl.json ${key} has the arguments of en.json`);
    assert.equal(args[2], args[0], `ru.json ${key} has the arguments of en.json`);
  }
});

test("the source says every word with t('key'): every key used exists, every key in the catalogues is used", () => {
  const { keys, irregular } = usages();
  assert.deepEqual(irregular, [], "t() called without a literal key: write t('key', values) so the keys can be found");
  const unknown = [...keys].filter(([k]) => !(k in CATALOGUES.en)).map(([k, files]) => `${k} (${files.join(', ')})`);
  assert.deepEqual(unknown, [], 'keys used in web/src but not in en.json');
  const unused = Object.keys(CATALOGUES.en).filter((k) => !keys.has(k));
  assert.deepEqual(unused, [], 'keys in the catalogues that web/src never uses');
});

test('the scan sees what it must: a missing and an unused key are both caught', () => {
  // The scan's own check: the pattern finds a key in a call with values and refuses a computed key.
  const sample = `t('nav.overview'); t('a.b', { n: 1 }); x.t('no'); function t(key) {} t(name); format(t('c.d'))`;
  const found = [...sample.matchAll(/(?<![\w.$]|function )t\(\s*(?:'([^'\n]+)'|([^)\s]?))/g)].map(
    (m) => m[1] ?? `!${m[2]}`,
  );
  assert.deepEqual(found, ['nav.overview', 'a.b', '!n', 'c.d']);
});
