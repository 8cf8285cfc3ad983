// The trigger kinds (pure): each is one handler record with its schema, the events that start it, the key of its runs,
// the segment it names, its own definition checks and the exits it adds. TRIGGER_KINDS holds one per kind and does not
// compile while one is missing. Time-driven kinds also have a sweep (store/sweeps.ts) and a default validity of their
// messages (validity.ts, light enough for the dashboard): both are records over the kinds too.
import { z } from 'zod';
import { SEGMENT_ENTERED, SEGMENT_EXITED } from '../customers/index.ts';
import type { DefinitionError, JourneyDefinition } from './definition.ts';
import type { ExitRule, RunView } from './listen.ts';
import { bySegmentRunner, entityKey } from './match.ts';
import { matchesWhere } from '../lib/index.ts';
import { cron, id, name, propertyPath, timeOfDay, where, zone } from './schema-parts.ts';

const EventTrigger = z.strictObject({
  type: z.literal('event'),
  event: name,
  where: where.optional(),
  key: propertyPath.optional().describe('one run per value of this property (a cart id, an order id)'),
});
const SegmentTrigger = z.strictObject({
  type: z.literal('segment'),
  segment: id,
  on: z.enum(['enter', 'exit']),
  exitOnLeave: z
    .boolean()
    .optional()
    .describe(
      'with on "enter": the run ends when the customer leaves the segment, and its messages not sent yet are cancelled',
    ),
});
const DateTrigger = z.strictObject({
  type: z.literal('date'),
  trait: z.string().min(1).max(200),
  yearly: z.boolean().default(false),
  offsetDays: z.number().int().min(-366).max(366).default(0),
  at: timeOfDay,
  segment: id.optional(),
});
const ScheduleTrigger = z.strictObject({
  type: z.literal('schedule'),
  cron,
  timezone: zone.optional().describe("default: each customer's own"),
  segment: id,
});
const BroadcastTrigger = z.strictObject({
  type: z.literal('broadcast'),
  segment: id,
  perMinute: z.number().int().min(1).max(10_000_000).default(60_000),
});
const PointsExpiringTrigger = z.strictObject({
  type: z.literal('pointsExpiring'),
  days: z
    .number()
    .int()
    .min(1)
    .max(365)
    .describe("the run starts this many days before a customer's loyalty points expire"),
  segment: id.optional(),
});
export const Trigger = z.discriminatedUnion('type', [
  EventTrigger,
  SegmentTrigger,
  DateTrigger,
  ScheduleTrigger,
  BroadcastTrigger,
  PointsExpiringTrigger,
]);
export type Trigger = z.infer<typeof Trigger>;
export type TriggerKind = Trigger['type'];
export type TriggerOf<K extends TriggerKind> = Extract<Trigger, { type: K }>;

/** An event as the inbox hands it to a trigger. */
export interface StartingEvent {
  name: string;
  messageId: string;
  properties: Record<string, unknown>;
}

export interface TriggerHandler<T extends { type: string }> {
  schema: z.ZodType<T>;
  /** The event names that start a run (segment triggers: the segment runner's; time-driven kinds: none). */
  startsOn(t: T): string[];
  /** The run key when this event starts a run ('' for one run per customer), or null when it starts none. */
  key(t: T, e: StartingEvent): string | null;
  /** Whether runs of this kind can be keyed by a property of their event (one run per cart). */
  keyed: boolean;
  /** The event property that keys a run, when the trigger names one: sameKey (goal, wait) needs it. */
  keyPath(t: T): string | undefined;
  /** The segment it names, which must exist and be active for the journey to go live. */
  segment(t: T): string | undefined;
  /** Definition errors beyond the schema. */
  check?(t: T, def: JourneyDefinition): DefinitionError[];
  /** Rules besides the goal that end a run and cancel its messages not sent yet… */
  exits?(t: T, run: RunView): ExitRule[];
  /** …and the events they listen to, which active journeys watch besides startsOn. */
  watches?(t: T): string[];
}

const none = () => null;
const noKey = () => undefined;
const noEvents = () => [];

