// Segment condition kinds as handler records: every kind of the language has one (a record without one does not
// compile), each example of a kind validates, compiles to SQL that holds no value, and reports what it reads; every
// score of the descriptor can be used in a condition on its own column.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONDITIONS,
  LEAF_KINDS,
  type ConditionHandlers,
  type LeafKind,
  type LeafNodes,
} from '../../src/segments/conditions/index.ts';
import {
  Definition,
  KINDS,
  scoresRead,
  segmentRefs,
  eventsRead,
  validateDefinition,
  type Condition,
} from '../../src/segments/dsl.ts';
import { compile, crossing } from '../../src/segments/compile.ts';
import { SCORES } from '../../src/scores/descriptor.ts';

/** One example per kind: a new kind without an example is a compile error here too. */
const EXAMPLES: { [K in LeafKind]: LeafNodes[K] } = {
  trait: { trait: 'birthday', op: 'within_last_days', days: 7 },
  aggregate: { aggregate: 'days_since_last_order', op: 'gt', value: 90 },
  event: { event: 'Product Viewed', op: 'at_least', count: 3, days: 30 },
  score: { score: 'churn_risk', op: 'in', value: ['high'] },
  segment: { segment: 'vip', op: 'not_member' },
  consent: { consent: 'email', purpose: 'marketing' },
  points: { points: 'available', op: 'gte', value: 500 },
  tier: { tier: 'current', op: 'in', value: ['Gold'] },
  coupon: { coupon: 'spring', status: 'expiring', days: 3 },
};

describe('segment condition kinds', () => {
  it('refuses, at compile time, a handler record that leaves a kind out', () => {
    const { consent: _left, ...incomplete } = CONDITIONS;
    // @ts-expect-error Property 'consent' is missing: every kind needs its handler
    const refused: ConditionHandlers = incomplete;
    assert.equal(Object.keys(refused).length, LEAF_KINDS.length - 1);
  });

  it('has a handler for every leaf kind of the language, and no other', () => {
    const leafKinds = KINDS.filter((k) => k !== 'and' && k !== 'or' && k !== 'not');
    assert.deepEqual([...leafKinds].sort(), Object.keys(CONDITIONS).sort());
    for (const kind of leafKinds) {
      const h = CONDITIONS[kind];
      assert.equal(typeof h.check, 'function', kind);
      assert.equal(typeof h.compile, 'function', kind);
      assert.ok(h.schema.safeParse(EXAMPLES[kind]).success, `${kind}: its own schema accepts its example`);
      assert.ok(Definition.safeParse(EXAMPLES[kind]).success, `${kind}: the language's schema includes it`);
    }
  });

  it('validates and compiles an example of each kind, values only as parameters', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    for (const kind of LEAF_KINDS) {
      const example = EXAMPLES[kind] as Condition;
      assert.deepEqual(validateDefinition(example), { ok: true, definition: example }, kind);
      const { where, params } = compile(example, now);
      assert.ok(params.length > 0, `${kind} has parameters`);
      for (const v of params.flat())
        if (typeof v === 'string' && v.length > 3)
          assert.ok(!where.includes(v), `${kind}: ${v} is not in the SQL text`);
    }
  });

  it('reports dependencies and time crossings through the handlers', () => {
    const all: Condition = { and: LEAF_KINDS.map((k) => EXAMPLES[k] as Condition) };
    assert.deepEqual(segmentRefs(all), ['vip']);
    assert.deepEqual(scoresRead(all), ['churn_risk']);
    assert.deepEqual(eventsRead(all), ['Product Viewed']);
    const reasons = crossing(all, new Date('2026-03-09T12:00:00Z'), new Date('2026-03-10T12:00:00Z')).map(
      (q) => q.reason,
    );
    assert.deepEqual(reasons, [
      'trait birthday within_last_days: the UTC day changed',
      'days_since_last_order crossed 91 days',
      'Product Viewed events left the 30-day window',
      'coupon spring codes expired',
      'coupon spring codes came within 3 days of expiry',
    ]);
  });

  it('lets every score of the descriptor be tested, on its own column', () => {
    for (const s of SCORES) {
      const def = { score: s.name, op: 'exists' };
      assert.equal(validateDefinition(def).ok, s.filterable, s.name);
      assert.match(compile(def as Condition, new Date()).where, new RegExp(`c\\.${s.name} IS NOT NULL`), s.name);
      const typed =
        s.type === 'number'
          ? { score: s.name, op: 'gte', value: 1 }
          : { score: s.name, op: 'equals', value: 'values' in s ? s.values[0] : 'x' };
      assert.equal(validateDefinition(typed).ok, true, `${s.name} takes a ${s.type} value`);
    }
  });
});

describe('segment condition kinds, checked by the compiler', () => {
  it('refuses a handler record without one kind, even where the suite runs without type-checking', async () => {
    const ts = (await import('typescript')).default;
    const dir = new URL('.', import.meta.url).pathname;
    const file = `${dir}__incomplete_handlers.ts`; // in memory only
    const source = `import { CONDITIONS, type ConditionHandlers } from '../../src/segments/conditions/index.ts';
const { consent: _left, ...incomplete } = CONDITIONS;
export const refused: ConditionHandlers = incomplete;
`;
    const options = {
      strict: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      skipLibCheck: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const read = host.readFile.bind(host);
    const getSource = host.getSourceFile.bind(host);
    host.readFile = (f) => (f === file ? source : read(f));
    host.fileExists = (
      (exists) => (f: string) =>
        f === file || exists(f)
    )(host.fileExists.bind(host));
    host.getSourceFile = (f, v, ...rest) => (f === file ? ts.createSourceFile(f, source, v) : getSource(f, v, ...rest));
    const program = ts.createProgram([file], options, host);
    const errors = ts
      .getPreEmitDiagnostics(program, program.getSourceFile(file))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.ok(
      errors.some((m) => /Property 'consent' is missing/.test(m)),
      `expected the missing kind to be named, got: ${errors.join(' | ')}`,
    );
  });
});
