-- Dispatcher: a claimed message waits (for a rate-limit slot, a free provider connection) as 'claimed' under a lease;
-- only right before its provider call does it become 'sending' (the hand-off). A claim whose worker stopped is given
-- back when its lease ends and sent by another worker; only a 'sending' message can be in doubt. Claims are taken per
-- workspace in turn, transactional messages first.
ALTER TABLE messages DROP CONSTRAINT messages_status_check;
ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (status IN ('claimed', 'queued', 'sending', 'sent', 'delivered', 'opened', 'clicked', 'bounced', 'failed', 'complained', 'unsubscribed', 'unknown'));
ALTER TABLE messages ADD COLUMN claimed_by text;
ALTER TABLE messages ADD COLUMN lease_until timestamptz;
COMMENT ON COLUMN messages.claimed_by IS 'Dispatcher: the claim (one dispatch round of one worker) holding this message until its hand-off; only that claim may hand it off.';
COMMENT ON COLUMN messages.lease_until IS 'Dispatcher: a claimed message not handed off by then goes back to the outbox (its worker stopped), for another worker.';
CREATE INDEX messages_claimed ON messages (lease_until) WHERE status = 'claimed';
COMMENT ON INDEX messages_claimed IS 'Dispatcher recovery: claims whose lease has ended.';
CREATE INDEX message_intents_due ON message_intents (workspace_id, (purpose = 'marketing'), id) WHERE status = 'pending';
COMMENT ON INDEX message_intents_due IS 'Dispatcher: the fair claim takes each workspace''s oldest due messages, transactional ones first.';
