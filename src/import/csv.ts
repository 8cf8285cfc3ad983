// CSV rows: csv-parse in streaming mode, first record as header, each row with its 1-based source line numbers.
import { Transform, type Readable } from 'node:stream';
import { parse, type CsvError, type Options } from 'csv-parse';
import type { SourceError, SourceRow } from './types.ts';

/** CRLF → LF before parsing, so that csv-parse's line counting stays exact (it counts CRLF in quoted fields twice). */
function toLf(): Transform {
  let pendingCr = false;
  return new Transform({
    decodeStrings: true,
    transform(chunk: Buffer, _enc, done) {
      let text = (pendingCr ? '\r' : '') + chunk.toString('latin1');
      pendingCr = text.endsWith('\r');
      if (pendingCr) text = text.slice(0, -1);
      done(null, Buffer.from(text.replace(/\r\n/g, '\n'), 'latin1'));
    },
    flush(done) {
      done(null, pendingCr ? Buffer.from('\r', 'latin1') : null);
    },
  });
}

const newlines = (s: string) => {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
};

/**
 * Yields one row per data record (line = the header's line is 1), and a SourceError for a record that cannot be
 * read (a quote left open, a different number of fields than the header). Throws when the header itself is unusable.
 * Line numbers are counted here from each record's raw text (csv-parse's own `info` is slower and miscounts CRLF).
 */
export async function* csvRows(input: Readable, delimiter = ','): AsyncGenerator<SourceRow | SourceError> {
  let consumed = 0; // lines of the file taken by the records parsed so far
  const span = (raw: string | undefined) => {
    const text = raw ?? '';
    const leading = text.length - text.replace(/^\n+/, '').length;
    const line = consumed + leading + 1;
    consumed += newlines(text) + (text.endsWith('\n') ? 0 : 1);
    return { line, endLine: Math.max(line, consumed) };
  };
  const skipped: SourceError[] = [];
  const options: Options<unknown, unknown> = {
    bom: true,
    delimiter,
    raw: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (rec: unknown) => {
      const { record, raw } = rec as { record: string[]; raw: string };
      return { ...span(raw), fields: record };
    },
    on_skip: (err: CsvError | undefined, raw: string | undefined) => {
      skipped.push({ ...span(raw), error: { field: '', reason: `unreadable CSV: ${err?.message ?? 'bad record'}` } });
      return undefined;
    },
  };
  const parser = parse(options as Options);
  input.on('error', (err) => parser.destroy(err));
  input.pipe(toLf()).pipe(parser);
  let header: string[] | null = null;
  for await (const item of parser as AsyncIterable<{ line: number; endLine: number; fields: string[] }>) {
    while (skipped.length > 0 && skipped[0]!.line < item.line) yield skipped.shift()!;
    const { line, endLine, fields } = item;
    if (!header) {
      header = fields.map((h) => h.trim());
      if (header.every((h) => h === '')) throw new Error('the CSV file has an empty header line');
      continue;
    }
    if (fields.length !== header.length) {
      yield {
        line,
        endLine,
        error: { field: '', reason: `has ${fields.length} fields where the header has ${header.length}` },
      };
      continue;
    }
    const values: Record<string, unknown> = {};
    for (let i = 0; i < header.length; i++) if (header[i]) values[header[i]!] = fields[i];
    yield { line, endLine, values };
  }
  while (skipped.length > 0) yield skipped.shift()!;
}
