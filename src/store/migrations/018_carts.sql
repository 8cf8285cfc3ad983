-- Carts as the shop sees them: each cart event's changes to the lines of its cart, kept at ingest, and the cart a
-- completed order closes. The current lines are the changes folded in event time (src/carts/fold.ts), so events that
-- arrive out of order, within a batch or across batches, give the same cart.

ALTER TABLE orders ADD COLUMN cart_id text;
CREATE INDEX orders_cart ON orders (workspace_id, cart_id, placed_at) WHERE cart_id IS NOT NULL;
COMMENT ON COLUMN orders.cart_id IS 'Commerce: the cart the order names (cart_id or cartId); null: it names none and closes all its customer''s carts.';

CREATE TABLE carts (
  workspace_id text NOT NULL,
  customer_id bigint NOT NULL,
  cart_id text NOT NULL,
  first_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  currency text,
  currency_at timestamptz,
  url text,
  url_at timestamptz,
  PRIMARY KEY (workspace_id, customer_id, cart_id)
);
CREATE INDEX carts_recent ON carts (workspace_id, customer_id, updated_at DESC);
COMMENT ON TABLE carts IS 'Commerce: one row per customer and cart (cart_id '''' = events that name no cart): its first and latest event time, and the currency and link back to the cart its latest events naming them gave (*_at: that event''s time).';

CREATE TABLE cart_changes (
  workspace_id text NOT NULL,
  message_id text NOT NULL,
  line_no integer NOT NULL,
  customer_id bigint NOT NULL,
  cart_id text NOT NULL,
  at timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  position integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('add', 'remove', 'set', 'clear')),
  line_key text NOT NULL,
  quantity numeric(18, 4),
  product_id text,
  sku text,
  name text,
  variant text,
  category text,
  price numeric(18, 4),
  image_url text,
  url text,
  PRIMARY KEY (workspace_id, message_id, line_no)
);
CREATE INDEX cart_changes_cart ON cart_changes (workspace_id, customer_id, cart_id, at);
COMMENT ON TABLE cart_changes IS 'Commerce: what each cart event did to a line (add, remove, set) or to the whole cart (clear: a snapshot''s start), numbered from 0 in the event''s order; events of the same instant count in arrival order (received_at, then position in the batch).';
