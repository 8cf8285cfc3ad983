// Consent: the public surface of src/consent/, what other capabilities import from it (see docs/architecture.md, Layers).
export { confirm, CONFIRMATION_TTL_MS } from './confirm.ts';
export { CONFIRMATION_TEMPLATE, confirmationLink, isConfirmationIntent } from './confirmation-mail.ts';
export { customerById, findCustomer, readerLanguage } from './customers.ts';
export { ConsentError } from './errors.ts';
export { allOf, type FormFields, oneOf, parseMultipart, parseUrlEncoded } from './forms.ts';
export { HOOK_PARAM, hookUrls, isHookToken } from './hooks.ts';
export { smsKeyword } from './keywords.ts';
export { signToken } from './links.ts';
export { cardLink, cardPageOf, cardQrSvg, cardUrlFor } from './card-page.ts';
export {
  confirmedPage,
  linkProblemPage,
  nothingChangedPage,
  PAGE_HEADERS,
  preferencesPage,
  unsubscribedPage,
  unsubscribePage,
} from './pages.ts';
export { regrantByPhone, revokeByPhone } from './phone.ts';
export { preferenceChoices, savePreferences, unsubscribeByLink, unsubscribeWhat } from './preferences.ts';
export { publicSignUp } from './public-signup.ts';
export { consentState, consentStates, consentTrail, recordConsent, writeConsent } from './records.ts';
export { linkSecret, sealLinkSecrets } from './secret.ts';
export { signUp } from './signup.ts';
export { consentFor } from './state.ts';
export { listSuppressions, removeSuppression, suppress, suppressedAmong } from './suppressions.ts';
export { consentText } from './texts.ts';
export { type ConsentLinks, consentLinksFor, readLink, readWorkspaceToken, signLink } from './tokens.ts';
export { createTopic, deleteTopic, listTopics, updateTopic } from './topics.ts';
export { ANY_CHANNEL, type ConsentState, SUPPRESSION_REASONS, type SuppressionReason } from './types.ts';
