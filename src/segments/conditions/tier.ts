// Loyalty tier conditions: the customer's current tier (src/loyalty) is, is not, is one of, or there is one at all.
//   {"tier": "current", "op": "in", "value": ["Gold", "Platinum"]}   {"tier": "current", "op": "not_exists"}
import { z } from 'zod';
import { assertNever } from '../../lib/index.ts';
import { checkOps, ops, show, union } from '../schema.ts';
import type { ConditionHandler } from './handler.ts';

export type TierNode =
  | { tier: 'current'; op: 'equals' | 'not_equals'; value: string }
  | { tier: 'current'; op: 'in'; value: string[] }
  | { tier: 'current'; op: 'exists' | 'not_exists' };

const name = z.string().min(1).max(200);
const schemas = ops('tier', z.literal('current'), {
  equals: { value: name },
  not_equals: { value: name },
  in: { value: z.array(name).min(1).max(20) },
  exists: {},
  not_exists: {},
});

const TIER = '(SELECT la.tier FROM loyalty_accounts la WHERE la.workspace_id = $1 AND la.customer_id = c.id)';

export const tier: ConditionHandler<TierNode> = {
  schema: union(schemas),
  check(node, path, errors) {
    if (node.tier !== 'current')
      return void errors.push({ path: `${path}.tier`, message: `${show(node.tier)} is not "current"` });
    checkOps(node, path, schemas, errors);
  },
  compile(n, _now, p) {
    switch (n.op) {
      case 'exists':
        return `${TIER} IS NOT NULL`;
      case 'not_exists':
        return `${TIER} IS NULL`;
      case 'equals':
        return `${TIER} = ${p.add(n.value, 'text')}`;
      case 'not_equals':
        return `NOT COALESCE(${TIER} = ${p.add(n.value, 'text')}, false)`;
      case 'in':
        return `${TIER} = ANY(${p.add(n.value, 'text[]')})`;
      default:
        return assertNever(n, 'tier op');
    }
  },
};
