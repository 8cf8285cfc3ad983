// Journey and template problems carry stable codes beside their English words, and the dashboard has words for every
// code in every language: the lists are the server's one record of codes (src/journeys/problem-codes.ts,
// src/messaging/templates/problem-codes.ts), and each row below is a real mistake that must come back with its code.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JOURNEY_PROBLEM_CODES } from '../../src/journeys/problem-codes.ts';
import { TEMPLATE_PROBLEM_CODES } from '../../src/messaging/templates/problem-codes.ts';
import { validateJourney, type DefinitionError } from '../../src/journeys/definition.ts';
import { readinessProblems } from '../../src/journeys/readiness.ts';
import { templateProblems } from '../../src/messaging/templates/schema.ts';
import { closeRenderPool } from '../../src/messaging/templates/render-pool.ts';
import { CATALOGUES, LANGUAGES } from '../../web/src/i18n/core.ts';

describe('every problem code has words in every dashboard language', () => {
  for (const [prefix, codes] of [
    ['journeyProblem', JOURNEY_PROBLEM_CODES],
    ['templateProblem', TEMPLATE_PROBLEM_CODES],
  ] as const) {
    for (const language of LANGUAGES) {
      it(`${prefix} in ${language}`, () => {
        const missing = codes.filter((code) => !CATALOGUES[language][`${prefix}.${code}`]);
        assert.deepEqual(missing, [], `${language} has no words for these codes`);
      });
    }
    it(`${prefix}: the codes are distinct`, () => assert.equal(new Set(codes).size, codes.length));
  }
});

const journey = {
  trigger: { type: 'event', event: 'Product Added', key: 'cartId' },
  start: 'hour',
  steps: [
    { id: 'hour', type: 'delay', duration: 'PT1H', next: 'remind' },
    { id: 'remind', type: 'send', template: 'cart-reminder', channel: { fixed: 'email' } },
  ],
};
const steps = (...list: object[]) => ({ ...journey, steps: list });
const noWorkspace = {
  templates: new Map<string, Set<string>>(),
  providers: new Set<string>(),
  segments: new Map<string, 'active' | 'archived'>(),
};

const journeyRows: {
  name: string;
  definition: object;
  ready?: boolean;
  problem: Pick<DefinitionError, 'path' | 'code' | 'values'>;
}[] = [
  {
    name: 'a send step with no template',
    definition: steps({ id: 'hour', type: 'send', channel: { fixed: 'email' } }),
    problem: { path: '$.steps[0].template', code: 'required' },
  },
  {
    name: 'a send step with an empty template id',
    definition: steps({ id: 'hour', type: 'send', template: '', channel: { fixed: 'email' } }),
    problem: { path: '$.steps[0].template', code: 'bad_id' },
  },
  {
    name: 'a delay that is not a duration',
    definition: steps({ id: 'hour', type: 'delay', duration: 'an hour' }),
    problem: { path: '$.steps[0].duration', code: 'bad_duration' },
  },
  {
    name: 'an edge to no step',
    definition: steps({ id: 'hour', type: 'delay', duration: 'PT1H', next: 'gone' }),
    problem: { path: '$.steps[0].next', code: 'no_such_step', values: { id: 'gone' } },
  },
  {
    name: 'two steps with one id',
    definition: steps({ id: 'hour', type: 'delay', duration: 'PT1H', next: 'hour' }, { id: 'hour', type: 'exit' }),
    problem: { path: '$.steps[1].id', code: 'duplicate_id', values: { id: 'hour', index: 0 } },
  },
  {
    name: 'a branch going nowhere',
    definition: steps({ id: 'hour', type: 'branch', condition: { field: 'orders_count', op: 'gt', value: 1 } }),
    problem: { path: '$.steps[0]', code: 'branch_needs_edge' },
  },
  {
    name: 'a template the workspace lacks',
    definition: journey,
    ready: true,
    problem: { path: '$.steps[1].template', code: 'no_template', values: { template: 'cart-reminder' } },
  },
  {
    name: 'a channel without a provider',
    definition: journey,
    ready: true,
    problem: { path: '$.steps[1].channel.fixed', code: 'no_provider', values: { channel: 'e-mail' } },
  },
];

describe('journey problems carry stable codes', () => {
  for (const row of journeyRows) {
    it(row.name, () => {
      const checked = validateJourney(row.definition);
      let problems: DefinitionError[];
      if (row.ready) {
        assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.errors));
        problems = readinessProblems(checked.definition, noWorkspace);
      } else {
        assert.ok(!checked.ok, 'refused');
        problems = checked.errors;
      }
      for (const p of problems) {
        assert.ok(p.message.length > 0, 'the English words stay');
        assert.ok((JOURNEY_PROBLEM_CODES as readonly string[]).includes(p.code), `${p.code} is in the list`);
      }
      const found = problems.find((p) => p.path === row.problem.path && p.code === row.problem.code);
      assert.ok(found, `${row.problem.code} at ${row.problem.path} in ${JSON.stringify(problems)}`);
      if (row.problem.values) assert.deepEqual(found.values, row.problem.values);
    });
  }
});

const templateRows: {
  name: string;
  content: object;
  problem: { path: string; code: string; values?: Record<string, unknown> };
}[] = [
  {
    name: 'an unknown variable',
    content: { en: { sms: { text: 'Hi {{ custmer.first_name }}' } } },
    problem: { path: '$.en.sms.text', code: 'unknown_variable' },
  },
  {
    name: 'a tag never closed',
    content: { en: { sms: { text: 'Hi {% if customer.first_name %}there' } } },
    problem: { path: '$.en.sms.text', code: 'tag_not_closed' },
  },
  {
    name: 'an unknown filter',
    content: { en: { sms: { text: '{{ customer.first_name | shout }}' } } },
    problem: { path: '$.en.sms.text', code: 'unknown_filter', values: { filter: 'shout' } },
  },
  { name: 'a variant with no content', content: { en: {} }, problem: { path: '$.en', code: 'variant_empty' } },
  {
    name: 'a locale that is not one',
    content: { xx_yy_zz: { sms: { text: 'Hi' } } },
    problem: { path: '$.xx_yy_zz', code: 'not_a_locale' },
  },
];

describe('template problems carry stable codes', () => {
  for (const row of templateRows) {
    it(row.name, async () => {
      const problems = await templateProblems(Object.keys(row.content)[0], row.content);
      for (const p of problems) {
        assert.ok(p.message.length > 0, 'the English words stay');
        assert.ok((TEMPLATE_PROBLEM_CODES as readonly string[]).includes(p.code), `${p.code} is in the list`);
      }
      const found = problems.find((p) => p.path === row.problem.path && p.code === row.problem.code);
      assert.ok(found, `${row.problem.code} at ${row.problem.path} in ${JSON.stringify(problems)}`);
      if (row.problem.values)
        for (const [k, v] of Object.entries(row.problem.values)) assert.equal(found.values?.[k], v);
    });
  }
  after(closeRenderPool);
});
