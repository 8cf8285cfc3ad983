// Customers builder: one row → one identify message (mapped identity and profile fields, every other column a trait).
import { contentId } from './ids.ts';
import { ColumnMap } from './mapping.ts';
import { blank, idText, parseDate, typed } from './values.ts';
import type { Builder, Output, SourceRow } from './types.ts';

const PROFILE = ['email', 'phone', 'first_name', 'last_name', 'name', 'timezone', 'locale'];

export function customersBuilder(mapping: Record<string, string> | undefined, zone: string): Builder {
  const columns = new ColumnMap('customers', mapping);
  return {
    requireIdentity: true,
    heldFrom: () => null,
    end: () => [],
    push(row: SourceRow): Output[] {
      const { map, col, get } = columns.row(row.values);
      const userId = idText(get('userId'));
      const anonymousId = idText(get('anonymousId'));
      if (!userId && !anonymousId) {
        return [
          {
            line: row.line,
            field: col('userId') ?? 'userId',
            reason: 'a customer needs a user id (map the column with --map userId=COLUMN)',
          },
        ];
      }
      const fields: Record<string, string> = {
        userId: col('userId') ?? 'userId',
        anonymousId: col('anonymousId') ?? 'anonymousId',
      };
      const traits: Record<string, unknown> = {};
      const mapped = new Set([...map.values()].filter((c): c is string => !!c));
      for (const target of PROFILE) {
        const v = get(target);
        if (blank(v)) continue;
        traits[target] = typeof v === 'string' ? v.trim() : v;
        fields[`traits.${target}`] = col(target)!;
      }
      for (const [column, v] of Object.entries(row.values)) {
        if (mapped.has(column) || blank(v)) continue;
        traits[column] = typeof v === 'string' ? typed(v) : v;
        fields[`traits.${column}`] = column;
      }
      const message: Record<string, unknown> = { type: 'identify', traits };
      if (userId) message.userId = userId;
      if (anonymousId) message.anonymousId = anonymousId;
      const at = get('timestamp');
      if (!blank(at)) {
        const d = parseDate(at, zone);
        if (!d.ok) return [{ line: row.line, field: col('timestamp')!, reason: d.reason }];
        message.timestamp = d.value.toISOString();
      }
      message.messageId = contentId('customer', message);
      return [{ lines: [row.line], message, anonymous: 0, fields }];
    },
  };
}
