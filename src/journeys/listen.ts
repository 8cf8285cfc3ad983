// What a run listens for (pure): its exits (the goal; leaving the trigger segment) and the event its wait expects, as
// rules an event meets or not. The inbox, the runner and the dispatcher all judge by these, so an exit or a wait matches
// the same events whichever of them sees it first.
import { stepById, type JourneyDefinition } from './definition.ts';
import { bySegmentRunner, entityKey } from './match.ts';
import { matchesWhere } from '../lib/index.ts';
import type { RunContext } from './steps.ts';
import { triggerHandler, type StartingEvent } from './triggers.ts';
import { assertNever } from '../lib/index.ts';

/** An event as both the inbox and the event log give it. */
export interface SeenEvent {
  name: string;
  messageId: string;
  properties: unknown;
  at: Date;
}

export interface Listening {
  event: string;
  where?: Record<string, string | number | boolean>;
  /** With sameKey: the property that must carry the run's key (the same cart). */
  keyPath?: string;
  key: string;
  /** Events from this instant on count (inclusive)… */
  since: Date;
  /** …up to this one (inclusive; a wait's timeout). */
  until?: Date;
  /** The event that started the run: never its own goal, nor what its wait waits for. */
  triggerMessageId?: string;
  /** With keyPath: an event that carries no key at all counts too (a goal: an order that names no cart ends every cart's run). */
  keylessCounts?: boolean;
  /** Only events of the segment runner count (leaving the trigger segment): their message ids begin with SEGMENT_EVENT_PREFIX. */
  fromSegmentRunner?: boolean;
}

export interface RunView {
  entryKey: string;
  context: RunContext;
}

const keyPathOf = (def: JourneyDefinition, sameKey: boolean) =>
  sameKey ? triggerHandler(def.trigger).keyPath(def.trigger) : undefined;

/** The run's goal: the goal event after the run's trigger (the trigger itself excluded), or null without a goal. */
export function goalOf(def: JourneyDefinition, run: RunView): Listening | null {
  const goal = def.goal;
  if (!goal) return null;
  return {
    event: goal.event,
    where: goal.where,
    keyPath: keyPathOf(def, goal.sameKey),
    key: run.entryKey,
    since: new Date(run.context.enteredAt),
    triggerMessageId: run.context.trigger?.messageId,
    keylessCounts: true,
  };
}

/** Why a run ends before its last step: its goal was reached, or the customer left its trigger segment. */
export type ExitReason = 'goal_reached' | 'left_segment';

export interface ExitRule extends Listening {
  reason: ExitReason;
}

/**
 * The events that end the run and cancel its messages not sent yet: the goal, and for a segment trigger with
 * `exitOnLeave`, that segment's `Segment Exited` (after the entry; a later re-entry does not undo it).
 */
export function exitsOf(def: JourneyDefinition, run: RunView): ExitRule[] {
  const goal = goalOf(def, run);
  return [
    ...(goal ? [{ ...goal, reason: 'goal_reached' as const }] : []),
    ...(triggerHandler(def.trigger).exits?.(def.trigger, run) ?? []),
  ];
}

/** The first exit rule the event meets, or null. */
export const exitBy = (rules: ExitRule[], e: SeenEvent): ExitRule | null => rules.find((r) => hears(r, e)) ?? null;

/** Words for people: why the run ended, naming the event. */
export function exitDetail(
  rule: Pick<ExitRule, 'reason' | 'event' | 'where'>,
  e: Pick<SeenEvent, 'name' | 'at'>,
): string {
  switch (rule.reason) {
    case 'goal_reached':
      return `the journey's goal was reached (${e.name} at ${e.at.toISOString()})`;
    case 'left_segment':
      return `the customer left the segment "${String(rule.where?.segmentId)}" (${e.at.toISOString()})`;
    default:
      return assertNever(rule.reason, 'exit reason');
  }
}

/** What the run's open wait expects: its event from the wait's start to its timeout; null when not waiting (or matched). */
export function waitOf(def: JourneyDefinition, run: RunView): Listening | null {
  const wait = run.context.wait;
  if (!wait || wait.matched) return null;
  const step = stepById(def, wait.step);
  if (step.type !== 'wait') return null;
  return {
    event: step.event,
    where: step.where,
    keyPath: keyPathOf(def, step.sameKey),
    key: run.entryKey,
    since: new Date(wait.since),
    until: new Date(wait.until),
    triggerMessageId: run.context.trigger?.messageId,
  };
}

/** Whether the event is one the run listens for: name, filter (as trigger filters match), key, time, not the trigger. */
export function hears(listening: Listening, e: SeenEvent): boolean {
  return (
    e.name === listening.event &&
    e.messageId !== listening.triggerMessageId &&
    (!listening.fromSegmentRunner || bySegmentRunner(e.messageId)) &&
    e.at >= listening.since &&
    (!listening.until || e.at <= listening.until) &&
    matchesWhere(e.properties, listening.where) &&
    sameKey(listening, e)
  );
}

/** The event is about the run's key (read in either spelling), or carries none and the rule lets that count. */
function sameKey(listening: Listening, e: SeenEvent): boolean {
  if (listening.keyPath === undefined) return true;
  const key = entityKey(e.properties, listening.keyPath);
  return key === listening.key || (key === null && listening.keylessCounts === true);
}

/**
 * The run key when the event starts the journey, or null (event trigger: name and filter; segment trigger: that
 * segment's entry or exit, as the segment runner wrote it: a real change of membership; time-driven kinds: never).
 */
export const triggerKey = (def: JourneyDefinition, e: StartingEvent): string | null =>
  triggerHandler(def.trigger).key(def.trigger, e);
