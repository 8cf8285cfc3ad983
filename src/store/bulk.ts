// Many rows in one statement: a column spec becomes one typed array parameter per column and the unnest(…) that reads them back as rows.

/** The PostgreSQL types a bulk column can carry (arrays of arrays do not unnest row-wise: use jsonb for lists). */
export type BulkType =
  | 'text'
  | 'bigint'
  | 'int'
  | 'smallint'
  | 'numeric'
  | 'float8'
  | 'boolean'
  | 'timestamptz'
  | 'date'
  | 'jsonb';

/** Column name → type, in the order the columns are read. */
export type ColumnSpec = Readonly<Record<string, BulkType>>;

/** What a row may hold for each column type; null and undefined are SQL NULL. */
interface BulkValue {
  text: string;
  bigint: string | number | bigint;
  int: number;
  smallint: number;
  numeric: string | number;
  float8: number;
  boolean: boolean;
  timestamptz: Date | string;
  date: Date | string;
  jsonb: unknown;
}

export type BulkRow<S extends ColumnSpec> = { readonly [K in keyof S]: BulkValue[S[K]] | null | undefined };

export interface BulkOptions {
  /** The number of the first parameter ($at) the column arrays take; the others follow. */
  at: number;
  /** The alias of the rows in the statement (default `t`). */
  as?: string;
  /** Adds WITH ORDINALITY and a last column `n`: each row's 1-based position in `rows`. */
  ordinality?: boolean;
}

export interface BulkRows {
  /** `unnest($at::type[], …) AS alias(col, …)`, to put after FROM or JOIN. */
  from: string;
  /** The column names, comma-separated, in spec order (for INSERT column lists and SELECTs). */
  columns: string;
  /** One array per column, in spec order: spread them into the parameters from position `at`. */
  params: unknown[][];
}

const NAME = /^[a-z_][a-z0-9_]*$/;

/** A value as the array parameter carries it: JSON text for jsonb, ISO text for dates, NULL for missing. */
function cell(type: BulkType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'jsonb') return JSON.stringify(value);
  if (value instanceof Date) return type === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/**
 * Builds the parameters and the FROM item for writing or joining many rows at once. Each column is named once, in the
 * spec; the statement refers to `${b.from}` and `${b.columns}`:
 *
 *     const b = bulkRows({ id: 'bigint', status: 'text' }, rows, { at: 2, as: 'u' });
 *     await q.query(`UPDATE messages m SET status = u.status FROM ${b.from} WHERE m.workspace_id = $1 AND m.id = u.id`, [ws, ...b.params]);
 */
export function bulkRows<S extends ColumnSpec>(spec: S, rows: readonly BulkRow<S>[], options: BulkOptions): BulkRows {
  const alias = options.as ?? 't';
  const names = Object.keys(spec);
  for (const name of [alias, ...names]) {
    if (!NAME.test(name)) throw new Error(`bulkRows: "${name}" is not a plain lower-case SQL name`);
  }
  if (names.length === 0) throw new Error('bulkRows: the column spec is empty');
  const arrays = names.map((name, i) => `$${options.at + i}::${spec[name]}[]`);
  const params = names.map((name) => rows.map((row) => cell(spec[name]!, row[name])));
  const ordinality = options.ordinality ? ' WITH ORDINALITY' : '';
  const aliasColumns = options.ordinality ? [...names, 'n'] : names;
  return {
    from: `unnest(${arrays.join(', ')})${ordinality} AS ${alias}(${aliasColumns.join(', ')})`,
    columns: names.join(', '),
    params,
  };
}
