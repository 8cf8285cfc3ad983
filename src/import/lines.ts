// Line-based sources: JSON Lines (one object per line) and whitespace-separated columns (the CDNOW files).
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { SourceError, SourceRow } from './types.ts';

async function* numbered(input: Readable): AsyncGenerator<{ line: number; text: string }> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of rl) {
      line++;
      if (text.trim() !== '') yield { line, text: line === 1 ? text.replace(/^\uFEFF/, '') : text };
    }
  } finally {
    rl.close();
  }
}

/** One row per non-blank line holding a JSON object. */
export async function* jsonlRows(input: Readable): AsyncGenerator<SourceRow | SourceError> {
  for await (const { line, text } of numbered(input)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      yield { line, endLine: line, error: { field: '', reason: `not valid JSON: ${(err as Error).message}` } };
      continue;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      yield { line, endLine: line, error: { field: '', reason: 'each line must hold one JSON object' } };
    } else yield { line, endLine: line, values: value as Record<string, unknown> };
  }
}

/**
 * Whitespace-separated columns, values keyed by position ('0', '1', …). A first line whose first field is not a
 * number is a header and is skipped.
 */
export async function* whitespaceRows(input: Readable): AsyncGenerator<SourceRow> {
  let first = true;
  for await (const { line, text } of numbered(input)) {
    const fields = text.trim().split(/\s+/);
    if (first) {
      first = false;
      if (!/^[\d.+-]/.test(fields[0]!)) continue;
    }
    const values: Record<string, unknown> = {};
    fields.forEach((f, i) => (values[i] = f));
    yield { line, endLine: line, values };
  }
}
