// `retain data list | fetch NAME`: the public data sets, shipped or fetched into the cache with a checksum.
import type { Config } from '../config.ts';
import { DATASETS, isDatasetName, fetchDataset, findDataset } from '../datasets/index.ts';

export const DATA_USAGE = `usage: retain data list | retain data fetch NAME   (NAME: ${Object.keys(DATASETS).join(', ')})`;

export async function runDataCommand(
  config: Config,
  argv: string[],
  out: (line: string) => void = console.log,
): Promise<number> {
  const [sub, name, ...extra] = argv;
  if (sub === 'list' && !name) {
    for (const [n, d] of Object.entries(DATASETS)) {
      const found = isDatasetName(n) ? await findDataset(n, config) : null;
      out(`${n}\t${found ? `${found.from}: ${found.path}` : 'not fetched'}\t${d.title}`);
    }
    return 0;
  }
  if (sub !== 'fetch' || !name || extra.length > 0) {
    console.error(DATA_USAGE);
    return 2;
  }
  if (!isDatasetName(name))
    throw new Error(`unknown data set "${name}": use one of ${Object.keys(DATASETS).join(', ')}`);
  const fetched = await fetchDataset(name, config);
  const how = {
    shipped: 'shipped with Retain',
    cache: 'already in the cache',
    shared: 'copied from the offline copy',
    download: `downloaded from ${fetched.url}, checksum verified`,
  }[fetched.from];
  out(`${name}: ${fetched.path} (${how})`);
  const d = DATASETS[name];
  if (d.kind === 'download') out(`licence: ${d.licence}`);
  return 0;
}
