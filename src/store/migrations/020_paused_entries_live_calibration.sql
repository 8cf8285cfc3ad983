-- Journeys: the entries a paused journey whose definition says "whilePaused": "catch_up" keeps for its resume (the
-- triggering events that arrived while it was paused).
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
