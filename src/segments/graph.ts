// Segment dependencies (pure): segments that use other segments are evaluated after them; cycles are refused.
import { DomainError } from '../lib/index.ts';
export class SegmentCycle extends DomainError {
  declare readonly code: 'segment_cycle';
  constructor(readonly cycle: string[]) {
    super(
      'segment_cycle',
      400,
      `segments depend on each other in a cycle: ${cycle.join(' → ')}; remove one of these membership conditions`,
    );
  }
}

/**
 * Orders segment ids so that every segment comes after the segments it refers to (refs outside the set are ignored).
 * Ties keep the input order. Throws SegmentCycle naming the cycle.
 */
export function dependencyOrder(segments: { id: string; refs: string[] }[]): string[] {
  const refs = new Map(segments.map((s) => [s.id, s.refs.filter((r) => r !== undefined)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const visit = (id: string, path: string[]) => {
    const st = state.get(id);
    if (st === 'done') return;
    if (st === 'visiting') throw new SegmentCycle([...path.slice(path.indexOf(id)), id]);
    state.set(id, 'visiting');
    for (const dep of refs.get(id) ?? []) if (refs.has(dep)) visit(dep, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const s of segments) visit(s.id, []);
  return order;
}

/**
 * The dependency order of the segments outside any cycle, and the cycles left out (a reference to a left-out segment
 * is then outside the set, as dependencyOrder ignores it). For stored segments, where a cycle can only have been
 * planted around the checks that refuse one: the others still have an order.
 */
export function orderSkippingCycles(segments: { id: string; refs: string[] }[]): {
  order: string[];
  cycles: SegmentCycle[];
} {
  const cycles: SegmentCycle[] = [];
  for (let left = segments; ; ) {
    try {
      return { order: dependencyOrder(left), cycles };
    } catch (err) {
      if (!(err instanceof SegmentCycle)) throw err;
      cycles.push(err);
      const cyclic = new Set(err.cycle);
      left = left.filter((s) => !cyclic.has(s.id));
    }
  }
}
