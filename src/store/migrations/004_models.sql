-- Models: the history of BG/NBD and Gamma-Gamma fits, and each workspace's model settings and fit schedule.

CREATE TABLE model_fits (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  run_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('bgnbd', 'gamma_gamma')),
  status text NOT NULL CHECK (status IN ('ok', 'failed')),
  message text,
  params jsonb,
  diagnostics jsonb NOT NULL DEFAULT '{}',
  calibration_end date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'ok') = (params IS NOT NULL))
);
CREATE INDEX model_fits_history ON model_fits (workspace_id, id DESC);
CREATE INDEX model_fits_current ON model_fits (workspace_id, kind, id DESC) WHERE status = 'ok';
COMMENT ON TABLE model_fits IS 'Models: every fit (kept as history); the newest ok row per kind is the model that scores customers.';

CREATE TABLE model_settings (
  workspace_id text PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
  settings jsonb NOT NULL DEFAULT '{}',
  next_fit_at timestamptz,
  last_run jsonb,
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE model_settings IS 'Models: per-workspace thresholds, RFM mapping, CLV horizon and fit schedule (next_fit_at is claimed by workers).';
