// A journey problem in the dashboard's language (pure but for t): by the stable code the API sends beside its English
// message, with the code's values. In English, or for a code this dashboard does not know, the API's own words.
import type { JourneyProblemCode } from '../../../src/journeys/problem-codes.ts';
import type { DefinitionError } from './types';
import { currentLanguage, t } from '../i18n';

type Values = Record<string, string | number>;

/** Every code's words: a code of the server's list without them is a compile error. */
const WORDS: Record<JourneyProblemCode, (v: Values) => string> = {
  required: () => t('journeyProblem.required'),
  wrong_type: (v) => t('journeyProblem.wrong_type', { expected: v.expected ?? '' }),
  empty: () => t('journeyProblem.empty'),
  too_small: (v) => t('journeyProblem.too_small', { min: v.min ?? 0 }),
  too_big: (v) => t('journeyProblem.too_big', { max: v.max ?? 0 }),
  not_one_of: (v) => t('journeyProblem.not_one_of', { allowed: v.allowed ?? '' }),
  unknown_key: (v) => t('journeyProblem.unknown_key', { keys: v.keys ?? '' }),
  bad_format: () => t('journeyProblem.bad_format'),
  invalid: () => t('journeyProblem.invalid'),
  bad_id: () => t('journeyProblem.bad_id'),
  not_url: () => t('journeyProblem.not_url'),
  bad_duration: () => t('journeyProblem.bad_duration'),
  bad_time_of_day: () => t('journeyProblem.bad_time_of_day'),
  bad_cron: () => t('journeyProblem.bad_cron'),
  bad_zone: () => t('journeyProblem.bad_zone'),
  delay_one_kind: () => t('journeyProblem.delay_one_kind'),
  duplicate_id: (v) => t('journeyProblem.duplicate_id', { id: v.id ?? '' }),
  no_such_step: (v) => t('journeyProblem.no_such_step', { id: v.id ?? '' }),
  loop: (v) => t('journeyProblem.loop', { id: v.id ?? '' }),
  unreachable: (v) => t('journeyProblem.unreachable', { id: v.id ?? '', start: v.start ?? '' }),
  cooldown_needs_days: () => t('journeyProblem.cooldown_needs_days'),
  goal_needs_keyed_trigger: () => t('journeyProblem.goal_needs_keyed_trigger'),
  needs_trigger_key: () => t('journeyProblem.needs_trigger_key'),
  exit_on_leave_needs_enter: () => t('journeyProblem.exit_on_leave_needs_enter'),
  broadcast_while_paused: () => t('journeyProblem.broadcast_while_paused'),
  branch_needs_edge: () => t('journeyProblem.branch_needs_edge'),
  condition: (v) => t('journeyProblem.condition', { detail: v.detail ?? '' }),
  address_refused: () => t('journeyProblem.address_refused'),
  no_template: (v) => t('journeyProblem.no_template', { template: v.template ?? '' }),
  not_a_channel: (v) => t('journeyProblem.not_a_channel', { channel: v.channel ?? '', allowed: v.allowed ?? '' }),
  no_provider: (v) => t('journeyProblem.no_provider', { channel: v.channel ?? '' }),
  template_lacks_channel: (v) =>
    t('journeyProblem.template_lacks_channel', { template: v.template ?? '', channel: v.channel ?? '' }),
  no_segment: (v) => t('journeyProblem.no_segment', { segment: v.segment ?? '' }),
  segment_archived: (v) => t('journeyProblem.segment_archived', { segment: v.segment ?? '' }),
};

/** The problem's words in the dashboard's language. */
export function journeyProblemWords(
  problem: Pick<DefinitionError, 'message'> & { code?: string; values?: Values },
): string {
  return currentLanguage() !== 'en' && problem.code && Object.hasOwn(WORDS, problem.code)
    ? WORDS[problem.code as JourneyProblemCode](problem.values ?? {})
    : problem.message;
}
