// Where a data set is on this machine: shipped in datasets/, in the download cache, or in the offline copy (../shared/data).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATASETS, type DatasetName, type DownloadedDataset } from './catalogue.ts';
import { shippedFile } from './shipped.ts';
import { fileSha256 } from './checksum.ts';

export interface DataPlaces {
  dataCacheDir: string;
  sharedDataDir: string | null;
}

export type Found = { path: string; from: 'shipped' | 'cache' | 'shared' };

/** The cache path of a downloaded data set (where `retain data fetch` puts it). */
export const cachePath = (d: DownloadedDataset, places: DataPlaces) => join(places.dataCacheDir, d.file);

/** The offline copy of a data set when it is there with the right checksum, else null. */
export async function sharedCopy(d: DownloadedDataset, places: DataPlaces): Promise<string | null> {
  if (!places.sharedDataDir) return null;
  const path = join(places.sharedDataDir, d.shared);
  return existsSync(path) && (await fileSha256(path)) === d.sha256 ? path : null;
}

/** Finds a data set without downloading it; null when it has to be fetched first. */
export async function findDataset(name: DatasetName, places: DataPlaces): Promise<Found | null> {
  const d = DATASETS[name];
  switch (d.kind) {
    case 'shipped':
      return { path: shippedFile(d.path), from: 'shipped' };
    case 'download': {
      const cached = cachePath(d, places);
      if (existsSync(cached)) return { path: cached, from: 'cache' };
      const shared = await sharedCopy(d, places);
      return shared ? { path: shared, from: 'shared' } : null;
    }
  }
}

/** The file of a data set, or an error saying which command fetches it. */
export async function requireDataset(name: DatasetName, places: DataPlaces): Promise<string> {
  const found = await findDataset(name, places);
  if (found) return found.path;
  const d = DATASETS[name] as DownloadedDataset;
  throw new Error(
    `the ${name} data set is not on this machine: run \`retain data fetch ${name}\` first (downloads ${d.url} into ${places.dataCacheDir})`,
  );
}
