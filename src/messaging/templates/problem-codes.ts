// Every code a template problem can have, in one list (pure): the content's schema, its locales and channels, Liquid,
// MJML and a render. The API sends the code and its values beside the English message; the dashboard says it in its
// language (web/src/messages/problemWords.ts), and a test keeps a catalogue key for each code in every language.
import { SCHEMA_CODES } from '../../lib/index.ts';

export const TEMPLATE_PROBLEM_CODES = [
  ...SCHEMA_CODES,
  // the template as a whole
  'bad_id',
  'no_locale',
  'default_not_a_locale',
  'locale_spelling',
  'not_a_locale',
  'variant_empty',
  'email_one_body',
  // Liquid (`liquid`: LiquidJS's own words, in `detail`)
  'unknown_variable',
  'no_such_field',
  'is_a_list',
  'is_text',
  'is_a_number',
  'unknown_filter',
  'unknown_tag',
  'tag_not_closed',
  'output_not_closed',
  'no_partial',
  'too_slow',
  'too_large',
  'tag_no_arguments',
  'value_tag_empty',
  'filter_misused',
  'liquid',
  // MJML (`mjml`: MJML's own words, in `detail`)
  'mjml_include',
  'not_mjml',
  'mjml_drops_liquid',
  'mjml_broke_liquid',
  'mjml',
  // one message being rendered (`render`: the renderer's own words, in `detail`)
  'no_channel_content',
  'render',
] as const;
export type TemplateProblemCode = (typeof TEMPLATE_PROBLEM_CODES)[number];
