-- Messaging: templates, channel providers (credentials encrypted), consent topics, suppressions, the messages sent
-- and their statuses, and provider rate windows shared by every worker.

CREATE TABLE templates (
  workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  id text NOT NULL,
  name text NOT NULL,
  default_locale text NOT NULL DEFAULT 'en',
  content jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);
COMMENT ON TABLE templates IS 'Messaging: Liquid templates per channel and locale ({channel: {locale: fields}}), referenced by journeys send steps.';

CREATE TABLE channel_providers (
  workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  channel text NOT NULL,
  provider text NOT NULL,
  config_encrypted text NOT NULL,
  per_second double precision,
  price_per_message double precision NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, channel)
);
COMMENT ON TABLE channel_providers IS 'Messaging: the provider of each channel with its credentials (AES-256-GCM), rate limit and price.';

CREATE TABLE provider_rate_windows (
  workspace_id text NOT NULL,
  channel text NOT NULL,
  window_start bigint NOT NULL,
  sent integer NOT NULL,
  PRIMARY KEY (workspace_id, channel, window_start)
);
COMMENT ON TABLE provider_rate_windows IS 'Messaging: sends per provider and second, counted in the database so the limit holds across workers.';

ALTER TABLE consents ADD COLUMN topic text NOT NULL DEFAULT '';
ALTER TABLE consents DROP CONSTRAINT consents_pkey;
ALTER TABLE consents ADD PRIMARY KEY (workspace_id, customer_id, channel, purpose, topic, at);

CREATE TABLE consent_confirmations (
  workspace_id text NOT NULL,
  token_hash text NOT NULL,
  customer_id bigint NOT NULL,
  channel text NOT NULL,
  purpose text NOT NULL,
  topic text NOT NULL DEFAULT '',
  text_version text,
  requested_at timestamptz NOT NULL,
  confirmed_at timestamptz,
  PRIMARY KEY (workspace_id, token_hash)
);
COMMENT ON TABLE consent_confirmations IS 'Consent: pending double opt-in confirmations (only a hash of the token is kept).';

CREATE TABLE subscription_topics (
  workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  id text NOT NULL,
  name text NOT NULL,
  description text,
  PRIMARY KEY (workspace_id, id)
);
COMMENT ON TABLE subscription_topics IS 'Consent: topics a customer can join or leave (newsletter, offers, product news).';

CREATE TABLE suppressions (
  workspace_id text NOT NULL,
  channel text NOT NULL,
  address text NOT NULL,
  reason text NOT NULL CHECK (reason IN ('hard_bounce', 'complaint', 'unsubscribed', 'invalid_address')),
  detail text,
  at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, channel, address)
);
COMMENT ON TABLE suppressions IS 'Send gate: addresses never to be sent to again on a channel, and why.';

CREATE TABLE messages (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id text NOT NULL,
  intent_id bigint,
  message_key text NOT NULL,
  customer_id bigint NOT NULL,
  purpose text NOT NULL,
  channel text NOT NULL,
  address text,
  template text,
  locale text,
  status text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'opened', 'clicked', 'bounced', 'failed', 'complained', 'unsubscribed', 'unknown')),
  provider text,
  provider_message_id text,
  attempts integer NOT NULL DEFAULT 0,
  error text,
  cost double precision,
  segments integer,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  delivered_at timestamptz,
  opened_at timestamptz,
  clicked_at timestamptz,
  updated_at timestamptz NOT NULL,
  UNIQUE (workspace_id, message_key, channel)
);
CREATE INDEX messages_customer_sent ON messages (workspace_id, customer_id, sent_at DESC) WHERE sent_at IS NOT NULL;
CREATE INDEX messages_provider_id ON messages (provider, provider_message_id) WHERE provider_message_id IS NOT NULL;
COMMENT ON TABLE messages IS 'Messaging: one row per message and channel tried (a cascade has several), with its delivery status.';

ALTER TABLE message_intents ADD COLUMN not_before timestamptz;
ALTER TABLE message_intents ADD COLUMN decided_at timestamptz;
ALTER TABLE message_intents ADD COLUMN cascade_index integer NOT NULL DEFAULT 0;
COMMENT ON COLUMN message_intents.not_before IS 'Send gate: a deferred intent (quiet hours, cap, cascade timeout) waits until then.';
