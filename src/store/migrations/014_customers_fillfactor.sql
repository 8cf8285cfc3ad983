-- Models: room on every page of customers for a new version of each row, so that a scoring run, which rewrites the
-- score columns of (nearly) every customer once a day, makes HOT updates (no score column is indexed): no index
-- entries, and the old versions are pruned in place by the next run instead of the table growing by a full copy.
-- Pages written before this migration keep their old fill until the table is rewritten (VACUUM FULL).

ALTER TABLE customers SET (fillfactor = 50);
