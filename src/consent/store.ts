// The consent store's public face: consent records and their audit trail, double opt-in, consent by phone (SMS
// STOP / START), subscription topics and suppressions. Each lives in its own small module. (The gate's settings are
// messaging's: src/messaging/gate-settings.ts.)
export { recordConsent, consentState, consentTrail } from './records.ts';
export { requestConfirmation, confirm } from './confirm.ts';
export { revokeByPhone, regrantByPhone } from './phone.ts';
export { createTopic, listTopics, deleteTopic, subscribeTopic, unsubscribeTopic } from './topics.ts';
export { suppress, isSuppressed, listSuppressions, removeSuppression } from './suppressions.ts';
export { consentLinks, readLink } from './tokens.ts';
export { consentFor, topicConsent } from './state.ts';
export { ConsentError } from './errors.ts';
export { unsubscribeByLink, preferenceChoices, savePreferences } from './preferences.ts';
export { CONFIRMATION_TEMPLATE } from './confirmation-mail.ts';
