-- Understanding: scores on customers, consent records, segments and their memberships.

ALTER TABLE customers ADD COLUMN rfm_r smallint;
ALTER TABLE customers ADD COLUMN rfm_f smallint;
ALTER TABLE customers ADD COLUMN rfm_m smallint;
ALTER TABLE customers ADD COLUMN rfm_segment text;
ALTER TABLE customers ADD COLUMN p_alive double precision;
ALTER TABLE customers ADD COLUMN expected_purchases double precision;
ALTER TABLE customers ADD COLUMN churn_risk text CHECK (churn_risk IN ('low', 'medium', 'high'));
ALTER TABLE customers ADD COLUMN expected_order_value double precision;
ALTER TABLE customers ADD COLUMN clv double precision;
ALTER TABLE customers ADD COLUMN lifecycle_stage text CHECK (lifecycle_stage IN ('new', 'active', 'at_risk', 'churned', 'reactivated'));
ALTER TABLE customers ADD COLUMN scored_at timestamptz;

CREATE TABLE consents (
  workspace_id text NOT NULL,
  customer_id bigint NOT NULL,
  channel text NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('transactional', 'marketing')),
  granted boolean NOT NULL,
  source text NOT NULL,
  ip text,
  text_version text,
  at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, customer_id, channel, purpose, at)
);
COMMENT ON TABLE consents IS 'Consent audit trail: every grant and revocation per channel and purpose; the latest one is in force.';

CREATE TABLE segments (
  workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  id text NOT NULL,
  name text NOT NULL,
  definition jsonb NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
  evaluated_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);
COMMENT ON TABLE segments IS 'Segments: named JSON definitions, and when each was last evaluated (the start of its next time-crossing window).';

CREATE TABLE segment_members (
  workspace_id text NOT NULL,
  segment_id text NOT NULL,
  customer_id bigint NOT NULL,
  entered_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, segment_id, customer_id)
);
CREATE INDEX segment_members_customer ON segment_members (workspace_id, customer_id);
COMMENT ON TABLE segment_members IS 'Segments: current members; entries and exits are also written to the event log.';
