// The consent store's public face: consent records and their audit trail, double opt-in, consent by phone (SMS
// STOP / START), subscription topics, suppressions and the gate's settings. Each lives in its own small module.
export { recordConsent, writeConsent, consentState, consentStates, consentTrail, checkAct, type ConsentAct } from './records.ts';
export { requestConfirmation, confirm, CONFIRMATION_TTL_MS, type Confirmation, type ConfirmationRequest } from './confirm.ts';
export { revokeByPhone, regrantByPhone, type PhoneResult } from './phone.ts';
export { createTopic, listTopics, updateTopic, deleteTopic, subscribeTopic, unsubscribeTopic, type Topic, type TopicAct } from './topics.ts';
export { suppress, isSuppressed, suppressedAmong, listSuppressions, removeSuppression, suppressionAddress, type Suppression } from './suppressions.ts';
export { getGateSettings, putGateSettings, GateSettingsPatch } from './gate-settings.ts';
export { consentLinks, consentLinksFor, readLink, signLink, type ConsentLinks, type LinkPayload } from './tokens.ts';
export { foldConsents, consentFor, topicConsent } from './state.ts';
export { customerById, findCustomer, readerLanguage, type CustomerRef } from './customers.ts';
export { smsKeyword } from './keywords.ts';
export { ConsentError } from './errors.ts';
export { ANY_CHANNEL, SUPPRESSION_REASONS, type ConsentRecord, type ConsentState, type SuppressionReason, type ConsentChannel } from './types.ts';
export { signUp, type SignUp, type SignUpResult } from './signup.ts';
export { unsubscribeByLink, unsubscribeWhat, preferenceChoices, savePreferences } from './preferences.ts';
export { askForConfirmation, confirmationLink, isConfirmationIntent, CONFIRMATION_REPEAT_MS } from './confirmation-mail.ts';
export { CONFIRMATION_TEMPLATE, builtInConfirmationTemplate } from './confirmation-template.ts';
export { HOOK_PARAM, hookToken, hookUrls, isHookToken } from './hooks.ts';
