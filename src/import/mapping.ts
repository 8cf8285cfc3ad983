// Column mapping: which source column feeds each target field, from --map or by recognising common column names.
import type { ImportKind } from './types.ts';

/** Target fields per kind, each with the column names recognised without a --map (compared lower-case, without _ - or spaces). */
export const TARGETS: Record<ImportKind, Record<string, string[]>> = {
  customers: {
    userId: ['userid', 'customerid', 'id', 'externalid'],
    anonymousId: ['anonymousid'],
    email: ['email', 'emailaddress', 'mail'],
    phone: ['phone', 'phonenumber', 'mobile'],
    first_name: ['firstname', 'givenname'],
    last_name: ['lastname', 'surname', 'familyname'],
    name: ['name', 'fullname'],
    timezone: ['timezone', 'tz'],
    locale: ['locale', 'language'],
    timestamp: ['timestamp', 'updatedat'],
  },
  orders: {
    orderId: ['orderid', 'ordernumber', 'order', 'invoiceno', 'invoice', 'id'],
    userId: ['userid', 'customerid', 'customer'],
    anonymousId: ['anonymousid'],
    date: ['date', 'orderdate', 'createdat', 'placedat', 'timestamp', 'invoicedate'],
    total: ['total', 'ordertotal', 'revenue', 'amount'],
    currency: ['currency'],
    product_id: ['productid', 'stockcode', 'itemid'],
    sku: ['sku'],
    name: ['productname', 'description', 'itemname', 'title'],
    category: ['category', 'productcategory'],
    price: ['price', 'unitprice', 'itemprice'],
    quantity: ['quantity', 'qty'],
  },
  events: {
    event: ['event', 'eventname', 'name', 'action'],
    userId: ['userid', 'customerid'],
    anonymousId: ['anonymousid'],
    timestamp: ['timestamp', 'date', 'time', 'occurredat', 'createdat'],
    messageId: ['messageid', 'eventid'],
  },
};

const squash = (s: string) => s.toLowerCase().replace(/[\s_\-.]/g, '');

/** One row seen through the mapping. */
export interface RowColumns {
  /** Target field → its source column in this row, or null. */
  map: Map<string, string | null>;
  /** The source column of a target field, or null when the row has none. */
  col(target: string): string | null;
  /** The value of a target field, or undefined when the row has no column for it. */
  get(target: string): unknown;
}

export class ColumnMap {
  private cacheKey = '';
  private cache = new Map<string, string | null>();
  private headerChecked = false;

  constructor(
    readonly kind: ImportKind,
    private readonly explicit: Record<string, string> = {},
  ) {
    for (const target of Object.keys(explicit)) {
      if (!(target in TARGETS[kind])) {
        throw new Error(
          `--map ${target}=…: ${kind} have no field "${target}"; known fields: ${Object.keys(TARGETS[kind]).join(', ')}`,
        );
      }
    }
  }

  /** Checks that every explicitly mapped column exists (CSV, where the header is known). */
  checkHeader(columns: string[]): void {
    for (const [target, source] of Object.entries(this.explicit)) {
      if (!columns.includes(source))
        throw new Error(
          `--map ${target}=${source}: no column "${source}" in the file; its columns are ${columns.join(', ')}`,
        );
    }
  }

  /** The columns of one row; with `checkHeader` (CSV) the first row's columns are checked against the explicit mappings. */
  row(values: Record<string, unknown>, checkHeader = true): RowColumns {
    const keys = Object.keys(values);
    if (checkHeader && !this.headerChecked) {
      this.headerChecked = true;
      this.checkHeader(keys);
    }
    const map = this.resolve(keys);
    const col = (target: string) => map.get(target) ?? null;
    const get = (target: string) => {
      const c = col(target);
      return c ? values[c] : undefined;
    };
    return { map, col, get };
  }

  /** Source column of each target field for rows with these columns (cached while the columns stay the same). */
  resolve(columns: string[]): Map<string, string | null> {
    const key = columns.join('\u0000');
    if (key === this.cacheKey) return this.cache;
    const bySquashed = new Map<string, string>();
    for (const c of columns) if (!bySquashed.has(squash(c))) bySquashed.set(squash(c), c);
    const used = new Set(Object.values(this.explicit));
    const result = new Map<string, string | null>();
    for (const [target, aliases] of Object.entries(TARGETS[this.kind])) {
      if (this.explicit[target]) {
        result.set(target, columns.includes(this.explicit[target]!) ? this.explicit[target]! : null);
        continue;
      }
      const found = aliases.map((a) => bySquashed.get(a)).find((c) => c !== undefined && !used.has(c)) ?? null;
      if (found) used.add(found);
      result.set(target, found);
    }
    this.cacheKey = key;
    this.cache = result;
    return result;
  }
}
