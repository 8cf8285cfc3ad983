// Rejects file: the lines an import could not take, as CSV `line,field,reason`, created on the first rejection.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { LineRejection } from './types.ts';

const cell = (v: string | number) => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export class RejectsWriter {
  private out: WriteStream | null = null;
  count = 0;
  constructor(readonly path: string) {}

  async write(rows: LineRejection[]): Promise<void> {
    if (rows.length === 0) return;
    if (!this.out) {
      this.out = createWriteStream(this.path, { flags: 'w' });
      this.out.write('line,field,reason\n');
    }
    this.count += rows.length;
    const text = rows.map((r) => `${r.line},${cell(r.field)},${cell(r.reason)}\n`).join('');
    if (!this.out.write(text)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    if (!this.out) return;
    const out = this.out;
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }

  get written(): string | null {
    return this.out ? this.path : null;
  }
}
