// Consent conditions: the latest consent record for this channel and purpose grants it.
//   {"consent": "email", "purpose": "marketing"}
import { z } from 'zod';
import { checkSchema, key } from '../schema.ts';
import type { ConditionHandler } from './handler.ts';

export type ConsentNode = { consent: string; purpose: 'transactional' | 'marketing' };

const schema = z.strictObject({ consent: key, purpose: z.enum(['transactional', 'marketing']) });

export const consent: ConditionHandler<ConsentNode> = {
  schema,
  check: (node, path, errors) => checkSchema(schema, node, path, errors),
  // the latest record for this channel and purpose is in force (topic '' = the channel's own, not a topic's)
  compile: (
    n,
    _now,
    p,
  ) => `(SELECT k.granted FROM consents k WHERE k.workspace_id = $1 AND k.customer_id = c.id AND k.channel = ${p.add(n.consent, 'text')}
    AND k.purpose = ${p.add(n.purpose, 'text')} AND k.topic = '' ORDER BY k.at DESC LIMIT 1)`,
};
