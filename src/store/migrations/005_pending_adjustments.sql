-- Commerce: a refund or cancellation that arrives before its order waits for it.

ALTER TABLE order_adjustments ADD COLUMN pending boolean NOT NULL DEFAULT false;
CREATE INDEX order_adjustments_order ON order_adjustments (workspace_id, order_id);
COMMENT ON COLUMN order_adjustments.pending IS 'true: a full refund or a cancellation of an order not seen yet; applied when the order arrives.';
