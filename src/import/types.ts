// Import types: the options and summary of importFile, and what flows between source, builders and the batch loop.

export type ImportKind = 'customers' | 'orders' | 'events';
export type ImportFormat = 'csv' | 'jsonl';
export type PresetName = 'cdnow' | 'online-retail';

export interface ImportProgress {
  /** Data records read so far (header excluded). */
  lines: number;
  /** Bytes of the file read so far (compressed bytes for .gz). */
  bytes: number;
  totalBytes: number;
}

export interface ImportOptions {
  kind: ImportKind;
  file: string;
  /** csv or jsonl; from the extension (.csv; .jsonl, .ndjson, .json; each optionally .gz) when absent. */
  format?: ImportFormat;
  /** Target field → source column, e.g. { userId: 'Customer ID', email: 'E-mail' }. */
  mapping?: Record<string, string>;
  preset?: PresetName;
  /** Where rejected lines go as CSV `line,field,reason`; default ./<basename>.rejects.csv. Written only if a line is rejected. */
  rejectsFile?: string;
  /** Records per ingest transaction (default 1000; a batch also ends at 5,000 source lines, or batchSize if larger). */
  batchSize?: number;
  /** IANA zone for dates without an offset (default UTC; the online-retail preset uses Europe/London). */
  timeZone?: string;
  /** Currency of orders without a currency column. */
  currency?: string;
  onProgress?: (p: ImportProgress) => void;
  /** Stops after the batch being written (progress is saved, so a re-run resumes). */
  signal?: AbortSignal;
  /** For tests: stops after this many committed batches, like a kill between two batches. */
  stopAfterBatches?: number;
}

export interface ImportSummary {
  /** Data records read (header excluded), including the ones skipped on resume. */
  lines: number;
  /** Records (customers, orders, events) stored by this run. */
  accepted: number;
  /** Records already stored before (same messageId, or before the resume point): nothing changed for them. */
  duplicates: number;
  /** Source lines written to the rejects file. */
  rejected: number;
  /** Lines of sales without a customer (stored, counted in orders, attached to no customer). */
  anonymous: number;
  /** Source line (header included) up to which an earlier run of this import had committed; those lines were only re-checked (0 = fresh start). */
  resumedFrom: number;
  /** Path of the rejects file, or null when no line was rejected. */
  rejectsFile: string | null;
  /** False when the import was stopped (signal / stopAfterBatches) before the end of the file. */
  complete: boolean;
}

/** One record of the source file: its 1-based line span and its values by column (CSV), key (JSONL) or position. */
export interface SourceRow {
  line: number;
  endLine: number;
  values: Record<string, unknown>;
}

/** A source line that could not be read (bad JSON, wrong number of fields…). */
export interface SourceError {
  line: number;
  endLine: number;
  error: { field: string; reason: string };
}

export interface LineRejection {
  line: number;
  field: string;
  reason: string;
}

/** One Segment message built from one or more source lines. */
export interface Unit {
  lines: number[];
  message: Record<string, unknown>;
  /** How many of its lines are anonymous sales. */
  anonymous: number;
  /** Message path (e.g. 'traits.email', 'properties.products.2') → source column, to name fields in rejections. */
  fields: Record<string, string>;
  /** For orders: the source line of each product, so an error in product i points at its own line. */
  productLines?: number[];
}

export type Output = Unit | LineRejection;
export const isUnit = (o: Output): o is Unit => 'message' in o;

/** Turns rows into units; may hold rows back (orders whose lines may still come). */
export interface Builder {
  /** Whether messages need a userId or anonymousId (false for sales that may be anonymous). */
  readonly requireIdentity: boolean;
  push(row: SourceRow): Output[];
  end(): Output[];
  /** First line of the oldest row still held back, or null: every line before it has been emitted. */
  heldFrom(): number | null;
}
