-- Messaging: the sender's identity (name and identification) lives in one place, messaging_settings, edited with
-- PUT /api/v1/settings/messaging. Values kept in workspaces.settings.messaging by earlier versions move there (a value
-- already in messaging_settings wins, as it did when templates read both) and are removed from the old place.

INSERT INTO messaging_settings (workspace_id, settings, updated_at)
SELECT w.id, '{"caps": {"all": {"perDay": 1, "perWeek": 3}}, "quietHours": {"from": "21:00", "to": "09:00"}, "doubleOptInEmail": false}'::jsonb, now()
FROM workspaces w
WHERE jsonb_typeof(w.settings->'messaging') = 'object' AND (w.settings->'messaging') ?| array['senderName', 'senderIdentification']
ON CONFLICT (workspace_id) DO NOTHING;

UPDATE messaging_settings m SET settings = m.settings
  || CASE WHEN m.settings ? 'senderName' OR coalesce(btrim(w.settings->'messaging'->>'senderName'), '') = '' THEN '{}'::jsonb
          ELSE jsonb_build_object('senderName', btrim(w.settings->'messaging'->>'senderName')) END
  || CASE WHEN m.settings ? 'senderIdentification' OR coalesce(btrim(w.settings->'messaging'->>'senderIdentification'), '') = '' THEN '{}'::jsonb
          ELSE jsonb_build_object('senderIdentification', btrim(w.settings->'messaging'->>'senderIdentification')) END,
  updated_at = now()
FROM workspaces w
WHERE w.id = m.workspace_id AND jsonb_typeof(w.settings->'messaging') = 'object' AND (w.settings->'messaging') ?| array['senderName', 'senderIdentification'];

UPDATE workspaces SET settings = jsonb_set(settings, '{messaging}', (settings->'messaging') - 'senderName' - 'senderIdentification')
WHERE jsonb_typeof(settings->'messaging') = 'object' AND (settings->'messaging') ?| array['senderName', 'senderIdentification'];

COMMENT ON TABLE messaging_settings IS 'Messaging: frequency caps, quiet hours, double opt-in and the sender (name, identification) of a workspace (defaults when absent).';
