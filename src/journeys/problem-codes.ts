// Every code a journey problem can have, in one list (pure): the definition's schema, graph and step checks and what the
// workspace lacks. The API sends the code and its values beside the English message; the dashboard says it in its
// language (web/src/journeys/problemWords.ts), and a test keeps a catalogue key for each code in every language.
import { SCHEMA_CODES, type Coded } from '../lib/index.ts';

export const JOURNEY_PROBLEM_CODES = [
  ...SCHEMA_CODES,
  // a value the journey's own checks refuse
  'bad_id',
  'not_url',
  'bad_duration',
  'bad_time_of_day',
  'bad_cron',
  'bad_zone',
  'delay_one_kind',
  // the graph
  'duplicate_id',
  'no_such_step',
  'loop',
  'unreachable',
  // rules across fields
  'cooldown_needs_days',
  'goal_needs_keyed_trigger',
  'needs_trigger_key',
  'exit_on_leave_needs_enter',
  'broadcast_while_paused',
  'branch_needs_edge',
  'condition',
  'address_refused',
  // what the workspace lacks
  'no_template',
  'not_a_channel',
  'no_provider',
  'template_lacks_channel',
  'no_segment',
  'segment_archived',
] as const;
export type JourneyProblemCode = (typeof JOURNEY_PROBLEM_CODES)[number];
export type JourneyCoded = Coded<JourneyProblemCode>;
