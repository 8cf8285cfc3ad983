// Segment definitions (pure): the JSON language as zod schemas, and validation that names the bad node by its JSON path.
// Each leaf kind is one handler record in ./conditions/ (its schema, SQL, time-crossing queries and dependencies).
//
// A definition is one condition node. Composite nodes: {and: [..]}, {or: [..]}, {not: ..}. Leaf nodes are told apart
// by their first key: trait, aggregate, event, score, segment, consent, coupon. Examples:
//   {"trait": "plan", "op": "equals", "value": "gold"}
//   {"aggregate": "days_since_last_order", "op": "gt", "value": 90}
//   {"event": "Product Viewed", "op": "at_least", "count": 3, "days": 30}
//   {"event": "Order Completed", "op": "at_least", "count": 1, "where": {"category": "shoes"}, "days": 60}
//   {"event": "Cart Viewed", "op": "not_for", "days": 14}
//   {"score": "churn_risk", "op": "in", "value": ["medium", "high"]}
//   {"segment": "vip", "op": "not_member"}
//   {"consent": "email", "purpose": "marketing"}
//   {"coupon": "spring", "status": "expiring", "days": 3}
import { InvalidDefinitionError } from '../lib/index.ts';
import { z } from 'zod';
import { CONDITIONS, handlerOf, LEAF_KINDS, type Leaf, type Reads, type ScoreNode } from './conditions/index.ts';
import { show, type DefinitionError } from './schema.ts';

export { type DefinitionError } from './schema.ts';
export { SEGMENT_ID } from './conditions/segment.ts';
export type { ScoreNode } from './conditions/index.ts';

export type Condition = { and: Condition[] } | { or: Condition[] } | { not: Condition } | Leaf;

/** The whole language as one zod schema (for OpenAPI and typing); validateDefinition gives the better errors. */
export const Definition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ and: z.array(Definition).min(1) }),
    z.strictObject({ or: z.array(Definition).min(1) }),
    z.strictObject({ not: Definition }),
    ...LEAF_KINDS.map((k) => CONDITIONS[k].schema),
  ]),
) as z.ZodType<Condition>;

// ---- validation ----
export type Validation = { ok: true; definition: Condition } | { ok: false; errors: DefinitionError[] };

export const KINDS = ['and', 'or', 'not', ...LEAF_KINDS] as const;
const LIMITS = { depth: 32, nodes: 500, children: 100 };

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Validates a definition: the typed definition, or every error with the JSON path of the bad node and what is wrong. */
export function validateDefinition(def: unknown): Validation {
  const errors: DefinitionError[] = [];
  let nodes = 0;
  const walk = (node: unknown, path: string, depth: number): void => {
    if (++nodes > LIMITS.nodes) {
      if (nodes === LIMITS.nodes + 1)
        errors.push({ path, message: `a definition may have at most ${LIMITS.nodes} nodes` });
      return;
    }
    if (depth > LIMITS.depth) return void errors.push({ path, message: `nested deeper than ${LIMITS.depth} levels` });
    if (!isObject(node)) return void errors.push({ path, message: `expected a condition object, got ${show(node)}` });
    const kinds = KINDS.filter((k) => k in node);
    if (kinds.length === 0) return void errors.push({ path, message: `expected one of the keys ${KINDS.join(', ')}` });
    if (kinds.length > 1)
      return void errors.push({
        path,
        message: `has both ${kinds.map((k) => show(k)).join(' and ')}; a node is exactly one condition`,
      });
    const kind = kinds[0]!;
    if (kind === 'and' || kind === 'or' || kind === 'not') {
      const extra = Object.keys(node).filter((k) => k !== kind);
      if (extra.length)
        errors.push({
          path,
          message: `unknown key${extra.length > 1 ? 's' : ''} ${extra.map((k) => show(k)).join(', ')} next to ${show(kind)}`,
        });
      const inner = node[kind];
      if (kind === 'not') return walk(inner, `${path}.not`, depth + 1);
      if (!Array.isArray(inner) || inner.length === 0)
        return void errors.push({ path: `${path}.${kind}`, message: 'expected a non-empty array of conditions' });
      if (inner.length > LIMITS.children)
        return void errors.push({ path: `${path}.${kind}`, message: `at most ${LIMITS.children} conditions` });
      inner.forEach((child, i) => walk(child, `${path}.${kind}[${i}]`, depth + 1));
      return;
    }
    CONDITIONS[kind].check(node, path, errors);
  };
  walk(def, '$', 0);
  return errors.length ? { ok: false, errors } : { ok: true, definition: def as Condition };
}

export class InvalidDefinition extends InvalidDefinitionError {
  constructor(errors: DefinitionError[]) {
    super('segment', errors);
  }
}

/** The typed definition, or throws InvalidDefinition listing every error. */
export function parseDefinition(def: unknown): Condition {
  const v = validateDefinition(def);
  if (!v.ok) throw new InvalidDefinition(v.errors);
  return v.definition;
}

/** What the leaves of a definition read, of one sort (each once). */
const reads = <K extends keyof Reads>(def: Condition, what: K): NonNullable<Reads[K]> =>
  [...new Set(leaves(def).flatMap((n) => handlerOf(n).reads?.(n)[what] ?? []))] as NonNullable<Reads[K]>;

/** Ids of the segments a definition refers to (its dependencies). */
export const segmentRefs = (def: Condition): string[] => reads(def, 'segments');

/** Each segment a definition refers to, with the JSON path of its condition below `path` (`$.and[1]`). */
export function segmentRefsAt(def: Condition, path = '$'): { segment: string; path: string }[] {
  if ('and' in def) return def.and.flatMap((c, i) => segmentRefsAt(c, `${path}.and[${i}]`));
  if ('or' in def) return def.or.flatMap((c, i) => segmentRefsAt(c, `${path}.or[${i}]`));
  if ('not' in def) return segmentRefsAt(def.not, `${path}.not`);
  return (handlerOf(def).reads?.(def).segments ?? []).map((segment) => ({ segment, path }));
}

/** The scores a definition reads (score conditions, wherever they are nested). */
export const scoresRead = (def: Condition): ScoreNode['score'][] => reads(def, 'scores');

/** The event names a definition's event conditions read. */
export const eventsRead = (def: Condition): string[] => reads(def, 'events');

/** The leaf conditions of a definition, with every and / or / not opened. */
function leaves(def: Condition): Leaf[] {
  const out: Leaf[] = [];
  const walk = (n: Condition) => {
    if ('and' in n) n.and.forEach(walk);
    else if ('or' in n) n.or.forEach(walk);
    else if ('not' in n) walk(n.not);
    else out.push(n);
  };
  walk(def);
  return out;
}
