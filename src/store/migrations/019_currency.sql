-- Money: the workspace's base currency and the rates that convert other currencies to it (PUT
-- /api/v1/settings/currency), so that reports never add amounts of different currencies. The default currency that
-- earlier versions read from workspaces.settings.messaging.currency (templates' `money` filter) becomes the base
-- currency, its one place, and is removed from the old place.

CREATE TABLE currency_settings (
  workspace_id text PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
  base text NOT NULL,
  rates jsonb NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE currency_settings IS 'Money: base currency (ISO 4217) of a workspace and rates to it, {"PLN": {"rate": 0.2315, "date": "2026-05-01"}} = 1 PLN is 0.2315 of the base; absent: the base is inferred (src/money/store.ts).';

INSERT INTO currency_settings (workspace_id, base, rates, updated_at)
SELECT id, upper(btrim(settings->'messaging'->>'currency')), '{}'::jsonb, now()
FROM workspaces
WHERE jsonb_typeof(settings->'messaging') = 'object' AND btrim(settings->'messaging'->>'currency') ~ '^[A-Za-z]{3}$'
ON CONFLICT (workspace_id) DO NOTHING;

UPDATE workspaces SET settings = jsonb_set(settings, '{messaging}', (settings->'messaging') - 'currency')
WHERE jsonb_typeof(settings->'messaging') = 'object' AND (settings->'messaging') ? 'currency';

-- The currency of an order as reports read it: the code sent, trimmed and upper-cased; NULL when none was sent.
CREATE INDEX orders_currency ON orders (workspace_id, (NULLIF(upper(btrim(currency)), '')));
COMMENT ON INDEX orders_currency IS 'Money: which currencies a workspace''s orders are in (the lowest and highest code, and whether any has none), in three index probes.';
