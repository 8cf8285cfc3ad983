// Events builder: one CSV row or JSON object → one track message (event name column, every other field a property).
import { MESSAGE_TYPES } from '../ingest/index.ts';
import { contentId } from './ids.ts';
import { ColumnMap } from './mapping.ts';
import { blank, idText, parseDate, typed } from './values.ts';
import type { Builder, Output, SourceRow } from './types.ts';

const SEGMENT_KEYS = new Set([
  'properties',
  'context',
  'traits',
  'integrations',
  'type',
  'originalTimestamp',
  'sentAt',
  'receivedAt',
]);

export function eventsBuilder(
  mapping: Record<string, string> | undefined,
  zone: string,
  format: 'csv' | 'jsonl',
): Builder {
  const columns = new ColumnMap('events', mapping);
  return {
    requireIdentity: true,
    heldFrom: () => null,
    end: () => [],
    push(row: SourceRow): Output[] {
      const v = row.values;
      // A JSON line that already is a Segment message of another type (page, identify…) goes in as it is.
      if (
        format === 'jsonl' &&
        typeof v.type === 'string' &&
        v.type !== 'track' &&
        (MESSAGE_TYPES as string[]).includes(v.type)
      ) {
        const message = { ...v };
        message.messageId ??= contentId('event', v);
        return [{ lines: [row.line], message, anonymous: 0, fields: {} }];
      }
      const { map, col, get } = columns.row(v, format === 'csv');
      const fields: Record<string, string> = {};
      for (const t of ['event', 'userId', 'anonymousId', 'timestamp', 'messageId']) fields[t] = col(t) ?? t;
      const event = get('event');
      if (blank(event) || typeof event !== 'string')
        return [
          {
            line: row.line,
            field: fields.event!,
            reason: 'an event needs a name (map the column with --map event=COLUMN)',
          },
        ];
      const message: Record<string, unknown> = { type: 'track', event: event.trim() };
      const userId = idText(get('userId'));
      const anonymousId = idText(get('anonymousId'));
      if (userId) message.userId = userId;
      if (anonymousId) message.anonymousId = anonymousId;
      const at = get('timestamp');
      if (!blank(at)) {
        const d = parseDate(at, zone);
        if (!d.ok) return [{ line: row.line, field: fields.timestamp!, reason: d.reason }];
        message.timestamp = d.value.toISOString();
      }
      const mapped = new Set([...map.values()].filter((c): c is string => !!c));
      const properties: Record<string, unknown> =
        v.properties && typeof v.properties === 'object' && !Array.isArray(v.properties)
          ? { ...(v.properties as object) }
          : {};
      for (const [key, value] of Object.entries(v)) {
        if (mapped.has(key) || (format === 'jsonl' && SEGMENT_KEYS.has(key)) || blank(value)) continue;
        properties[key] = typeof value === 'string' && format === 'csv' ? typed(value) : value;
        fields[`properties.${key}`] = key;
      }
      message.properties = properties;
      if (format === 'jsonl' && v.context && typeof v.context === 'object') message.context = v.context;
      const given = get('messageId');
      message.messageId = !blank(given) ? String(given) : contentId('event', message);
      return [{ lines: [row.line], message, anonymous: 0, fields }];
    },
  };
}
