-- Journeys: versioned definitions, durable runs with timers, their step log, the journey inbox fed by the event log,
-- the message-intent outbox that the send gate drains, and the global control group.

CREATE TABLE journeys (
  workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  id text NOT NULL,
  name text NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'paused', 'archived')),
  version integer NOT NULL DEFAULT 1,
  active_version integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);
COMMENT ON TABLE journeys IS 'Journeys: one row per journey with its state, its latest version and the version new runs enter.';

CREATE TABLE journey_versions (
  workspace_id text NOT NULL,
  journey_id text NOT NULL,
  version integer NOT NULL,
  definition jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  activated_at timestamptz,
  PRIMARY KEY (workspace_id, journey_id, version),
  FOREIGN KEY (workspace_id, journey_id) REFERENCES journeys (workspace_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE journey_versions IS 'Journeys: immutable once activated; runs finish on the version they entered.';

CREATE TABLE journey_triggers (
  workspace_id text NOT NULL,
  journey_id text NOT NULL,
  kind text NOT NULL,
  cursor_at timestamptz NOT NULL,
  cursor_customer bigint,
  done boolean NOT NULL DEFAULT false,
  PRIMARY KEY (workspace_id, journey_id),
  FOREIGN KEY (workspace_id, journey_id) REFERENCES journeys (workspace_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE journey_triggers IS 'Journeys: how far date, schedule and broadcast triggers have swept (time window end, broadcast cursor).';

CREATE TABLE journey_watch (
  workspace_id text NOT NULL,
  name text NOT NULL,
  PRIMARY KEY (workspace_id, name)
);
COMMENT ON TABLE journey_watch IS 'Journeys: event names an active journey listens to (trigger, wait, goal); only these reach the journey inbox.';

CREATE TABLE journey_inbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id text NOT NULL,
  customer_id bigint NOT NULL,
  message_id text NOT NULL,
  name text NOT NULL,
  properties jsonb NOT NULL,
  timestamp timestamptz NOT NULL
);
COMMENT ON TABLE journey_inbox IS 'Journeys: watched events, copied by a trigger on the event log in the same transaction, drained in order by workers.';

CREATE FUNCTION journey_inbox_feed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO journey_inbox (workspace_id, customer_id, message_id, name, properties, timestamp)
  SELECT n.workspace_id, n.customer_id, n.message_id, n.name, n.properties, n.timestamp
  FROM new_events n JOIN journey_watch w ON w.workspace_id = n.workspace_id AND w.name = n.name
  WHERE n.customer_id IS NOT NULL
  ORDER BY n.timestamp, n.message_id;
  RETURN NULL;
END
$$;

CREATE TRIGGER events_journey_inbox AFTER INSERT ON events REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION journey_inbox_feed();

CREATE TABLE journey_runs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id text NOT NULL,
  journey_id text NOT NULL,
  version integer NOT NULL,
  customer_id bigint NOT NULL,
  entry_key text NOT NULL DEFAULT '',
  status text NOT NULL CHECK (status IN ('active', 'waiting', 'completed', 'exited', 'failed')),
  step_id text,
  seq integer NOT NULL DEFAULT 0,
  wake_at timestamptz,
  context jsonb NOT NULL DEFAULT '{}',
  started_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  ended_at timestamptz,
  FOREIGN KEY (workspace_id, journey_id) REFERENCES journeys (workspace_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX journey_runs_open ON journey_runs (workspace_id, journey_id, customer_id, entry_key) WHERE ended_at IS NULL;
CREATE INDEX journey_runs_due ON journey_runs (wake_at) WHERE wake_at IS NOT NULL;
CREATE INDEX journey_runs_customer ON journey_runs (workspace_id, customer_id, started_at DESC);
CREATE INDEX journey_runs_step ON journey_runs (workspace_id, journey_id, step_id) WHERE ended_at IS NULL;
COMMENT ON TABLE journey_runs IS 'Journeys: one durable row per run (current step, wake time, context); due rows are claimed with SKIP LOCKED.';

CREATE TABLE journey_entries (
  workspace_id text NOT NULL,
  journey_id text NOT NULL,
  customer_id bigint NOT NULL,
  entry_key text NOT NULL,
  entries integer NOT NULL,
  last_entered_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, journey_id, customer_id, entry_key)
);
COMMENT ON TABLE journey_entries IS 'Journeys: who entered how often and when last, for the entry rules (once, cooldown).';

CREATE TABLE journey_step_log (
  run_id bigint NOT NULL,
  seq integer NOT NULL,
  workspace_id text NOT NULL,
  journey_id text NOT NULL,
  customer_id bigint NOT NULL,
  step_id text NOT NULL,
  type text NOT NULL,
  outcome text NOT NULL,
  detail jsonb,
  at timestamptz NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE INDEX journey_step_log_step ON journey_step_log (workspace_id, journey_id, step_id);
COMMENT ON TABLE journey_step_log IS 'Journeys: every step a run executed, once (run, seq is the idempotency key): history and per-step counts.';

CREATE TABLE message_intents (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id text NOT NULL,
  message_key text NOT NULL,
  customer_id bigint NOT NULL,
  journey_id text,
  journey_version integer,
  step_id text,
  run_id bigint,
  purpose text NOT NULL CHECK (purpose IN ('transactional', 'marketing')),
  template text NOT NULL,
  channel jsonb NOT NULL,
  params jsonb NOT NULL DEFAULT '{}',
  context jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'pending',
  created_at timestamptz NOT NULL,
  UNIQUE (workspace_id, message_key)
);
CREATE INDEX message_intents_pending ON message_intents (id) WHERE status = 'pending';
CREATE INDEX message_intents_customer ON message_intents (workspace_id, customer_id, created_at DESC);
COMMENT ON TABLE message_intents IS 'Outbox: messages journeys decided to send (one per message key); the send gate dispatches them.';

CREATE TABLE control_group_settings (
  workspace_id text PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
  share double precision NOT NULL DEFAULT 0.05 CHECK (share >= 0 AND share <= 0.5),
  period_months integer NOT NULL DEFAULT 3 CHECK (period_months BETWEEN 3 AND 6),
  timezone text NOT NULL DEFAULT 'UTC'
);
COMMENT ON TABLE control_group_settings IS 'Journeys: per workspace, the global control group share and redraw period, and the default time zone.';

CREATE TABLE control_group_members (
  workspace_id text NOT NULL,
  customer_id bigint NOT NULL,
  period_from timestamptz NOT NULL,
  period_until timestamptz NOT NULL,
  first_held_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, customer_id, period_from)
);
COMMENT ON TABLE control_group_members IS 'Journeys: customers held out of all marketing in a period (drawn deterministically), with the dates, for measurement.';
