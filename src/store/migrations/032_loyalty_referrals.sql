-- Loyalty referrals: who referred whom (by the referrer's code), and whether the referral was rewarded or refused.
CREATE TABLE loyalty_referrals (
  workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  referee_id bigint NOT NULL,
  referrer_id bigint NOT NULL,
  code text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'rewarded', 'refused')),
  reason text,
  order_id text,
  at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, referee_id)
);
CREATE INDEX loyalty_referrals_referrer ON loyalty_referrals (workspace_id, referrer_id);
COMMENT ON TABLE loyalty_referrals IS 'Loyalty: one referral per referee (the first code they came with): pending until their first completed, unrefunded order rewards both, or refused (self-referral).';
