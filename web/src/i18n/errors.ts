// What an API error code means, in the dashboard's language. Codes and paths are the API's and never change; the
// English dashboard shows the server's own message (it names the field or the object), the others the code's meaning,
// and a code not listed here falls back to the server's message.
import { currentLanguage, t } from './index';

const MEANINGS: Record<string, () => string> = {
  bad_request: () => t('error.bad_request'),
  body_too_large: () => t('error.body_too_large'),
  busy: () => t('error.busy'),
  cannot_validate: () => t('error.cannot_validate'),
  conflict: () => t('error.conflict'),
  forbidden: () => t('error.forbidden'),
  hook_token_required: () => t('error.hook_token_required'),
  in_use: () => t('error.in_use'),
  internal: () => t('error.internal'),
  invalid_cursor: () => t('error.invalid_cursor'),
  invalid_definition: () => t('error.invalid_definition'),
  invalid_event: () => t('error.invalid_event'),
  invalid_request: () => t('error.invalid_request'),
  invalid_settings: () => t('error.invalid_settings'),
  invalid_state: () => t('error.invalid_state'),
  invalid_template: () => t('error.invalid_template'),
  last_admin_key: () => t('error.last_admin_key'),
  malformed_body: () => t('error.malformed_body'),
  malformed_json: () => t('error.malformed_json'),
  no_provider: () => t('error.no_provider'),
  not_empty: () => t('error.not_empty'),
  not_found: () => t('error.not_found'),
  not_ready: () => t('error.not_ready'),
  rate_limited: () => t('error.rate_limited'),
  secret_key: () => t('error.secret_key'),
  segment_cycle: () => t('error.segment_cycle'),
  send_failed: () => t('error.send_failed'),
  template_error: () => t('error.template_error'),
  too_expensive: () => t('error.too_expensive'),
  unauthorized: () => t('error.unauthorized'),
};

/** The text to show for an API error: its code's meaning, or the server's message, or the bare status. */
export function apiErrorText(code: string | undefined, status: number, serverMessage: string): string {
  const meaning = code && Object.hasOwn(MEANINGS, code) ? MEANINGS[code]!() : null;
  if (currentLanguage() === 'en' && serverMessage) return serverMessage;
  return meaning ?? (serverMessage || t('error.status', { status }));
}
