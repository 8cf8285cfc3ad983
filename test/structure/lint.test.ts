// The linter can fail: ESLint, with the project's own configuration and type information, reports each finding planted
// in test/structure/fixtures/lint/planted.ts (a switch that forgets a union member behind a default, a floating promise,
// an async callback where a void one is expected) and nothing in fixed.ts, the same code as the house rules want it.
// `npm run lint` skips the fixtures; a whole `npm test` run lints the real tree (scripts/test.mjs).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = 'test/structure/fixtures/lint';

const cases: { file: string; findings: string[] }[] = [
  {
    file: 'planted.ts',
    findings: [
      '6 @typescript-eslint/switch-exhaustiveness-check: Cases not matched: "push"',
      '21 @typescript-eslint/no-floating-promises',
      '25 @typescript-eslint/no-misused-promises',
    ],
  },
  { file: 'fixed.ts', findings: [] },
];

describe('the linter on planted findings', () => {
  // `ignore: false`: the configuration's own ignore list (which holds the fixtures) does not apply here.
  const eslint = new ESLint({ cwd: ROOT, ignore: false });

  for (const { file, findings } of cases) {
    it(`${file}: ${findings.length ? findings.map((f) => f.split(' ')[1]!.replace(/:$/, '')).join(', ') : 'no finding'}`, async () => {
      const [result] = await eslint.lintFiles([`${FIXTURES}/${file}`]);
      const seen = result!.messages.map(
        (m) =>
          `${m.line} ${m.ruleId}${m.ruleId?.endsWith('exhaustiveness-check') ? `: ${m.message.replace(/^.*\. (?=Cases)/, '')}` : ''}`,
      );
      assert.deepEqual(seen, findings);
    });
  }
});
