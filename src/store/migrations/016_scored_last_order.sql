-- Lifecycle: the last order each customer's scoring saw, so "an order since the previous scoring" (churned →
-- reactivated) compares orders with orders, not an order's own time with the clock time of a scoring run (an order
-- placed before a run but ingested after it was missed, and one read by a run that had just started lost its stage at
-- the next run). Customers scored before this column existed start from NULL: their next order is judged afresh.
ALTER TABLE customers ADD COLUMN scored_last_order_at timestamptz;
COMMENT ON COLUMN customers.scored_last_order_at IS 'Models: the latest completed order the customer''s last scoring saw (the lifecycle''s "ordered since" rule).';
