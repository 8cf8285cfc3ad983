// importFile: streams a file through a builder into ingest batches, with resumable progress and a rejects file.
import { basename, resolve } from 'node:path';
import type { Db } from '../store/index.ts';
import { ingest, isRejection, normalizeMessage } from '../ingest/index.ts';
import { csvRows } from './csv.ts';
import { jsonlRows, whitespaceRows } from './lines.ts';
import { customersBuilder } from './customers.ts';
import { eventsBuilder } from './events.ts';
import { ordersBuilder } from './orders.ts';
import { PRESETS } from './presets.ts';
import { importKey, linesDone, saveProgress } from './progress.ts';
import { RejectsWriter } from './rejects.ts';
import { formatOf, openFile } from './source.ts';
import { checkZone } from './zone.ts';
import {
  isUnit,
  type Builder,
  type ImportOptions,
  type ImportSummary,
  type LineRejection,
  type Output,
  type Unit,
} from './types.ts';

/** The source column behind a message path: properties.products.3.price → the price column. */
function columnFor(fields: Record<string, string>, path: string): string {
  let p = path.replace(/\.\d+(?=\.|$)/g, '');
  for (;;) {
    if (fields[p]) return fields[p]!;
    const cut = p.lastIndexOf('.');
    if (cut < 0) return path;
    p = p.slice(0, cut);
  }
}

/** Every line of a unit that ingest refused; for an order, the product's own line gets the reason first-hand. */
function unitRejections(u: Unit, field: string, reason: string): LineRejection[] {
  const column = columnFor(u.fields, field);
  const m = /^properties\.products\.(\d+)/.exec(field);
  const culprit = m && u.productLines ? u.productLines[Number(m[1])] : undefined;
  if (culprit === undefined || u.lines.length === 1) return u.lines.map((line) => ({ line, field: column, reason }));
  return u.lines.map((line) =>
    line === culprit
      ? { line, field: column, reason }
      : { line, field: column, reason: `not imported because of line ${culprit}: ${reason}` },
  );
}

function builderFor(opts: ImportOptions, format: 'csv' | 'jsonl', zone: string): Builder {
  if (opts.preset) return PRESETS[opts.preset].builder();
  if (opts.kind === 'customers') return customersBuilder(opts.mapping, zone);
  if (opts.kind === 'orders') return ordersBuilder(opts.mapping, zone, opts.currency);
  return eventsBuilder(opts.mapping, zone, format);
}

/** Source lines per transaction at most (unless --batch-size asks for more records than that). */
const BATCH_LINES = 5_000;

export async function importFile(db: Db, workspaceId: string, opts: ImportOptions): Promise<ImportSummary> {
  const preset = opts.preset ? PRESETS[opts.preset] : null;
  if (!preset && opts.preset)
    throw new Error(`unknown preset ${opts.preset}: use ${Object.keys(PRESETS).join(' or ')}`);
  if (preset && preset.kind !== opts.kind)
    throw new Error(`the ${opts.preset} preset imports ${preset.kind}, not ${opts.kind}`);
  const zone = opts.timeZone ?? preset?.timeZone ?? 'UTC';
  checkZone(zone);
  const source = preset ? preset.source : (opts.format ?? formatOf(opts.file));
  const builder = builderFor(opts, source === 'jsonl' ? 'jsonl' : 'csv', zone);
  const batchSize = Math.max(1, opts.batchSize ?? 1000);
  // A batch also ends at BATCH_LINES source lines: an order is one record of many lines (Online Retail: ~20), and a
  // thousand of them in one transaction is what peaks the memory (their messages, order lines and query parameters).
  const batchLines = Math.max(batchSize, BATCH_LINES);
  const file = await openFile(opts.file);
  const key = importKey(opts.file, file.totalBytes, opts.kind, opts.preset, opts.mapping);
  const resumedFrom = await linesDone(db, workspaceId, key);
  const rejects = new RejectsWriter(opts.rejectsFile ?? resolve(`${basename(opts.file)}.rejects.csv`));
  const summary: ImportSummary = {
    lines: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    anonymous: 0,
    resumedFrom,
    rejectsFile: null,
    complete: false,
  };
  const env = { receivedAt: new Date(), requireIdentity: builder.requireIdentity };
  let batch: Unit[] = [];
  let linesInBatch = 0;
  let batches = 0;

  const settle = async (outputs: Output[]) => {
    const refused: LineRejection[] = [];
    for (const o of outputs) {
      if (!isUnit(o)) refused.push(o);
      else if (o.lines[0]! > resumedFrom) {
        batch.push(o);
        linesInBatch += o.lines.length;
      } else {
        // Committed by an earlier run of this import: checked again (pure) so that the counts come out the same.
        const check = normalizeMessage(o.message, 0, env);
        if (isRejection(check)) refused.push(...unitRejections(o, check.field, check.reason));
        else {
          summary.duplicates++;
          summary.anonymous += o.anonymous;
        }
      }
    }
    await rejects.write(refused);
  };

  const flush = async (safeLine: number) => {
    if (batch.length > 0) {
      const units = batch;
      batch = [];
      linesInBatch = 0;
      const result = await ingest(
        db,
        workspaceId,
        units.map((u) => u.message),
        { requireIdentity: builder.requireIdentity },
      );
      summary.accepted += result.accepted;
      summary.duplicates += result.duplicates;
      const refused = new Set<number>();
      const lines: LineRejection[] = [];
      for (const r of result.rejected) {
        refused.add(r.index);
        lines.push(...unitRejections(units[r.index]!, r.field, r.reason));
      }
      units.forEach((u, i) => refused.has(i) || (summary.anonymous += u.anonymous));
      await rejects.write(lines);
      batches++;
    }
    if (safeLine > resumedFrom) await saveProgress(db, workspaceId, key, safeLine);
  };

  const report = () =>
    opts.onProgress?.({ lines: summary.lines, bytes: file.bytesRead(), totalBytes: file.totalBytes });
  const rows =
    source === 'csv' ? csvRows(file.stream) : source === 'jsonl' ? jsonlRows(file.stream) : whitespaceRows(file.stream);
  let lastLine = 0;
  let stopped = false;
  try {
    for await (const row of rows) {
      summary.lines++;
      lastLine = row.endLine;
      if ('error' in row) await rejects.write([{ line: row.line, ...row.error }]);
      else await settle(builder.push(row));
      if (summary.lines % 1000 === 0) report();
      if (batch.length >= batchSize || linesInBatch >= batchLines) {
        const held = builder.heldFrom();
        await flush(held === null ? lastLine : held - 1);
        report();
        if (opts.signal?.aborted || (opts.stopAfterBatches !== undefined && batches >= opts.stopAfterBatches)) {
          stopped = true;
          break;
        }
      }
    }
    if (!stopped) {
      await settle(builder.end());
      await flush(lastLine);
      summary.complete = true;
    }
    report();
  } finally {
    file.close();
    await rejects.close();
  }
  summary.rejected = rejects.count;
  summary.rejectsFile = rejects.written;
  return summary;
}
