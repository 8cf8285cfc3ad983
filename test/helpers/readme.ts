// The README's examples as tests read them: a template its curl command creates, a JSON block after an intro.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

export const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The template the README's curl command creates with this id. */
export function readmeTemplate(id: string) {
  const body = new RegExp(`-d '(\\{\\s*"id": "${id}"[\\s\\S]*?\\})'`).exec(README);
  assert.ok(body, `README: no template "${id}"`);
  return JSON.parse(body[1]!);
}

/** The JSON block of the README that follows `intro`. */
export function readmeJson(intro: string) {
  const block = new RegExp(`${intro}[^\\n]*\\n(?:[^\\n]*\\n)*?\`\`\`json\\n([\\s\\S]*?)\`\`\``).exec(README);
  assert.ok(block, `README: no JSON block after "${intro}"`);
  return JSON.parse(block[1]!);
}
