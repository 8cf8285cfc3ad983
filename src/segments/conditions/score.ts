// Score conditions: a model score on the customer (src/scores/descriptor.ts lists them), a number compared or a text
// matched; a text score with fixed values refuses any other.
//   {"score": "churn_risk", "op": "in", "value": ["medium", "high"]}   {"score": "p_alive", "op": "lt", "value": 0.3}
import { z } from 'zod';
import { assertNever } from '../../lib/index.ts';
import {
  FILTERABLE_SCORES,
  NUMBER_SCORES,
  scoreOf,
  TEXT_SCORES,
  type NumberScoreName,
  type TextScoreName,
} from '../../scores/index.ts';
import { checkOps, numberShapes, ops, show, union, type Between, type NumberOp } from '../schema.ts';
import { numberCompare } from '../sql.ts';
import type { ConditionHandler } from './handler.ts';

export type ScoreNode =
  | ({ score: NumberScoreName } & (Between | { op: 'exists' | 'not_exists' }))
  | ({ score: TextScoreName } & (
      | { op: 'equals' | 'not_equals'; value: string }
      | { op: 'in'; value: string[] }
      | { op: 'exists' | 'not_exists' }
    ));

const filterable = <T extends string>(names: readonly T[]) =>
  names.filter((n) => (FILTERABLE_SCORES as readonly string[]).includes(n)) as [T, ...T[]];
const text = z.string().min(1).max(200);
const numberSchemas = ops('score', z.enum(filterable(NUMBER_SCORES)), { ...numberShapes, exists: {}, not_exists: {} });
const textSchemas = ops('score', z.enum(filterable(TEXT_SCORES)), {
  equals: { value: text },
  not_equals: { value: text },
  in: { value: z.array(text).min(1).max(100) },
  exists: {},
  not_exists: {},
});

export const score: ConditionHandler<ScoreNode> = {
  schema: z.union([union(numberSchemas), union(textSchemas)]),
  check(node, path, errors) {
    const d = typeof node.score === 'string' ? scoreOf(node.score) : undefined;
    if (!d?.filterable)
      return void errors.push({
        path: `${path}.score`,
        message: `${show(node.score)} is not one of ${FILTERABLE_SCORES.join(', ')}`,
      });
    const passed = checkOps(
      node,
      path,
      d.type === 'number' ? numberSchemas : textSchemas,
      errors,
      ` (for ${show(d.name)})`,
    );
    if (passed && d.values && 'value' in node) {
      const values = Array.isArray(node.value) ? node.value : [node.value];
      values.forEach((v, i) => {
        if (!d.values!.includes(v as string)) {
          errors.push({
            path: Array.isArray(node.value) ? `${path}.value[${i}]` : `${path}.value`,
            message: `${show(v)} is not one of ${d.values!.join(', ')}`,
          });
        }
      });
    }
  },
  compile(n, _now, p) {
    const d = scoreOf(n.score)!;
    const col = `c.${d.name}`;
    switch (n.op) {
      case 'exists':
        return `${col} IS NOT NULL`;
      case 'not_exists':
        return `${col} IS NULL`;
      case 'in':
        return `${col} = ANY(${p.add(n.value, 'text[]')})`;
      case 'equals':
      case 'not_equals':
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
      case 'between': {
        if (typeof n.value === 'string') {
          const eq = `${col} = ${p.add(n.value, 'text')}`;
          return n.op === 'equals' ? eq : `NOT COALESCE(${eq}, false)`;
        }
        // float8 scores compare as float8, exactly as scoring computed them (a numeric cast keeps 15 digits:
        // 0.19999999999999998 would not be below 0.2); small integers (R, F, M) as numeric
        const float = d.sql === 'float8';
        return numberCompare(
          float ? col : `${col}::numeric`,
          n.op as NumberOp,
          n.value as number | [number, number],
          p,
          float ? 'float8' : 'numeric',
        );
      }
      default:
        return assertNever(n, 'score op');
    }
  },
  reads: (n) => ({ scores: [n.score] }),
};
