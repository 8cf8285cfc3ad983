// Presets: builders for two public data sets (CDNOW, UCI Online Retail) and which data set each reads by default.
import type { DatasetName } from '../datasets/index.ts';
import { blank, cents, idText, parseDate, parseNumber } from './values.ts';
import { OrderWindow, type OrderColumns, type OrderPart } from './orders.ts';
import { orderMessageId } from './ids.ts';
import type { Builder, ImportFormat, ImportKind, Output, PresetName, SourceRow } from './types.ts';

export interface Preset {
  kind: ImportKind;
  /** The data set read when no file is given (shipped, or fetched with `retain data fetch`). */
  dataset: DatasetName;
  /** How the file is read: CSV, or whitespace-separated columns. */
  source: ImportFormat | 'whitespace';
  timeZone: string;
  builder(): Builder;
}

export const PRESETS: Record<PresetName, Preset> = {
  cdnow: {
    kind: 'orders',
    dataset: 'cdnow',
    source: 'whitespace',
    timeZone: 'UTC',
    builder: cdnowBuilder,
  },
  'online-retail': {
    kind: 'orders',
    dataset: 'online-retail',
    source: 'csv',
    timeZone: 'Europe/London',
    builder: onlineRetailBuilder,
  },
};

/**
 * CDNOW: each line is one purchase → one order at 00:00 UTC of its day, total = dollar_value, one product line with
 * quantity = number_of_cds. Two layouts, told apart per line by the number of columns:
 *  - CDNOW_sample.txt (5 columns, no header): master_id sample_id YYYYMMDD cds dollars. userId = sample_id without its
 *    leading zeros, which is the ID of the published summary (cdnow_customers_summary_with_transactions.csv); the
 *    master id is kept as properties.cdnow_master_id.
 *  - CDNOW_master.txt (4 columns, header): customer_id YYYYMMDD cds dollars. userId = customer_id without zeros.
 * The two id spaces differ (sample 1 = master 4), so do not import both files into one workspace.
 * orderId = cdnow-<sample|master>-<line>: purchases on the same day stay separate orders.
 */
function cdnowBuilder(): Builder {
  const field = ['master_id', 'sample_id', 'date', 'number_of_cds', 'dollar_value'];
  return {
    requireIdentity: true,
    heldFrom: () => null,
    end: () => [],
    push(row: SourceRow): Output[] {
      const v = Object.values(row.values) as string[];
      if (v.length !== 4 && v.length !== 5) {
        return [{ line: row.line, field: '', reason: `expected 5 columns (sample) or 4 (master), found ${v.length}` }];
      }
      const sample = v.length === 5;
      const names = sample ? field : [field[0]!, ...field.slice(2)];
      const [id, date, cds, dollars] = sample ? [v[1], v[2], v[3], v[4]] : [v[0], v[1], v[2], v[3]];
      const userId = String(Number(id));
      if (!/^\d+$/.test(id!) || userId === '0')
        return [{ line: row.line, field: names[sample ? 1 : 0]!, reason: 'not a customer id' }];
      const at = /^\d{8}$/.test(date!)
        ? parseDate(date, 'UTC')
        : ({ ok: false, reason: 'not a date: expected YYYYMMDD' } as const);
      if (!at.ok) return [{ line: row.line, field: 'date', reason: at.reason }];
      const n = parseNumber(cds);
      if (!n.ok || n.value < 0)
        return [{ line: row.line, field: 'number_of_cds', reason: n.ok ? 'must not be negative' : n.reason }];
      const value = parseNumber(dollars);
      if (!value.ok || value.value < 0)
        return [{ line: row.line, field: 'dollar_value', reason: value.ok ? 'must not be negative' : value.reason }];
      const orderId = `cdnow-${sample ? 'sample' : 'master'}-${row.line}`;
      const properties: Record<string, unknown> = {
        orderId,
        total: cents(value.value),
        currency: 'USD',
        products: [
          {
            name: 'CDs',
            quantity: n.value,
            ...(n.value > 0 ? { price: Math.round((value.value / n.value) * 1e4) / 1e4 } : {}),
          },
        ],
      };
      if (sample) properties.cdnow_master_id = String(Number(v[0]));
      const message = {
        type: 'track',
        event: 'Order Completed',
        messageId: orderMessageId(orderId),
        userId,
        timestamp: at.value.toISOString(),
        properties,
      };
      return [
        {
          lines: [row.line],
          message,
          anonymous: 0,
          fields: { userId: names[sample ? 1 : 0]!, timestamp: 'date', 'properties.total': 'dollar_value' },
        },
      ];
    },
  };
}

/**
 * UCI Online Retail: consecutive lines with the same InvoiceNo are one order (product = StockCode, Description,
 * UnitPrice, Quantity), placed at InvoiceDate read as London time, in GBP. Invoices starting with C are cancellations:
 * an Order Refunded of abs(sum of the lines) under the C invoice number. Lines without CustomerID are anonymous sales.
 * Country goes into context.location.country and context.traits.country (Segment's place for traits on a track).
 */
function onlineRetailBuilder(): Builder {
  const cols: OrderColumns = {
    orderId: 'InvoiceNo',
    userId: 'CustomerID',
    anonymousId: 'CustomerID',
    date: 'InvoiceDate',
    total: 'UnitPrice',
    price: 'UnitPrice',
    quantity: 'Quantity',
    currency: 'currency',
  };
  const window = new OrderWindow(cols);
  return {
    requireIdentity: false,
    heldFrom: () => window.heldFrom(),
    end: () => window.end(),
    push(row: SourceRow): Output[] {
      const v = row.values as Record<string, string | undefined>;
      const invoice = idText(v.InvoiceNo);
      if (!invoice) return [{ line: row.line, field: 'InvoiceNo', reason: 'missing' }];
      const part: OrderPart = {
        orderId: invoice,
        line: row.line,
        refund: /^c/i.test(invoice),
        userId: idText(v.CustomerID),
        currency: 'GBP',
      };
      const at = parseDate(v.InvoiceDate, 'Europe/London');
      if (at.ok) part.at = at.value;
      else part.error = { field: 'InvoiceDate', reason: at.reason };
      const quantity = parseNumber(v.Quantity);
      const price = parseNumber(v.UnitPrice);
      if (!quantity.ok) part.error ??= { field: 'Quantity', reason: quantity.reason };
      if (!price.ok) part.error ??= { field: 'UnitPrice', reason: price.reason };
      if (quantity.ok && price.ok) {
        part.product = {
          product_id: v.StockCode?.trim() || undefined,
          name: v.Description?.trim() || undefined,
          price: price.value,
          quantity: quantity.value,
        };
        if (!part.product.product_id) delete part.product.product_id;
        if (!part.product.name) delete part.product.name;
      }
      if (!blank(v.Country))
        part.context = { location: { country: v.Country!.trim() }, traits: { country: v.Country!.trim() } };
      return window.add(part);
    },
  };
}
