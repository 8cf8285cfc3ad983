// `retain data fetch NAME`: puts a public data set into the cache, from the offline copy when it is there, else
// downloaded from its publisher (or RETAIN_DATA_MIRROR) and kept only when its SHA-256 is the expected one.
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DATASETS, type DatasetName, type DownloadedDataset } from './catalogue.ts';
import { cachePath, findDataset, sharedCopy, type DataPlaces, type Found } from './locate.ts';

export interface FetchOptions extends DataPlaces {
  /** Base URL replacing the publisher's (the file name is appended). */
  dataMirror?: string;
}

export type Fetched = { path: string; from: Found['from'] | 'download'; url?: string };

/** Where the file is downloaded from: the mirror (base URL + file name) when one is set, else the publisher. */
export function sourceUrl(d: DownloadedDataset, mirror: string | undefined): string {
  return mirror ? `${mirror.replace(/\/+$/, '')}/${d.file}` : d.url;
}

export async function fetchDataset(name: DatasetName, opts: FetchOptions): Promise<Fetched> {
  const d = DATASETS[name];
  switch (d.kind) {
    case 'shipped':
      return (await findDataset(name, opts))!;
    case 'download':
      return fetchDownloaded(name, d, opts);
  }
}

/** The cache, else the offline copy (copied into the cache), else a verified download. */
export async function fetchDownloaded(name: string, d: DownloadedDataset, opts: FetchOptions): Promise<Fetched> {
  const target = cachePath(d, opts);
  if (existsSync(target)) return { path: target, from: 'cache' };
  await mkdir(opts.dataCacheDir, { recursive: true });
  const shared = await sharedCopy(d, opts);
  if (shared) {
    await copyFile(shared, target);
    return { path: target, from: 'shared' };
  }
  const url = sourceUrl(d, opts.dataMirror);
  await download(url, target, d.sha256, name);
  return { path: target, from: 'download', url };
}

/** Streams url into target through a temporary file, hashing on the way; nothing is left behind on failure. */
async function download(url: string, target: string, sha256: string, name: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow' });
  } catch (err) {
    const why = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new Error(
      `could not download ${name} from ${url} (${why}): check the network, or set RETAIN_DATA_MIRROR to a copy, or put the file at ${target}`,
      { cause: err },
    );
  }
  if (!res.ok || !res.body)
    throw new Error(
      `could not download ${name} from ${url}: HTTP ${res.status}; set RETAIN_DATA_MIRROR to a copy, or put the file at ${target}`,
    );
  const partial = `${target}.part-${process.pid}`;
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(res.body as import('node:stream/web').ReadableStream),
      hashing,
      createWriteStream(partial),
    );
    const got = hash.digest('hex');
    if (got !== sha256)
      throw new Error(
        `the file downloaded from ${url} is not the ${name} data set (SHA-256 ${got}, expected ${sha256}): it was not kept`,
      );
    await rename(partial, target);
  } catch (err) {
    await rm(partial, { force: true });
    if ((err as Error).message.startsWith('the file downloaded')) throw err;
    throw new Error(
      `could not download ${name} from ${url} (${(err as Error).message}): retry, or put the file at ${target}`,
      { cause: err },
    );
  }
}
