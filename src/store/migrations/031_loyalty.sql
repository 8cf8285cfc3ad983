-- Loyalty: a workspace's programme, each customer's account, the append-only points ledger and the lots it is spent
-- from (first in, first out), the rewards catalogue. Balances on the account row always equal the sum of the ledger.
CREATE TABLE loyalty_programs (
  workspace_id text PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
  settings jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);
COMMENT ON TABLE loyalty_programs IS 'Loyalty: one programme per workspace (earn rules, pending days, expiry, tiers), switched off until enabled.';

CREATE TABLE loyalty_accounts (
  workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  customer_id bigint NOT NULL,
  available bigint NOT NULL DEFAULT 0,
  pending bigint NOT NULL DEFAULT 0,
  tier text,
  tier_since timestamptz,
  tier_review_at timestamptz,
  referral_code text,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, customer_id)
);
CREATE UNIQUE INDEX loyalty_accounts_referral ON loyalty_accounts (workspace_id, referral_code) WHERE referral_code IS NOT NULL;
CREATE INDEX loyalty_accounts_review ON loyalty_accounts (workspace_id, tier_review_at) WHERE tier_review_at IS NOT NULL;
COMMENT ON TABLE loyalty_accounts IS 'Loyalty: per customer the spendable and pending points (the ledger''s sums, kept in the same transaction), tier and when it is reviewed.';

CREATE TABLE loyalty_ledger (
  workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  id bigint GENERATED ALWAYS AS IDENTITY,
  customer_id bigint NOT NULL,
  kind text NOT NULL CHECK (kind IN ('earn', 'bonus', 'release', 'redeem', 'clawback', 'expire', 'adjust', 'referral')),
  available_delta bigint NOT NULL,
  pending_delta bigint NOT NULL,
  source text NOT NULL,
  reason text,
  actor text,
  details jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, source)
);
CREATE INDEX loyalty_ledger_customer ON loyalty_ledger (workspace_id, customer_id, at);
COMMENT ON TABLE loyalty_ledger IS 'Loyalty: every movement of points, appended once per source (an order, a refund, a redemption key, a lot''s release or expiry); never updated.';

CREATE TABLE loyalty_lots (
  workspace_id text NOT NULL,
  ledger_id bigint NOT NULL,
  customer_id bigint NOT NULL,
  order_id text,
  points bigint NOT NULL,
  remaining bigint NOT NULL,
  clawed bigint NOT NULL DEFAULT 0,
  earned_at timestamptz NOT NULL,
  available_at timestamptz NOT NULL,
  released boolean NOT NULL,
  expires_at timestamptz,
  PRIMARY KEY (workspace_id, ledger_id),
  FOREIGN KEY (workspace_id, ledger_id) REFERENCES loyalty_ledger (workspace_id, id)
);
CREATE INDEX loyalty_lots_customer ON loyalty_lots (workspace_id, customer_id, earned_at) WHERE remaining > 0;
CREATE INDEX loyalty_lots_release ON loyalty_lots (workspace_id, available_at) WHERE NOT released;
CREATE INDEX loyalty_lots_expiry ON loyalty_lots (workspace_id, expires_at) WHERE remaining > 0 AND expires_at IS NOT NULL;
CREATE INDEX loyalty_lots_order ON loyalty_lots (workspace_id, order_id) WHERE order_id IS NOT NULL;
COMMENT ON TABLE loyalty_lots IS 'Loyalty: each credit of points as a lot: what is left of it to spend, when it becomes spendable and when it expires (spent and expired first in, first out).';

CREATE TABLE loyalty_rewards (
  workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  id text NOT NULL,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('coupon', 'discount', 'gift')),
  cost bigint NOT NULL CHECK (cost > 0),
  value numeric(18, 2),
  coupon_pool text,
  active boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, id)
);
COMMENT ON TABLE loyalty_rewards IS 'Loyalty: the rewards catalogue: cost in points for a coupon (from a coupon pool), a discount or a gift.';
