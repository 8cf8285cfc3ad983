-- Measure: the order history pre-aggregated for the retention and cohort reports, kept current by triggers on orders
-- (O(changed customers) per statement) and rebuilt for a workspace when its time zone changes.
CREATE TABLE customer_months (
  workspace_id text NOT NULL,
  customer_id bigint NOT NULL,
  month date NOT NULL,
  currency text NOT NULL,
  orders integer NOT NULL,
  net numeric NOT NULL,
  first_at timestamptz NOT NULL,
  last_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, customer_id, month, currency)
);
CREATE INDEX customer_months_last ON customer_months (workspace_id, last_at);
COMMENT ON TABLE customer_months IS 'Measure: per customer, month (in the workspace''s zone) and currency (upper-cased, '''' when none): completed orders, net revenue (total − refunded), first and last order.';

CREATE TABLE cohort_customers (
  workspace_id text NOT NULL,
  cohort date NOT NULL,
  month date NOT NULL,
  customers bigint NOT NULL,
  PRIMARY KEY (workspace_id, cohort, month)
);
COMMENT ON TABLE cohort_customers IS 'Measure: customers by month of first completed order (any currency) × month they bought in.';

CREATE TABLE cohort_revenue (
  workspace_id text NOT NULL,
  cohort date NOT NULL,
  month date NOT NULL,
  currency text NOT NULL,
  net numeric NOT NULL,
  PRIMARY KEY (workspace_id, cohort, month, currency)
);
COMMENT ON TABLE cohort_revenue IS 'Measure: net revenue by cohort (month of first order, any currency) × month × currency.';

-- Adds (p_sign 1) or takes out (-1) the cohort cells the given customers' current customer_months rows make.
CREATE FUNCTION measure_cells(p_sign integer, p_ws text[], p_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  WITH m AS (
    SELECT m.workspace_id, m.customer_id, m.month, min(m.month) OVER (PARTITION BY m.workspace_id, m.customer_id) AS cohort
    FROM (SELECT DISTINCT w, c FROM unnest(p_ws, p_ids) AS k(w, c)) k
    JOIN customer_months m ON m.workspace_id = k.w AND m.customer_id = k.c)
  INSERT INTO cohort_customers AS t (workspace_id, cohort, month, customers)
  SELECT workspace_id, cohort, month, p_sign * count(DISTINCT customer_id) FROM m GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (workspace_id, cohort, month) DO UPDATE SET customers = t.customers + EXCLUDED.customers;
  WITH m AS (
    SELECT m.workspace_id, m.month, m.currency, m.net, min(m.month) OVER (PARTITION BY m.workspace_id, m.customer_id) AS cohort
    FROM (SELECT DISTINCT w, c FROM unnest(p_ws, p_ids) AS k(w, c)) k
    JOIN customer_months m ON m.workspace_id = k.w AND m.customer_id = k.c)
  INSERT INTO cohort_revenue AS t (workspace_id, cohort, month, currency, net)
  SELECT workspace_id, cohort, month, currency, p_sign * sum(net) FROM m GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (workspace_id, cohort, month, currency) DO UPDATE SET net = t.net + EXCLUDED.net;
END $$;

-- Recomputes the given customers' customer_months from their orders (and their cohort cells), without locking.
CREATE FUNCTION measure_recount_unlocked(p_ws text[], p_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM measure_cells(-1, p_ws, p_ids);
  DELETE FROM customer_months m USING unnest(p_ws, p_ids) AS k(w, c) WHERE m.workspace_id = k.w AND m.customer_id = k.c;
  INSERT INTO customer_months (workspace_id, customer_id, month, currency, orders, net, first_at, last_at)
  SELECT o.workspace_id, o.customer_id, date_trunc('month', o.placed_at AT TIME ZONE COALESCE(s.timezone, 'UTC'))::date,
         upper(btrim(COALESCE(o.currency, ''))), count(*), sum(o.total - o.refunded), min(o.placed_at), max(o.placed_at)
  FROM (SELECT DISTINCT w, c FROM unnest(p_ws, p_ids) AS k(w, c)) k
  JOIN orders o ON o.workspace_id = k.w AND o.customer_id = k.c
  LEFT JOIN control_group_settings s ON s.workspace_id = o.workspace_id
  WHERE o.status = 'completed'
  GROUP BY 1, 2, 3, 4;
  PERFORM measure_cells(1, p_ws, p_ids);
END $$;

-- Recomputes the months that orders placed at p_at in currency p_cur touched, for their customers: O(those months'
-- orders). A workspace's rebuild waits for (and blocks) these, and two transactions recounting one customer take turns
-- (the second then reads the first's committed orders).
CREATE FUNCTION measure_recount(p_ws text[], p_ids bigint[], p_at timestamptz[], p_cur text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE kw text[]; kc bigint[]; km date[]; kcur text[];
BEGIN
  IF p_ids IS NULL OR cardinality(p_ids) = 0 THEN RETURN; END IF;
  IF (SELECT count(DISTINCT (w, c)) FROM unnest(p_ws, p_ids) AS k(w, c)) > 1000 THEN
    -- A bulk load: one lock on the whole workspace (a lock per customer would overflow the lock table).
    PERFORM pg_advisory_xact_lock(hashtext('measure:' || w)::bigint) FROM (SELECT DISTINCT w FROM unnest(p_ws) AS k(w)) x ORDER BY hashtext('measure:' || w);
  ELSE
    PERFORM pg_advisory_xact_lock_shared(hashtext('measure:' || w)::bigint) FROM (SELECT DISTINCT w FROM unnest(p_ws) AS k(w)) x ORDER BY hashtext('measure:' || w);
    PERFORM pg_advisory_xact_lock(hashtext(w), hashtext(c::text))
    FROM (SELECT DISTINCT w, c FROM unnest(p_ws, p_ids) AS k(w, c)) x ORDER BY hashtext(w), hashtext(c::text);
  END IF;
  SELECT array_agg(w), array_agg(c), array_agg(m), array_agg(cur) INTO kw, kc, km, kcur FROM (
    SELECT DISTINCT k.w, k.c, date_trunc('month', k.at AT TIME ZONE COALESCE(s.timezone, 'UTC'))::date AS m, upper(btrim(COALESCE(k.cur, ''))) AS cur
    FROM unnest(p_ws, p_ids, p_at, p_cur) AS k(w, c, at, cur) LEFT JOIN control_group_settings s ON s.workspace_id = k.w) x;
  PERFORM measure_cells(-1, p_ws, p_ids);
  DELETE FROM customer_months m USING unnest(kw, kc, km, kcur) AS k(w, c, m, cur) WHERE m.workspace_id = k.w AND m.customer_id = k.c AND m.month = k.m AND m.currency = k.cur;
  -- The month's orders: a range on orders_customer two days wider than any zone's month, then the exact month.
  INSERT INTO customer_months (workspace_id, customer_id, month, currency, orders, net, first_at, last_at)
  SELECT k.w, k.c, k.m, k.cur, count(*), sum(o.total - o.refunded), min(o.placed_at), max(o.placed_at)
  FROM unnest(kw, kc, km, kcur) AS k(w, c, m, cur)
  LEFT JOIN control_group_settings s ON s.workspace_id = k.w
  JOIN orders o ON o.workspace_id = k.w AND o.customer_id = k.c
    AND o.placed_at >= k.m::timestamptz - interval '2 days' AND o.placed_at < (k.m + interval '1 month')::timestamptz + interval '2 days'
    AND date_trunc('month', o.placed_at AT TIME ZONE COALESCE(s.timezone, 'UTC'))::date = k.m AND upper(btrim(COALESCE(o.currency, ''))) = k.cur
  WHERE o.status = 'completed'
  GROUP BY 1, 2, 3, 4;
  PERFORM measure_cells(1, p_ws, p_ids);
END $$;

-- Rebuilds one workspace's aggregates from its orders (after a change of its time zone, and as the backfill).
CREATE FUNCTION measure_rebuild(p_ws text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE ids bigint[];
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('measure:' || p_ws)::bigint);
  DELETE FROM customer_months WHERE workspace_id = p_ws;
  DELETE FROM cohort_customers WHERE workspace_id = p_ws;
  DELETE FROM cohort_revenue WHERE workspace_id = p_ws;
  SELECT array_agg(DISTINCT customer_id) INTO ids FROM orders WHERE workspace_id = p_ws AND customer_id IS NOT NULL AND status = 'completed';
  IF ids IS NOT NULL THEN PERFORM measure_recount_unlocked(array_fill(p_ws, ARRAY[cardinality(ids)]), ids); END IF;
END $$;

-- After an insert (new_orders) or a delete (old_orders): the months of the orders that came or went.
CREATE FUNCTION measure_orders_added_or_removed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ws text[]; ids bigint[]; ats timestamptz[]; curs text[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(workspace_id), array_agg(customer_id), array_agg(placed_at), array_agg(currency) INTO ws, ids, ats, curs FROM new_orders WHERE customer_id IS NOT NULL;
  ELSE
    SELECT array_agg(workspace_id), array_agg(customer_id), array_agg(placed_at), array_agg(currency) INTO ws, ids, ats, curs FROM old_orders WHERE customer_id IS NOT NULL;
  END IF;
  PERFORM measure_recount(ws, ids, ats, curs);
  RETURN NULL;
END $$;

-- An update counts only when it changes what the aggregates read (not, say, the attributed message): the months of
-- the changed orders before and after.
CREATE FUNCTION measure_orders_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ws text[]; ids bigint[]; ats timestamptz[]; curs text[];
BEGIN
  WITH n AS (SELECT workspace_id, order_id, customer_id, status, total, refunded, currency, placed_at FROM new_orders),
       o AS (SELECT workspace_id, order_id, customer_id, status, total, refunded, currency, placed_at FROM old_orders),
       changed AS ((SELECT * FROM n EXCEPT SELECT * FROM o) UNION ALL (SELECT * FROM o EXCEPT SELECT * FROM n))
  SELECT array_agg(workspace_id), array_agg(customer_id), array_agg(placed_at), array_agg(currency) INTO ws, ids, ats, curs
  FROM changed WHERE customer_id IS NOT NULL;
  PERFORM measure_recount(ws, ids, ats, curs);
  RETURN NULL;
END $$;

CREATE TRIGGER orders_measure_insert AFTER INSERT ON orders REFERENCING NEW TABLE AS new_orders
  FOR EACH STATEMENT EXECUTE FUNCTION measure_orders_added_or_removed();
CREATE TRIGGER orders_measure_update AFTER UPDATE ON orders REFERENCING OLD TABLE AS old_orders NEW TABLE AS new_orders
  FOR EACH STATEMENT EXECUTE FUNCTION measure_orders_updated();
CREATE TRIGGER orders_measure_delete AFTER DELETE ON orders REFERENCING OLD TABLE AS old_orders
  FOR EACH STATEMENT EXECUTE FUNCTION measure_orders_added_or_removed();

-- Months are in the workspace's zone: a new zone rebuilds the workspace (UTC is what no settings row means).
CREATE FUNCTION measure_zone_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.timezone <> 'UTC' THEN PERFORM measure_rebuild(NEW.workspace_id); END IF;
  ELSIF TG_OP = 'DELETE' THEN
    IF OLD.timezone <> 'UTC' THEN PERFORM measure_rebuild(OLD.workspace_id); END IF;
  ELSIF NEW.timezone IS DISTINCT FROM OLD.timezone THEN
    PERFORM measure_rebuild(NEW.workspace_id);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER control_group_settings_measure_zone AFTER INSERT OR UPDATE OR DELETE ON control_group_settings
  FOR EACH ROW EXECUTE FUNCTION measure_zone_changed();

-- Backfill: every workspace that has orders.
SELECT measure_rebuild(w) FROM (SELECT DISTINCT workspace_id AS w FROM orders) x;