const event: TriggerHandler<z.infer<typeof EventTrigger>> = {
  schema: EventTrigger,
  startsOn: (t) => [t.event],
  key: (t, e) => (t.event === e.name && matchesWhere(e.properties, t.where) ? entityKey(e.properties, t.key) : null),
  keyed: true,
  keyPath: (t) => t.key,
  segment: noKey,
  check: (t, def) =>
    !t.key && def.goal?.sameKey
      ? [
          {
            path: '$.goal.sameKey',
            message: 'needs "key" on the trigger (which property identifies the entity)',
            code: 'needs_trigger_key',
          },
        ]
      : [],
};

/** Starts on a real change of membership: the segment runner's event for that segment. */
const segment: TriggerHandler<z.infer<typeof SegmentTrigger>> = {
  schema: SegmentTrigger,
  startsOn: (t) => [t.on === 'enter' ? SEGMENT_ENTERED : SEGMENT_EXITED],
  key: (t, e) =>
    e.name === (t.on === 'enter' ? SEGMENT_ENTERED : SEGMENT_EXITED) &&
    e.properties.segmentId === t.segment &&
    bySegmentRunner(e.messageId)
      ? ''
      : null,
  keyed: false,
  keyPath: noKey,
  segment: (t) => t.segment,
  check: (t) =>
    t.exitOnLeave && t.on === 'exit'
      ? [
          {
            path: '$.trigger.exitOnLeave',
            message:
              'needs on "enter": a journey started by leaving the segment cannot end when the customer leaves it',
            code: 'exit_on_leave_needs_enter',
          },
        ]
      : [],
  /** With exitOnLeave: that segment's `Segment Exited` after the entry (a later re-entry does not undo it). */
  exits: (t, run) =>
    t.on === 'enter' && t.exitOnLeave
      ? [
          {
            reason: 'left_segment',
            event: SEGMENT_EXITED,
            where: { segmentId: t.segment },
            key: run.entryKey,
            since: new Date(run.context.enteredAt),
            triggerMessageId: run.context.trigger?.messageId,
            fromSegmentRunner: true,
          },
        ]
      : [],
  watches: (t) => (t.exitOnLeave ? [SEGMENT_EXITED] : []),
};

/** Birthdays, due dates, renewals: a customer trait's date, at a local time (swept: store/sweeps.ts). */
const date: TriggerHandler<z.infer<typeof DateTrigger>> = {
  schema: DateTrigger,
  startsOn: noEvents,
  key: none,
  keyed: false,
  keyPath: noKey,
  segment: (t) => t.segment,
};

/** A cron schedule over a segment's members, in their zone or a fixed one (swept). */
const schedule: TriggerHandler<z.infer<typeof ScheduleTrigger>> = {
  schema: ScheduleTrigger,
  startsOn: noEvents,
  key: none,
  keyed: false,
  keyPath: noKey,
  segment: (t) => t.segment,
};

/** A segment's members once, at a capped rate (swept). */
const broadcast: TriggerHandler<z.infer<typeof BroadcastTrigger>> = {
  schema: BroadcastTrigger,
  startsOn: noEvents,
  key: none,
  keyed: false,
  keyPath: noKey,
  segment: (t) => t.segment,
  check: (_t, def) =>
    def.entry.whilePaused
      ? [
          {
            path: '$.entry.whilePaused',
            message: 'a broadcast goes on with its next customers when resumed; leave whilePaused out',
            code: 'broadcast_while_paused',
          },
        ]
      : [],
};

/** Loyalty points that expire in D days (swept over the lots: store/sweeps.ts), one run per expiry day. */
const pointsExpiring: TriggerHandler<z.infer<typeof PointsExpiringTrigger>> = {
  schema: PointsExpiringTrigger,
  startsOn: noEvents,
  key: none,
  keyed: false,
  keyPath: noKey,
  segment: (t) => t.segment,
};

/** One handler for every trigger kind: TypeScript refuses this record while one is missing. */
export type TriggerHandlers = { [K in TriggerKind]: TriggerHandler<TriggerOf<K>> };

export const TRIGGER_KINDS: TriggerHandlers = { event, segment, date, schedule, broadcast, pointsExpiring };

/** The handler of this trigger's kind; a kind nobody handles (a row written by another version) fails loudly. */
export function triggerHandler(t: Trigger): TriggerHandler<Trigger> {
  const handler = TRIGGER_KINDS[t.type] as TriggerHandler<Trigger> | undefined;
  if (!handler) throw new Error(`no handler for trigger kind ${JSON.stringify(t.type)}`);
  return handler;
}
