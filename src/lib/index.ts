// Lib: the public surface of src/lib/, what other capabilities import from it (see docs/architecture.md, Layers).
export { DomainError, type ErrorBody, InvalidDefinitionError } from './errors.ts';
export type { Job } from './jobs.ts';
export { assertNever } from './never.ts';
export { readCommandLine } from './options.ts';
export { matchesWhere, propertyAt } from './properties.ts';
export { decodeCursor, encodeCursor, readCursor } from './cursor.ts';
export { journeyWebhookKey, sendKey, webhookHeaders } from './webhook.ts';
export { SCHEMA_CODES, schemaCode, type Coded, type SchemaCode } from './schema-issues.ts';
