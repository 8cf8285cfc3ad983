// Source files: opens a (possibly gzipped) file as a text stream, counting the raw bytes read for the progress bar.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ImportFormat } from './types.ts';

export interface OpenedFile {
  /** Decompressed bytes, to be decoded as UTF-8. */
  stream: Readable;
  totalBytes: number;
  bytesRead(): number;
  close(): void;
}

export async function openFile(path: string): Promise<OpenedFile> {
  const { size } = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new Error(err.code === 'ENOENT' ? `no file ${path}` : `cannot read ${path}: ${err.message}`);
  });
  const raw = createReadStream(path, { highWaterMark: 256 * 1024 });
  let bytes = 0;
  // Counted in a pass-through (not a 'data' listener, which would start the flow before anyone reads).
  const counted = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  raw.on('error', (err) => counted.destroy(err));
  let stream: Readable = raw.pipe(counted);
  if (path.endsWith('.gz')) {
    const gunzip = createGunzip();
    counted.on('error', (err) => gunzip.destroy(err));
    stream = counted.pipe(gunzip);
  }
  return {
    stream,
    totalBytes: size,
    bytesRead: () => bytes,
    close: () => {
      raw.destroy();
      counted.destroy();
      stream.destroy();
    },
  };
}

/** csv or jsonl from the file name (a .gz suffix is looked through). */
export function formatOf(path: string): ImportFormat {
  const name = basename(path).toLowerCase().replace(/\.gz$/, '');
  if (/\.(jsonl|ndjson|json)$/.test(name)) return 'jsonl';
  if (name.endsWith('.csv')) return 'csv';
  throw new Error(`cannot tell the format of ${basename(path)} from its name: pass --format csv or --format jsonl`);
}
