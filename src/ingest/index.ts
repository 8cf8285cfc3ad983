// Ingest: the public surface of src/ingest/, what other capabilities import from it (see docs/architecture.md, Layers).
export { plainlyValidBatch } from './check.ts';
export { ingest } from './ingest.ts';
export { isRejection, normalizeMessage, type NormalizedEvent } from './normalize.ts';
export { batchSchema, ingestReplySchema, MESSAGE_TYPES, messageSchemas } from './schema.ts';
export { fieldName, MAX_DEPTH, shapeProblem, TOO_DEEP_REASON } from './shape.ts';
export type { OrderLine } from './commerce.ts';
