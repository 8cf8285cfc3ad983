-- Keys: three kinds. A public key (rk_pub_…) is a web page's: events with limits, sign-ups under double opt-in, push
-- subscriptions; a server key (rk_server_…) is secret and ingests everything; the admin key does everything. The write
-- keys made before (rk_write_…) keep working, as server keys: they could do all that a server key does.
ALTER TABLE api_keys DROP CONSTRAINT api_keys_kind_check;
UPDATE api_keys SET kind = 'server' WHERE kind = 'write';
ALTER TABLE api_keys ADD CONSTRAINT api_keys_kind_check CHECK (kind IN ('public', 'server', 'admin'));
COMMENT ON TABLE api_keys IS 'Authentication: SHA-256 of each key; public keys send what a web page may, server keys ingest everything, admin keys do everything.';
COMMENT ON TABLE rate_limits IS 'Protection: requests in the current fixed window, shared by all API processes, per key, per address under a public key, and failed authentications per address (all hashed).';
