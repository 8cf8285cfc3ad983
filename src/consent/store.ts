// The consent store's public face: consent records and their audit trail, double opt-in, consent by phone (SMS
// STOP / START), subscription topics and suppressions. Each lives in its own small module. (The gate's settings are
// messaging's: src/messaging/gate-settings.ts.)
export { recordConsent, writeConsent, consentState, consentStates, consentTrail } from './records.ts';
export { requestConfirmation, confirm } from './confirm.ts';
export { revokeByPhone, regrantByPhone } from './phone.ts';
export { createTopic, listTopics, updateTopic, deleteTopic, subscribeTopic, unsubscribeTopic } from './topics.ts';
export { suppress, isSuppressed, suppressedAmong, listSuppressions, removeSuppression } from './suppressions.ts';
export { consentLinks, consentLinksFor, readLink, signLink, type ConsentLinks } from './tokens.ts';
export { consentFor, topicConsent } from './state.ts';
export { customerById, findCustomer, readerLanguage } from './customers.ts';
export { smsKeyword } from './keywords.ts';
export { ConsentError } from './errors.ts';
export { ANY_CHANNEL, SUPPRESSION_REASONS } from './types.ts';
export { signUp } from './signup.ts';
export { unsubscribeByLink, unsubscribeWhat, preferenceChoices, savePreferences } from './preferences.ts';
export { confirmationLink, isConfirmationIntent, CONFIRMATION_TEMPLATE } from './confirmation-mail.ts';
export { HOOK_PARAM, hookUrls, isHookToken } from './hooks.ts';
