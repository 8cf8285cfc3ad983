-- Change tracking: which customers changed since segments and scores were last evaluated for them.

CREATE TABLE customer_changes (
  workspace_id text NOT NULL,
  customer_id bigint NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, customer_id)
);
COMMENT ON TABLE customer_changes IS 'Incremental evaluation: customers touched by ingest, drained (FOR UPDATE SKIP LOCKED) by the segment runner.';
