-- Customers a marketer can read: a display name taken from the traits (`name`, else first + last name in either
-- spelling), kept by PostgreSQL itself so no writer can forget it, and a word index for searching by name.
-- The index is partial (customers without a name cost nothing) and holds no score column, so scoring's updates stay HOT.
ALTER TABLE customers ADD COLUMN name text GENERATED ALWAYS AS (
  COALESCE(
    NULLIF(btrim(left(traits->>'name', 200)), ''),
    NULLIF(btrim(left(COALESCE(traits->>'firstName', traits->>'first_name', '') || ' ' ||
                      COALESCE(traits->>'lastName', traits->>'last_name', ''), 200)), '')
  )
) STORED;
CREATE INDEX customers_name_words ON customers USING gin (to_tsvector('simple', name)) WHERE name IS NOT NULL;
COMMENT ON COLUMN customers.name IS 'Display name from the traits name, or firstName/first_name + lastName/last_name; null when none is known.';
