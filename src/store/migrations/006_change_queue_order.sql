-- Segments: the change queue is drained oldest first; an index in that order avoids sorting the whole queue.

CREATE INDEX customer_changes_order ON customer_changes (workspace_id, changed_at, customer_id);
