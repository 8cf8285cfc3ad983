-- Tracking and message metrics: indexes for the metrics query (messaging/metrics/query.ts) and the message log
-- (messaging/metrics/list.ts). No new table: opens and clicks are message columns and events; machine opens are events
-- only (messaging/tracking/record.ts), found by their event id.

CREATE INDEX messages_sent_time ON messages (workspace_id, (COALESCE(sent_at, created_at)));
COMMENT ON INDEX messages_sent_time IS 'Metrics: the messages sent in a date range (by sent_at, else when the send was attempted).';

CREATE INDEX messages_clicks ON messages (workspace_id, customer_id, clicked_at) WHERE clicked_at IS NOT NULL;
COMMENT ON INDEX messages_clicks IS 'Metrics: a customer''s clicked messages, for last-click attribution of orders.';

CREATE INDEX messages_delivery_reports ON messages (workspace_id, channel) WHERE delivered_at IS NOT NULL;
COMMENT ON INDEX messages_delivery_reports IS 'Metrics: whether a channel ever had a delivery report in the workspace (else accepted counts as delivered).';

CREATE INDEX messages_recent ON messages (workspace_id, id);
COMMENT ON INDEX messages_recent IS 'Message log: a workspace''s messages newest first, a page at a time.';

CREATE INDEX messages_customer_recent ON messages (workspace_id, customer_id, id);
COMMENT ON INDEX messages_customer_recent IS 'Message log: one customer''s messages newest first.';
