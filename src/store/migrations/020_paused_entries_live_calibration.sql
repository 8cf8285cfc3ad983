-- Journeys: the entries a paused journey whose definition says "whilePaused": "catch_up" keeps for its resume (the
-- triggering events that arrived while it was paused). Models: the live calibration end a manual fit set (the
-- scheduled fit keeps to it), and whether each fit was asked for or scheduled.
CREATE TABLE journey_catch_up (
  workspace_id text NOT NULL,
  journey_id text NOT NULL,
  message_id text NOT NULL,
  customer_id bigint NOT NULL,
  timestamp timestamptz NOT NULL,
  context jsonb NOT NULL,
  PRIMARY KEY (workspace_id, journey_id, message_id),
  FOREIGN KEY (workspace_id, journey_id) REFERENCES journeys (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX journey_catch_up_order ON journey_catch_up (workspace_id, journey_id, timestamp, message_id);
CREATE INDEX journey_catch_up_customer ON journey_catch_up (workspace_id, customer_id);
COMMENT ON TABLE journey_catch_up IS 'Journeys: triggering events kept while a catch-up journey is paused; they enter (oldest first) once it resumes.';

ALTER TABLE model_settings ADD COLUMN calibration_end date;
ALTER TABLE model_settings ADD COLUMN calibration_end_set_at timestamptz;
COMMENT ON COLUMN model_settings.calibration_end IS 'Models: the day the live scores are as of, set by a manual fit with a calibration end other than its day; NULL = today (the scheduled fit follows the clock).';
ALTER TABLE model_fits ADD COLUMN origin text CHECK (origin IN ('manual', 'schedule'));
COMMENT ON COLUMN model_fits.origin IS 'Models: manual (retain models fit, POST /api/v1/models/fit) or schedule (the worker); NULL for fits made before it was recorded.';
