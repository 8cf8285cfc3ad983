// Journey graph edits (pure): each step's outgoing slots, connecting them, adding / renaming / removing steps, and a
// layered layout for the steps that have no saved position yet.
import { newStep } from './steps';
import type { JourneyDef, Position, StepDef, StepType } from './types';
import { t } from '../i18n';

/** The canvas node of the trigger (a colon cannot appear in a step id). */
export const TRIGGER_NODE = ':trigger';
const X_GAP = 250;
const Y_GAP = 150;

/** An outgoing edge slot: the JSON key it writes (`next`, `yes`, `arms[1].next`…) and its label on the canvas. */
export interface Slot {
  key: string;
  label: string;
}

export function slots(step: StepDef): Slot[] {
  switch (step.type) {
    case 'exit':
      return [];
    case 'branch':
      return [
        { key: 'yes', label: t('graph.yes') },
        { key: 'no', label: t('graph.no') },
      ];
    case 'wait':
      return [
        { key: 'next', label: t('graph.event') },
        { key: 'timeoutNext', label: t('graph.timeout') },
      ];
    case 'split':
      return (step.arms ?? []).map((a, i) => ({
        key: `arms[${i}].next`,
        label: a.name || t('graph.arm', { n: i + 1 }),
      }));
    case 'delay':
    case 'holdout':
    case 'send':
    case 'update':
    case 'webhook':
    default: // and a step type this dashboard does not know yet (a newer server's): one outgoing edge
      return [{ key: 'next', label: '' }];
  }
}

const ARM = /^arms\[(\d+)\]\.next$/;

export function slotTarget(step: StepDef, key: string): string | undefined {
  const arm = ARM.exec(key);
  if (arm) return step.arms?.[Number(arm[1])]?.next;
  if (key === 'next' || key === 'yes' || key === 'no' || key === 'timeoutNext') return step[key];
  return undefined;
}

/** The step with slot `key` pointing at `to` (or at nothing). */
export function connect(step: StepDef, key: string, to: string | undefined): StepDef {
  const value = to || undefined;
  const arm = ARM.exec(key);
  if (arm) {
    const i = Number(arm[1]);
    return { ...step, arms: (step.arms ?? []).map((a, j) => (j === i ? { ...a, next: value } : a)) };
  }
  return { ...step, [key]: value };
}

/** The connected slots of a step. */
export function stepEdges(step: StepDef): (Slot & { to: string })[] {
  return slots(step).flatMap((s) => {
    const to = slotTarget(step, s.key);
    return to ? [{ ...s, to }] : [];
  });
}

export function replaceStep(def: JourneyDef, id: string, step: StepDef): JourneyDef {
  return { ...def, steps: def.steps.map((s) => (s.id === id ? step : s)) };
}

/** Every slot pointing at `from` now points at `to` (undefined: at nothing). */
function retarget(def: JourneyDef, from: string, to: string | undefined): JourneyDef {
  const steps = def.steps.map((s) =>
    slots(s).reduce((acc, slot) => (slotTarget(acc, slot.key) === from ? connect(acc, slot.key, to) : acc), s),
  );
  return { ...def, start: def.start === from ? (to ?? '') : def.start, steps };
}

export function renameStep(def: JourneyDef, from: string, to: string): JourneyDef {
  const renamed = { ...def, steps: def.steps.map((s) => (s.id === from ? { ...s, id: to } : s)) };
  return retarget(renamed, from, to);
}

export function removeStep(def: JourneyDef, id: string): JourneyDef {
  return retarget({ ...def, steps: def.steps.filter((s) => s.id !== id) }, id, undefined);
}

export function uniqueId(def: JourneyDef, base: string): string {
  const taken = new Set(def.steps.map((s) => s.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * Adds a step of `type` below `after` (else below the lowest step), linking `after`'s first free slot to it, and
 * making it the start when the journey has no valid start yet.
 */
export function addStep(def: JourneyDef, type: StepType, after: string | null): { def: JourneyDef; id: string } {
  const id = uniqueId(def, type);
  const positions = layout(def);
  const prev = after ? def.steps.find((s) => s.id === after) : undefined;
  const anchor = prev ? positions.get(prev.id) : undefined;
  const lowest = Math.max(0, ...[...positions.values()].map((p) => p.y));
  const ui: Position = anchor
    ? { x: anchor.x, y: anchor.y + Y_GAP }
    : { x: 0, y: def.steps.length ? lowest + Y_GAP : Y_GAP };
  let steps = [...def.steps, { ...newStep(type, id), ui }];
  if (prev) {
    const free = slots(prev).find((s) => !slotTarget(prev, s.key));
    if (free) steps = steps.map((s) => (s.id === prev.id ? connect(s, free.key, id) : s));
  }
  const hasStart = def.steps.some((s) => s.id === def.start);
  return { def: { ...def, steps, start: hasStart ? def.start : id }, id };
}

/** Where each step is drawn: its saved `ui`, else a row by its distance from the start (unreachable steps last). */
export function layout(def: JourneyDef): Map<string, Position> {
  const byId = new Map(def.steps.map((s) => [s.id, s]));
  const depth = new Map<string, number>();
  const queue = byId.has(def.start) ? [def.start] : [];
  if (queue.length) depth.set(def.start, 0);
  while (queue.length) {
    const id = queue.shift()!;
    for (const e of stepEdges(byId.get(id)!)) {
      if (byId.has(e.to) && !depth.has(e.to)) {
        depth.set(e.to, depth.get(id)! + 1);
        queue.push(e.to);
      }
    }
  }
  const deepest = Math.max(-1, ...depth.values());
  const perRow = new Map<number, number>();
  const out = new Map<string, Position>();
  for (const s of def.steps) {
    if (s.ui) {
      out.set(s.id, s.ui);
      continue;
    }
    const row = depth.get(s.id) ?? deepest + 1;
    const col = perRow.get(row) ?? 0;
    perRow.set(row, col + 1);
    out.set(s.id, { x: col * X_GAP, y: (row + 1) * Y_GAP });
  }
  return out;
}

/** Where the trigger is drawn: above the start step. */
export function triggerPosition(def: JourneyDef, positions: Map<string, Position>): Position {
  const start = positions.get(def.start);
  return start ? { x: start.x, y: start.y - Y_GAP } : { x: 0, y: 0 };
}

/** The definition with every step's position written into `ui`, so the layout persists. */
export function withPositions(def: JourneyDef): JourneyDef {
  const positions = layout(def);
  return { ...def, steps: def.steps.map((s) => ({ ...s, ui: s.ui ?? positions.get(s.id) })) };
}

/** The step index an error path such as `$.steps[2].duration` is about. */
export function stepIndexOfPath(path: string): number | null {
  const m = /^\$\.steps\[(\d+)\]/.exec(path);
  return m ? Number(m[1]) : null;
}
