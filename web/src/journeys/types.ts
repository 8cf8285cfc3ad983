// Shapes of a journey definition (mirrors src/journeys/definition.ts, loosely: the editor holds drafts) and of the journeys API.
import type { Iso } from '../types';
import type { JourneyStatus } from '../../../src/journeys/store/journeys.ts';
import type {
  DefinitionError,
  JourneyDefinition,
  StepType,
  Trigger,
  WhilePaused,
} from '../../../src/journeys/definition.ts';

// The server's own names, so the two cannot drift apart (drafts in the editor keep their looser types below).
export type { JourneyStatus, DefinitionError, StepType, WhilePaused };
export type TriggerType = Trigger['type'];
export type Purpose = JourneyDefinition['purpose'];
export type EntryMode = JourneyDefinition['entry']['mode'];
export type Scalar = string | number | boolean;

export interface Position {
  x: number;
  y: number;
}

export interface TriggerDef {
  type: TriggerType;
  event?: string;
  where?: Record<string, Scalar>;
  key?: string;
  segment?: string;
  on?: 'enter' | 'exit';
  exitOnLeave?: boolean;
  trait?: string;
  yearly?: boolean;
  offsetDays?: number;
  at?: string;
  cron?: string;
  timezone?: string;
  perMinute?: number;
  /** pointsExpiring: days before the points expire. */
  days?: number;
}

export interface Arm {
  name: string;
  weight: number;
  next?: string;
}

export type ChannelPolicy =
  | { fixed: string }
  | { best: string[] }
  | { cascade: { channel: string; timeout: string }[] };

export interface StepDef {
  id: string;
  type: StepType;
  label?: string;
  ui?: Position;
  next?: string;
  // delay
  duration?: string;
  window?: { from: string; to: string; weekdays?: number[] };
  untilProperty?: { property: string; offsetDays?: number; at?: string };
  productInterval?: { fallback: string; minRepeats?: number };
  // wait
  event?: string;
  where?: Record<string, Scalar>;
  sameKey?: boolean;
  timeout?: string;
  timeoutNext?: string;
  // branch
  condition?: unknown;
  yes?: string;
  no?: string;
  // split
  arms?: Arm[];
  // holdout
  percent?: number;
  // send
  template?: string;
  channel?: ChannelPolicy;
  params?: Record<string, unknown>;
  coupon?: { pool: string };
  validFor?: string;
  // update
  traits?: Record<string, Scalar | null>;
  addTags?: string[];
  removeTags?: string[];
  // webhook
  url?: string;
  secret?: string;
}

export interface JourneyDef {
  purpose?: Purpose;
  trigger: TriggerDef;
  entry?: { mode: EntryMode; days?: number; whilePaused?: WhilePaused };
  goal?: { event: string; where?: Record<string, Scalar>; sameKey?: boolean };
  start: string;
  steps: StepDef[];
}

export interface JourneySummary {
  id: string;
  name: string;
  status: JourneyStatus;
  version: number;
  activeVersion: number | null;
  purpose: Purpose;
  triggerType: TriggerType;
  activeRuns: number;
  totalRuns: number;
  updatedAt: Iso;
}

export interface Journey {
  id: string;
  name: string;
  status: JourneyStatus;
  version: number;
  activeVersion: number | null;
  purpose: Purpose;
  definition: JourneyDef;
  versions: { version: number; createdAt: Iso; activatedAt: Iso | null }[];
  updatedAt: Iso;
}

export interface StepStats {
  stepId: string;
  waiting: number;
  passed: number;
}

export interface JourneyStats {
  entered: number;
  active: number;
  completed: number;
  exited: number;
  steps: StepStats[];
}

export interface RunHistoryEntry {
  stepId: string;
  type: string;
  outcome: string;
  at: Iso;
  detail: unknown;
}

export interface JourneyRun {
  id: string;
  version: number;
  customerId: string;
  userId: string | null;
  entryKey: string;
  status: 'active' | 'waiting' | 'completed' | 'exited' | 'failed';
  stepId: string;
  wakeAt: Iso | null;
  startedAt: Iso;
  endedAt: Iso | null;
  history: RunHistoryEntry[];
}
