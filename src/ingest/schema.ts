// Ingest schemas: the Segment-compatible message shapes, used both to validate requests and to write the OpenAPI document.
import { z } from 'zod';

const id = z.union([z.string().min(1).max(400), z.number()]).transform(String);
const isoDateTime = z.union([z.string(), z.number()]).refine((v) => !Number.isNaN(new Date(v).getTime()), {
  message: 'not a date-time: use ISO 8601, e.g. 2026-11-24T10:00:00Z',
});
const object = z.record(z.string(), z.unknown());

const common = {
  messageId: z.string().min(1).max(200).optional(),
  userId: id.nullish(),
  anonymousId: id.nullish(),
  context: object.optional(),
  integrations: object.optional(),
  timestamp: isoDateTime.optional(),
  originalTimestamp: isoDateTime.optional(),
  sentAt: isoDateTime.optional(),
};

const identifySchema = z.object({ ...common, traits: object.optional() });
const trackSchema = z.object({ ...common, event: z.string().min(1).max(200), properties: object.optional() });
const pageSchema = z.object({
  ...common,
  name: z.string().max(400).nullish(),
  category: z.string().nullish(),
  properties: object.optional(),
});
const screenSchema = pageSchema;
const groupSchema = z.object({ ...common, groupId: id, traits: object.optional() });
const aliasSchema = z.object({ ...common, previousId: id, userId: id });

export const messageSchemas = {
  identify: identifySchema,
  track: trackSchema,
  page: pageSchema,
  screen: screenSchema,
  group: groupSchema,
  alias: aliasSchema,
} as const;

export type MessageType = keyof typeof messageSchemas;
export const MESSAGE_TYPES = Object.keys(messageSchemas) as MessageType[];

/** The body of POST /v1/batch: items are validated one by one so that good events survive bad ones. */
export const batchSchema = z.object({
  // Any JSON per item: one that is not a message object is refused alone, by index, and the others are kept.
  batch: z
    .array(z.unknown().describe('a message: identify, track, page, screen, group or alias, with its type'))
    .max(10_000),
  sentAt: isoDateTime.optional(),
  context: object.optional(),
  integrations: object.optional(),
});

export const rejectionSchema = z.object({ index: z.number(), field: z.string(), reason: z.string() });
export const ingestReplySchema = z.object({
  success: z.boolean(),
  accepted: z.number().describe('events stored now'),
  duplicates: z.number().describe('events already stored before (same messageId): nothing changed'),
  rejected: z.array(rejectionSchema),
  warnings: z
    .array(rejectionSchema)
    .optional()
    .describe('public key: events stored without a change they asked for (an e-mail, a phone, a merge), and why'),
});
