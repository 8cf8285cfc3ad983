// A template problem in the dashboard's language (pure but for t): by the stable code the API sends beside its English
// message, with the code's values; one inside a partial says so first. What Liquid or MJML said stays as received (a
// value of the sentence). In English, or for a code this dashboard does not know, the API's own words.
import type { TemplateProblemCode } from '../../../src/messaging/templates/problem-codes.ts';
import type { TemplateProblem } from './types';
import { currentLanguage, t } from '../i18n';

type Values = Record<string, string | number>;

/** Every code's words: a code of the server's list without them is a compile error. */
const WORDS: Record<TemplateProblemCode, (v: Values) => string> = {
  required: () => t('templateProblem.required'),
  wrong_type: (v) => t('templateProblem.wrong_type', { expected: v.expected ?? '' }),
  empty: () => t('templateProblem.empty'),
  too_small: (v) => t('templateProblem.too_small', { min: v.min ?? 0 }),
  too_big: (v) => t('templateProblem.too_big', { max: v.max ?? 0 }),
  not_one_of: (v) => t('templateProblem.not_one_of', { allowed: v.allowed ?? '' }),
  unknown_key: (v) => t('templateProblem.unknown_key', { keys: v.keys ?? '' }),
  bad_format: () => t('templateProblem.bad_format'),
  invalid: () => t('templateProblem.invalid'),
  bad_id: () => t('templateProblem.bad_id'),
  no_locale: () => t('templateProblem.no_locale'),
  default_not_a_locale: (v) =>
    t('templateProblem.default_not_a_locale', { locale: v.locale ?? '', locales: v.locales ?? '' }),
  locale_spelling: (v) => t('templateProblem.locale_spelling', { canonical: v.canonical ?? '' }),
  not_a_locale: (v) => t('templateProblem.not_a_locale', { locale: v.locale ?? '' }),
  variant_empty: (v) => t('templateProblem.variant_empty', { locale: v.locale ?? '', channels: v.channels ?? '' }),
  email_one_body: () => t('templateProblem.email_one_body'),
  unknown_variable: (v) => t('templateProblem.unknown_variable', { variable: v.variable ?? '' }),
  no_such_field: (v) =>
    t('templateProblem.no_such_field', { variable: v.variable ?? '', parent: v.parent ?? '', field: v.field ?? '' }),
  is_a_list: (v) => t('templateProblem.is_a_list', { variable: v.variable ?? '', parent: v.parent ?? '' }),
  is_text: (v) => t('templateProblem.is_text', { variable: v.variable ?? '', parent: v.parent ?? '' }),
  is_a_number: (v) => t('templateProblem.is_a_number', { variable: v.variable ?? '', parent: v.parent ?? '' }),
  unknown_filter: (v) => t('templateProblem.unknown_filter', { filter: v.filter ?? '' }),
  unknown_tag: (v) => t('templateProblem.unknown_tag', { tag: v.tag ?? '' }),
  tag_not_closed: (v) => t('templateProblem.tag_not_closed', { tag: v.tag ?? '', end: v.end ?? '' }),
  output_not_closed: (v) => t('templateProblem.output_not_closed', { output: v.output ?? '' }),
  no_partial: (v) => t('templateProblem.no_partial', { partial: v.partial ?? '' }),
  too_slow: () => t('templateProblem.too_slow'),
  too_large: () => t('templateProblem.too_large'),
  tag_no_arguments: (v) => t('templateProblem.tag_no_arguments', { tag: v.tag ?? '' }),
  value_tag_empty: (v) => t('templateProblem.value_tag_empty', { tag: v.tag ?? '', path: v.path ?? '' }),
  filter_misused: (v) => t('templateProblem.filter_misused', { filter: v.filter ?? '', detail: v.detail ?? '' }),
  liquid: (v) => t('templateProblem.liquid', { detail: v.detail ?? '' }),
  mjml_include: () => t('templateProblem.mjml_include'),
  not_mjml: () => t('templateProblem.not_mjml'),
  mjml_drops_liquid: (v) => t('templateProblem.mjml_drops_liquid', { markup: v.markup ?? '' }),
  mjml_broke_liquid: (v) => t('templateProblem.mjml_broke_liquid', { detail: v.detail ?? '' }),
  mjml: (v) => t('templateProblem.mjml', { detail: v.detail ?? '' }),
  no_channel_content: (v) => t('templateProblem.no_channel_content', { channel: v.channel ?? '' }),
  render: (v) => t('templateProblem.render', { detail: v.detail ?? '' }),
};

/** The problem's words in the dashboard's language. */
export function templateProblemWords(
  problem: Pick<TemplateProblem, 'message'> & { code?: string; values?: Values },
): string {
  if (currentLanguage() === 'en' || !problem.code || !Object.hasOwn(WORDS, problem.code)) return problem.message;
  const values = problem.values ?? {};
  const words = WORDS[problem.code as TemplateProblemCode](values);
  return values.partial !== undefined && problem.code !== 'no_partial'
    ? t('templateProblem.inPartial', { partial: values.partial, problem: words })
    : words;
}
