// Segment conditions: membership of another segment (a dependency: that segment is evaluated first, cycles are refused).
//   {"segment": "vip", "op": "not_member"}
import { z } from 'zod';
import { checkOps, ops, union } from '../schema.ts';
import type { ConditionHandler } from './handler.ts';

export const SEGMENT_ID = /^[A-Za-z0-9_.-]{1,64}$/;
export type SegmentNode = { segment: string; op: 'member' | 'not_member' };

const schemas = ops('segment', z.string().regex(SEGMENT_ID, 'expected a segment id (letters, digits, _ . -)'), {
  member: {},
  not_member: {},
});

export const segment: ConditionHandler<SegmentNode> = {
  schema: union(schemas),
  check: (node, path, errors) => void checkOps(node, path, schemas, errors),
  compile(n, _now, p) {
    const member = `EXISTS (SELECT 1 FROM segment_members m WHERE m.workspace_id = $1 AND m.segment_id = ${p.add(n.segment, 'text')} AND m.customer_id = c.id)`;
    return n.op === 'member' ? member : `NOT ${member}`;
  },
  reads: (n) => ({ segments: [n.segment] }),
};
