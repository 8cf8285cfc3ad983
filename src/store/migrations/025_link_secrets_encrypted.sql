-- Link secrets are encrypted at rest like channel credentials. SQL cannot encrypt them (the secret key is not in the
-- database): Retain encrypts the plain rows left from before when it starts (consent/secret.ts, sealLinkSecrets) and
-- any it still meets on first read; until then a plain row is read as it is.
COMMENT ON COLUMN link_secrets.secret IS 'Consent links: the workspace secret, AES-256-GCM ("v1:<key id>:…") with the secret key (RETAIN_SECRET_KEY or the data folder''s secret.key), bound to the workspace; plain only in rows written before migration 025 until Retain next starts.';
