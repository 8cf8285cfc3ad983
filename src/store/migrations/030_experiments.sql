-- Measure: experiments run elsewhere and imported (retain import experiment), kept as each arm's sufficient
-- statistics per metric (customers, Σx, Σx²), from which every report is computed.
CREATE TABLE experiments (
  workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  id text NOT NULL,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('offline')),
  control_arm text NOT NULL,
  metrics jsonb NOT NULL,
  source text,
  rejected integer NOT NULL DEFAULT 0,
  imported_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, id)
);
COMMENT ON TABLE experiments IS 'Measure: imported experiments: the control arm and the metrics (name, proportion or mean) of each.';

CREATE TABLE experiment_arms (
  workspace_id text NOT NULL,
  experiment_id text NOT NULL,
  arm text NOT NULL,
  metric text NOT NULL,
  n bigint NOT NULL,
  sum double precision NOT NULL,
  sum_squares double precision NOT NULL,
  non_zero bigint NOT NULL,
  PRIMARY KEY (workspace_id, experiment_id, arm, metric),
  FOREIGN KEY (workspace_id, experiment_id) REFERENCES experiments (workspace_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE experiment_arms IS 'Measure: per experiment, arm and metric: customers n, the sum and the sum of squares of their outcomes, and how many were not 0.';

-- Journeys' control customers, per journey: who would have entered a marketing journey but was held out by the
-- global control group, and when; with the journey's runs (the treated) this is what a journey's lift compares.
CREATE TABLE journey_holdouts (
  workspace_id text NOT NULL,
  journey_id text NOT NULL,
  customer_id bigint NOT NULL,
  entry_key text NOT NULL,
  held_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, journey_id, customer_id, entry_key, held_at),
  FOREIGN KEY (workspace_id, journey_id) REFERENCES journeys (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX journey_holdouts_held ON journey_holdouts (workspace_id, held_at);
COMMENT ON TABLE journey_holdouts IS 'Measure: each time the global control group kept a customer out of a marketing journey they were entering.';
CREATE INDEX journey_runs_started ON journey_runs (workspace_id, journey_id, started_at);
