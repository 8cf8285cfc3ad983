-- Core of the event platform: workspaces, keys, customers with their aggregates, the event log, orders.

CREATE TABLE workspaces (
  id text PRIMARY KEY,
  name text NOT NULL,
  settings jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE workspaces IS 'Tenants: every other row belongs to exactly one workspace.';

CREATE TABLE api_keys (
  key_hash text PRIMARY KEY,
  workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('write', 'admin')),
  prefix text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
COMMENT ON TABLE api_keys IS 'Authentication: SHA-256 of each key; write keys ingest, admin keys do everything.';

CREATE TABLE rate_limits (
  key_hash text PRIMARY KEY,
  window_start bigint NOT NULL,
  hits integer NOT NULL
);
COMMENT ON TABLE rate_limits IS 'Protection: requests per key in the current fixed window, shared by all API processes.';

CREATE SEQUENCE customer_ids;

CREATE TABLE customers (
  workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  id bigint NOT NULL,
  user_id text,
  email text,
  phone text,
  locale text,
  timezone text,
  traits jsonb NOT NULL DEFAULT '{}',
  trait_times jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  first_seen timestamptz,
  last_seen timestamptz,
  first_order_at timestamptz,
  last_order_at timestamptz,
  orders_count integer NOT NULL DEFAULT 0,
  purchase_days integer NOT NULL DEFAULT 0,
  revenue_total numeric(18, 2) NOT NULL DEFAULT 0,
  revenue_net numeric(18, 2) NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX customers_user_id ON customers (workspace_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX customers_email ON customers (workspace_id, email) WHERE email IS NOT NULL;
CREATE INDEX customers_phone ON customers (workspace_id, phone) WHERE phone IS NOT NULL;
CREATE INDEX customers_last_order ON customers (workspace_id, last_order_at);
CREATE INDEX customers_last_seen ON customers (workspace_id, last_seen);
COMMENT ON TABLE customers IS 'Profiles: one row per known person with traits and the aggregates kept current at ingest.';

CREATE TABLE identities (
  workspace_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('user', 'anonymous')),
  value text NOT NULL,
  customer_id bigint NOT NULL,
  PRIMARY KEY (workspace_id, kind, value)
);
CREATE INDEX identities_customer ON identities (workspace_id, customer_id);
COMMENT ON TABLE identities IS 'Identity resolution: which customer a user id or anonymous id belongs to.';

CREATE TABLE customer_merges (
  workspace_id text NOT NULL,
  from_id bigint NOT NULL,
  to_id bigint NOT NULL,
  merged_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, from_id)
);
COMMENT ON TABLE customer_merges IS 'Identity resolution: anonymous profiles folded into a known customer, so old ids still resolve.';

CREATE TABLE events (
  workspace_id text NOT NULL,
  message_id text NOT NULL,
  customer_id bigint,
  type text NOT NULL,
  name text,
  user_id text,
  anonymous_id text,
  properties jsonb NOT NULL DEFAULT '{}',
  traits jsonb,
  context jsonb,
  timestamp timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, message_id)
);
CREATE INDEX events_customer_time ON events (workspace_id, customer_id, timestamp DESC, message_id DESC);
CREATE INDEX events_time ON events (workspace_id, timestamp);
COMMENT ON TABLE events IS 'The event log: everything that happened to a customer, deduplicated by messageId.';

CREATE TABLE customer_event_counters (
  workspace_id text NOT NULL,
  customer_id bigint NOT NULL,
  name text NOT NULL,
  count bigint NOT NULL,
  first_at timestamptz NOT NULL,
  last_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, customer_id, name)
);
COMMENT ON TABLE customer_event_counters IS 'Aggregates: per customer and event name, how many and when last; read by segments.';

CREATE TABLE customer_purchase_days (
  workspace_id text NOT NULL,
  customer_id bigint NOT NULL,
  day date NOT NULL,
  PRIMARY KEY (workspace_id, customer_id, day)
);
COMMENT ON TABLE customer_purchase_days IS 'Aggregates: distinct purchase days per customer, so customers.purchase_days stays exact.';

CREATE TABLE orders (
  workspace_id text NOT NULL,
  order_id text NOT NULL,
  customer_id bigint,
  status text NOT NULL CHECK (status IN ('completed', 'cancelled')),
  total numeric(18, 2) NOT NULL,
  refunded numeric(18, 2) NOT NULL DEFAULT 0,
  currency text,
  placed_at timestamptz NOT NULL,
  message_id text NOT NULL,
  PRIMARY KEY (workspace_id, order_id)
);
CREATE INDEX orders_customer ON orders (workspace_id, customer_id, placed_at);
COMMENT ON TABLE orders IS 'Commerce: orders materialised from Order Completed; customer_id is null for anonymous sales.';

CREATE TABLE order_lines (
  workspace_id text NOT NULL,
  order_id text NOT NULL,
  line_no integer NOT NULL,
  product_id text,
  sku text,
  name text,
  category text,
  price numeric(18, 4),
  quantity numeric(18, 4) NOT NULL,
  PRIMARY KEY (workspace_id, order_id, line_no)
);
CREATE INDEX order_lines_product ON order_lines (workspace_id, product_id);
COMMENT ON TABLE order_lines IS 'Commerce: the products of each order, for recommendations and templates.';

CREATE TABLE order_adjustments (
  workspace_id text NOT NULL,
  message_id text NOT NULL,
  order_id text NOT NULL,
  customer_id bigint,
  kind text NOT NULL CHECK (kind IN ('refund', 'cancel')),
  amount numeric(18, 2) NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, message_id)
);
CREATE INDEX order_adjustments_customer ON order_adjustments (workspace_id, customer_id);
COMMENT ON TABLE order_adjustments IS 'Commerce: refunds and cancellations, each subtracting from net revenue once.';

CREATE TABLE products (
  workspace_id text NOT NULL,
  product_id text NOT NULL,
  name text,
  price numeric(18, 4),
  category text,
  url text,
  image_url text,
  in_stock boolean,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, product_id)
);
COMMENT ON TABLE products IS 'Catalogue: products upserted by the API, for templates and recommendations.';

CREATE TABLE erasures (
  workspace_id text NOT NULL,
  identity_hash text NOT NULL,
  erased_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, identity_hash)
);
COMMENT ON TABLE erasures IS 'Right to be forgotten: PII-free tombstones (hashes of erased ids) that stop replays bringing a person back.';

CREATE TABLE import_progress (
  workspace_id text NOT NULL,
  import_key text NOT NULL,
  lines_done bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, import_key)
);
COMMENT ON TABLE import_progress IS 'Imports: how far a file import has committed, so a killed import resumes.';
