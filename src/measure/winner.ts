// Sending every customer to a split's winner (pure): the journey's definition with the split step gone, every way
// into it leading where the winning arm led, and the steps only the losing arms reached removed.
import { edges, type JourneyDefinition } from '../journeys/index.ts';
import { DomainError } from '../lib/index.ts';

/** A winner that cannot be sent all traffic: an arm that is not there (400), a step or journey that is not (404). */
export class WinnerError extends DomainError {
  constructor(field: 'arm' | 'step', message: string) {
    super(field === 'arm' ? 'invalid_request' : 'not_found', field === 'arm' ? 400 : 404, message, { field });
  }
}

type AnyStep = JourneyDefinition['steps'][number];

/** Points the edge `key` of a step (next, yes, no, timeoutNext, arms[i].next) at `to`, or ends the run there when `to` is undefined. */
function repoint(step: AnyStep, key: string, to: string | undefined): void {
  const arm = /^arms\[(\d+)\]\.next$/.exec(key);
  const holder = (arm ? (step as { arms: Record<string, unknown>[] }).arms[Number(arm[1])]! : step) as Record<
    string,
    unknown
  >;
  const field = arm ? 'next' : key;
  if (to === undefined) delete holder[field];
  else holder[field] = to;
}

export function withWinner(def: JourneyDefinition, splitId: string, armName: string): JourneyDefinition {
  const split = def.steps.find((s) => s.id === splitId);
  if (!split || split.type !== 'split')
    throw new WinnerError('step', `step: "${splitId}" is not a split step of this journey`);
  const arm = split.arms.find((a) => a.name === armName);
  if (!arm)
    throw new WinnerError(
      'arm',
      `arm: "${armName}" is not an arm of split "${splitId}" (its arms: ${split.arms.map((a) => `"${a.name}"`).join(', ')})`,
    );
  if (def.start === splitId && arm.next === undefined) {
    throw new WinnerError(
      'arm',
      `arm: "${armName}" ends the journey at once, so all traffic to it would send nothing; pause the journey instead`,
    );
  }
  const next: JourneyDefinition = structuredClone(def);
  next.steps = next.steps.filter((s) => s.id !== splitId);
  for (const step of next.steps) for (const e of edges(step)) if (e.to === splitId) repoint(step, e.key, arm.next);
  if (next.start === splitId) next.start = arm.next!;
  // Keep only the steps still reachable from the start.
  const byId = new Map(next.steps.map((s) => [s.id, s]));
  const reached = new Set<string>();
  const queue = [next.start];
  while (queue.length) {
    const id = queue.pop()!;
    if (reached.has(id) || !byId.has(id)) continue;
    reached.add(id);
    for (const e of edges(byId.get(id)!)) if (e.to) queue.push(e.to);
  }
  next.steps = next.steps.filter((s) => reached.has(s.id));
  return next;
}
