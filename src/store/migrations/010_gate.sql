-- Send gate and consent: the gate's settings per workspace, the secret that signs consent links, and when a consent
-- was confirmed by double opt-in.

CREATE TABLE messaging_settings (
  workspace_id text PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
  settings jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE messaging_settings IS 'Send gate: frequency caps, quiet hours, double opt-in and sender identification of a workspace (defaults when absent).';

CREATE TABLE link_secrets (
  workspace_id text PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
  secret text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE link_secrets IS 'Consent links: a random per-workspace secret (made on first use) from which the key signing unsubscribe, preference and confirmation links is derived, unless RETAIN_LINK_SECRET is set.';

ALTER TABLE consents ADD COLUMN confirmed_at timestamptz;
COMMENT ON COLUMN consents.confirmed_at IS 'Consent: set on a grant the person confirmed by double opt-in (the click on the confirmation link).';

CREATE INDEX consent_confirmations_customer ON consent_confirmations (workspace_id, customer_id);
