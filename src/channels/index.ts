// Channels: the public surface of src/channels/, what other capabilities import from it (see docs/architecture.md, Layers).
export { FORMS } from './forms.ts';
export { newestFirst, subscribeWebPush } from './push-subscriptions.ts';
export { MIN_PER_SECOND, purgeRateWindows, takeSlot } from './rate-limit.ts';
export {
  checkConnection,
  PROVIDER_NAMES,
  type ProviderName,
  PROVIDERS,
  type ProviderSpec,
  validateSettings,
} from './registry.ts';
export { decryptJson, defaultSecretKey, encryptJson, type SecretKey, SecretKeyError } from './secrets.ts';
export {
  closeProviders,
  deleteChannel,
  getProvider,
  listChannels,
  resolveSettings,
  saveChannel,
  storedSettings,
} from './store.ts';
export { sendTest } from './test-send.ts';
export {
  type Channel,
  CHANNELS,
  type OutgoingMessage,
  type Provider,
  type ProviderResult,
  type Purpose,
} from './types.ts';
