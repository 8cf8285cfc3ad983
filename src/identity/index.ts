// Identity (pure, a leaf): how e-mail addresses and phone numbers are compared, and the hash an erased id is kept as.
// Ingest, customers and consent all build on it, so none of them needs another for it.
export { identityHash, normalizeEmail, normalizePhone } from './normalize.ts';
