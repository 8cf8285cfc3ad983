// Loyalty points conditions: a customer's spendable or pending points (src/loyalty), compared as a number; a customer
// without an account has 0. Every movement of points queues the customer for re-evaluation (it is a timeline event).
//   {"points": "available", "op": "gte", "value": 500}
import { z } from 'zod';
import { checkOps, numberShapes, ops, show, union, type Between, type NumberOp } from '../schema.ts';
import { numberCompare } from '../sql.ts';
import type { ConditionHandler } from './handler.ts';

export const POINT_BALANCES = ['available', 'pending'] as const;
export type PointsNode = { points: (typeof POINT_BALANCES)[number] } & Between;

const schemas = ops('points', z.enum(POINT_BALANCES), numberShapes);

export const points: ConditionHandler<PointsNode> = {
  schema: union(schemas),
  check(node, path, errors) {
    if (!POINT_BALANCES.includes(node.points as PointsNode['points'])) {
      return void errors.push({
        path: `${path}.points`,
        message: `${show(node.points)} is not one of ${POINT_BALANCES.join(', ')}`,
      });
    }
    checkOps(node, path, schemas, errors);
  },
  compile(n, _now, p) {
    const column = n.points === 'available' ? 'available' : 'pending';
    const balance = `COALESCE((SELECT la.${column} FROM loyalty_accounts la WHERE la.workspace_id = $1 AND la.customer_id = c.id), 0)`;
    return numberCompare(`${balance}::numeric`, n.op as NumberOp, n.value as number | [number, number], p);
  },
};
