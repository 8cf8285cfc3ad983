-- Sends the customer expects: why a message was not sent (yet), how long it stays worth sending, the indexes that find
-- a run's held messages when its goal is reached, the message log of what was not sent, and delivery reports that
-- arrive before the provider has answered us.

ALTER TABLE message_intents ADD COLUMN reason text;
ALTER TABLE message_intents ADD COLUMN reason_detail text;
ALTER TABLE message_intents ADD COLUMN reason_at timestamptz;
ALTER TABLE message_intents ADD COLUMN deferred_at timestamptz;
ALTER TABLE message_intents ADD COLUMN expires_at timestamptz;
COMMENT ON COLUMN message_intents.reason IS 'Outbox: why the message is not sent (yet): skipped, deferred, waiting for a retry, expired, cancelled by the run''s goal, failed (a machine code; cleared when it is handed over).';
COMMENT ON COLUMN message_intents.reason_detail IS 'Outbox: the reason in words for people (which cap, until when, which event reached the goal).';
COMMENT ON COLUMN message_intents.reason_at IS 'Outbox: when the reason was recorded (the time the message log shows).';
COMMENT ON COLUMN message_intents.deferred_at IS 'Outbox: when the message was first deferred (quiet hours, a cap), kept for analytics after it is sent.';
COMMENT ON COLUMN message_intents.expires_at IS 'Outbox: the message is worth sending until then (the send step''s validFor); held past it, it is dropped as expired.';

CREATE INDEX message_intents_run_open ON message_intents (run_id) WHERE status = 'pending';
COMMENT ON INDEX message_intents_run_open IS 'Outbox: a run''s messages not handed over yet, cancelled when its goal is reached.';

CREATE INDEX message_intents_customer_open ON message_intents (workspace_id, customer_id) WHERE status = 'pending' AND run_id IS NOT NULL;
COMMENT ON INDEX message_intents_customer_open IS 'Journey inbox: the held messages of runs that already ended, for the goal events of their customers.';

CREATE INDEX message_intents_outcomes ON message_intents (workspace_id, reason_at, id) WHERE reason IS NOT NULL;
COMMENT ON INDEX message_intents_outcomes IS 'Message log and analytics: messages not sent (skipped, deferred, expired, failed) by the time of the decision.';

CREATE INDEX message_intents_deferred ON message_intents (workspace_id, deferred_at) WHERE deferred_at IS NOT NULL;
COMMENT ON INDEX message_intents_deferred IS 'Analytics: messages deferred in a date range.';

CREATE INDEX messages_log ON messages (workspace_id, created_at, id);
COMMENT ON INDEX messages_log IS 'Message log: a workspace''s messages newest first by the time they were recorded, merged with the messages not sent.';

CREATE INDEX messages_sending ON messages (workspace_id, updated_at) WHERE status = 'sending';
COMMENT ON INDEX messages_sending IS 'Dispatcher: sends in flight (recovery after a crash; whether an early delivery report may still find its message).';

CREATE TABLE unmatched_receipts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  provider_message_id text NOT NULL,
  status text NOT NULL,
  detail text,
  at timestamptz NOT NULL,
  received_at timestamptz NOT NULL
);
CREATE INDEX unmatched_receipts_provider_id ON unmatched_receipts (workspace_id, provider_message_id);
CREATE INDEX unmatched_receipts_received ON unmatched_receipts (received_at);
COMMENT ON TABLE unmatched_receipts IS 'Delivery reports by provider id that came while a send was still waiting for the provider''s answer; applied when that answer records the id, dropped after a day.';
