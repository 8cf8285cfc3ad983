// Subscription topics (newsletter, offers, product news): a workspace's list, and customers joining or leaving one —
// consent rows with that topic (channel '*', marketing), so they share the audit trail and the event log.
import type { Db, Queryable } from '../store/index.ts';
import { ANY_CHANNEL } from './types.ts';
import { recordConsent } from './records.ts';
import { ConsentError } from './errors.ts';

export interface Topic {
  id: string;
  name: string;
  description: string | null;
}

const TOPIC_ID = /^[A-Za-z0-9_.-]{1,64}$/;

function checkTopic(t: { id?: string; name?: string; description?: string | null }, creating: boolean) {
  if (creating && !TOPIC_ID.test(t.id ?? ''))
    throw new ConsentError('invalid', '1 to 64 letters, digits, "_", "-" or "."', 'id');
  if ((creating || t.name !== undefined) && (typeof t.name !== 'string' || !t.name.trim() || t.name.length > 200)) {
    throw new ConsentError('invalid', 'a name of 1 to 200 characters', 'name');
  }
  if (t.description != null && (typeof t.description !== 'string' || t.description.length > 2000))
    throw new ConsentError('invalid', 'at most 2000 characters', 'description');
}

export async function createTopic(
  db: Queryable,
  ws: string,
  t: { id: string; name: string; description?: string | null },
): Promise<Topic> {
  checkTopic(t, true);
  const rows = await db.query(
    'INSERT INTO subscription_topics (workspace_id, id, name, description) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1',
    [ws, t.id, t.name.trim(), t.description ?? null],
  );
  if (rows.length === 0)
    throw new ConsentError(
      'conflict',
      `The topic id "${t.id}" is taken: pick another, or change it with PUT /api/v1/topics/${t.id}.`,
    );
  return { id: t.id, name: t.name.trim(), description: t.description ?? null };
}

export async function listTopics(db: Queryable, ws: string): Promise<Topic[]> {
  return db.query<Topic>(
    'SELECT id, name, description FROM subscription_topics WHERE workspace_id = $1 ORDER BY name, id',
    [ws],
  );
}

/** Whether the workspace has this topic. */
export async function topicExists(db: Queryable, ws: string, id: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM subscription_topics WHERE workspace_id = $1 AND id = $2', [ws, id])).length > 0;
}

/** A topic's name, if the workspace has it. */
export async function topicName(db: Queryable, ws: string, id: string): Promise<string | undefined> {
  const [topic] = await db.query<{ name: string }>(
    'SELECT name FROM subscription_topics WHERE workspace_id = $1 AND id = $2',
    [ws, id],
  );
  return topic?.name;
}

export async function updateTopic(
  db: Queryable,
  ws: string,
  id: string,
  patch: { name?: string; description?: string | null },
): Promise<Topic> {
  checkTopic(patch, false);
  const [row] = await db.query<Topic>(
    `UPDATE subscription_topics SET name = COALESCE($3, name), description = CASE WHEN $4::boolean THEN $5 ELSE description END
     WHERE workspace_id = $1 AND id = $2 RETURNING id, name, description`,
    [ws, id, patch.name?.trim() ?? null, patch.description !== undefined, patch.description ?? null],
  );
  if (!row) throw new ConsentError('not_found', `No topic "${id}". List them with GET /api/v1/topics.`);
  return row;
}

/** Deletes the topic from the list; its consent rows stay in the audit trail. */
export async function deleteTopic(db: Queryable, ws: string, id: string): Promise<boolean> {
  return (
    (await db.query('DELETE FROM subscription_topics WHERE workspace_id = $1 AND id = $2 RETURNING 1', [ws, id]))
      .length > 0
  );
}

export interface TopicAct {
  source: string;
  at: Date;
  ip?: string | null;
  textVersion?: string | null;
}

/** The customer joins the topic. */
export function subscribeTopic(db: Db, ws: string, customerId: string, topic: string, act: TopicAct) {
  return recordConsent(db, ws, customerId, {
    ...act,
    channel: ANY_CHANNEL,
    purpose: 'marketing',
    topic,
    granted: true,
  });
}

/** The customer leaves the topic. */
export function unsubscribeTopic(db: Db, ws: string, customerId: string, topic: string, act: TopicAct) {
  return recordConsent(db, ws, customerId, {
    ...act,
    channel: ANY_CHANNEL,
    purpose: 'marketing',
    topic,
    granted: false,
  });
}
