// Imported codes (pure): a CSV (first column; a header "code" is skipped) or a JSON list of strings, each checked and
// normalised to capitals; a bad or repeated code is refused naming its line, and the good ones are kept.
import { parse } from 'csv-parse/sync';

export interface ListProblem {
  /** 1-based line of the CSV, or 1-based position in the JSON list. */
  line: number;
  code: string;
  reason: string;
}

const CODE = /^[A-Z0-9][A-Z0-9_-]{2,63}$/;

/** Codes as stored and matched: trimmed, capitals (a shop's checkout rarely cares about case). */
export const normalCode = (s: string): string => s.trim().toUpperCase();

/** The list's codes (by line) and what was refused. */
export function readCodeList(
  text: string,
  format: 'csv' | 'json',
): { codes: { line: number; code: string }[]; refused: ListProblem[] } {
  const entries: { line: number; raw: unknown }[] = [];
  if (format === 'json') {
    let list: unknown;
    try {
      list = JSON.parse(text);
    } catch (err) {
      return { codes: [], refused: [{ line: 0, code: '', reason: `not JSON: ${(err as Error).message}` }] };
    }
    if (!Array.isArray(list))
      return {
        codes: [],
        refused: [{ line: 0, code: '', reason: 'a JSON list of codes, such as ["A1B2C3", "D4E5F6"]' }],
      };
    list.forEach((raw, k) => entries.push({ line: k + 1, raw }));
  } else {
    const rows = parse(text, { relax_column_count: true, skip_empty_lines: false, info: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    rows.forEach(({ record, info }, k) => {
      const first = record[0] ?? '';
      if (k === 0 && /^\s*code\s*$/i.test(first)) return;
      if (record.every((c) => !c.trim())) return;
      entries.push({ line: info.lines, raw: first });
    });
  }
  const seen = new Map<string, number>();
  const codes: { line: number; code: string }[] = [];
  const refused: ListProblem[] = [];
  for (const { line, raw } of entries) {
    if (typeof raw !== 'string') {
      refused.push({ line, code: String(raw), reason: 'not text' });
      continue;
    }
    const code = normalCode(raw);
    if (!CODE.test(code))
      refused.push({
        line,
        code: raw,
        reason: '3 to 64 letters, digits, "-" or "_", beginning with a letter or digit',
      });
    else if (seen.has(code)) refused.push({ line, code: raw, reason: `the same code as line ${seen.get(code)}` });
    else {
      seen.set(code, line);
      codes.push({ line, code });
    }
  }
  return { codes, refused };
}
