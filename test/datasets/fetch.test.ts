// `retain data fetch`: a data set is downloaded (here from a local HTTP server standing in for the publisher, through
// the mirror setting) and kept only with the right SHA-256; the offline copy serves when present; offline, the error
// names the address; and the presets find what is fetched or say which command fetches it. Never reads ../shared.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { fetchDataset, fetchDownloaded, sourceUrl } from '../../src/datasets/fetch.ts';
import { DATASETS, type DownloadedDataset } from '../../src/datasets/catalogue.ts';
import { requireDataset } from '../../src/datasets/locate.ts';
import { shippedFile } from '../../src/datasets/shipped.ts';
import { runDataCommand } from '../../src/cli/data.ts';
import { loadConfig } from '../../src/config.ts';

const BODY = Buffer.from('recency,history,segment\n10,142.44,Womens E-Mail\n6,329.08,No E-Mail\n');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sample: DownloadedDataset = {
  kind: 'download',
  title: 'a test set',
  file: 'sample.csv',
  shared: 'experiments/sample.csv',
  url: 'https://publisher.invalid/sample.csv',
  sha256: sha(BODY),
  licence: 'test',
};

describe('fetching a public data set', () => {
  let server: Server;
  let mirror: string;
  let dir: string;
  const hits: string[] = [];
  let serve = BODY;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'retain-data-'));
    server = createServer((req, res) => {
      hits.push(req.url!);
      if (req.url === '/missing.csv') return res.writeHead(404).end('no');
      res.writeHead(200, { 'content-type': 'text/csv' }).end(serve);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const places = (name: string, shared: string | null = null) => ({
    dataCacheDir: join(dir, name, 'cache'),
    sharedDataDir: shared,
    dataMirror: mirror,
  });

  it('downloads from the mirror (file name appended), verifies the checksum, keeps it in the cache; the next fetch is the cache', async () => {
    const p = places('right');
    hits.length = 0;
    const got = await fetchDownloaded('sample', sample, p);
    assert.deepEqual(got, { path: join(p.dataCacheDir, 'sample.csv'), from: 'download', url: `${mirror}sample.csv` });
    assert.deepEqual(readFileSync(got.path), BODY);
    assert.deepEqual(hits, ['/sample.csv']);
    assert.deepEqual(await fetchDownloaded('sample', sample, p), { path: got.path, from: 'cache' });
    assert.equal(hits.length, 1, 'not downloaded twice');
    assert.equal(sourceUrl(sample, undefined), sample.url, 'without a mirror: the publisher');
  });

  it('refuses a file with another checksum and leaves nothing in the cache', async () => {
    const p = places('wrong');
    serve = Buffer.from('something else entirely\n');
    try {
      await assert.rejects(fetchDownloaded('sample', sample, p), (err: Error) => {
        assert.match(
          err.message,
          new RegExp(
            `the file downloaded from ${mirror}sample.csv is not the sample data set \\(SHA-256 ${sha(serve)}, expected ${sample.sha256}\\): it was not kept`,
          ),
        );
        return true;
      });
      assert.deepEqual(readdirSync(p.dataCacheDir), []);
    } finally {
      serve = BODY;
    }
  });

  it('an HTTP error and an unreachable address both name the address', async () => {
    await assert.rejects(
      fetchDownloaded('sample', { ...sample, file: 'missing.csv' }, places('404')),
      new RegExp(`could not download sample from ${mirror}missing.csv: HTTP 404`),
    );
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await assert.rejects(
      fetchDownloaded('sample', sample, { ...places('offline'), dataMirror: `http://127.0.0.1:${port}` }),
      (err: Error) => {
        assert.match(
          err.message,
          new RegExp(
            `^could not download sample from http://127\\.0\\.0\\.1:${port}/sample\\.csv \\(.*ECONNREFUSED.*\\): check the network`,
          ),
        );
        return true;
      },
    );
  });

  it('takes the offline copy when its checksum is right (no download), and ignores it when it is not', async () => {
    const shared = join(dir, 'shared');
    mkdirSync(join(shared, 'experiments'), { recursive: true });
    writeFileSync(join(shared, 'experiments/sample.csv'), BODY);
    hits.length = 0;
    const p = places('from-shared', shared);
    assert.deepEqual(await fetchDownloaded('sample', sample, p), {
      path: join(p.dataCacheDir, 'sample.csv'),
      from: 'shared',
    });
    assert.deepEqual(hits, []);
    writeFileSync(join(shared, 'experiments/sample.csv'), 'tampered\n');
    const q = places('shared-tampered', shared);
    assert.equal((await fetchDownloaded('sample', sample, q)).from, 'download');
    assert.deepEqual(hits, ['/sample.csv']);
  });

  it("the presets' large set is asked for by name until fetched; a wrong download of it is refused by its checksum", async () => {
    const p = places('retail');
    await assert.rejects(
      requireDataset('online-retail', p),
      /the online-retail data set is not on this machine: run `retain data fetch online-retail` first \(downloads https:\/\/archive\.ics\.uci\.edu\/.* into .*retail\/cache\)/,
    );
    await assert.rejects(fetchDataset('online-retail', p), /is not the online-retail data set/);
    assert.equal(existsSync(join(p.dataCacheDir, (DATASETS['online-retail'] as DownloadedDataset).file)), false);
    assert.equal(await requireDataset('cdnow', p), shippedFile('cdnow/CDNOW_sample.txt'));
  });

  it('`retain data fetch` and `data list` through the configuration (RETAIN_DATA_CACHE, RETAIN_DATA_MIRROR, RETAIN_SHARED_DATA)', async () => {
    const config = loadConfig({
      RETAIN_DATA_CACHE: join(dir, 'cli-cache'),
      RETAIN_DATA_MIRROR: mirror,
      RETAIN_SHARED_DATA: 'none',
    });
    assert.deepEqual(
      [config.dataCacheDir, config.sharedDataDir, config.dataMirror],
      [join(dir, 'cli-cache'), null, mirror],
    );
    const lines: string[] = [];
    assert.equal(await runDataCommand(config, ['fetch', 'cdnow'], (l) => lines.push(l)), 0);
    assert.match(lines[0]!, /^cdnow: .*datasets\/cdnow\/CDNOW_sample\.txt \(shipped with Retain\)$/);
    await assert.rejects(
      runDataCommand(config, ['fetch', 'hillstrom'], (l) => lines.push(l)),
      /is not the hillstrom data set/,
    );
    await assert.rejects(
      runDataCommand(config, ['fetch', 'titanic']),
      /unknown data set "titanic": use one of cdnow, online-retail, hillstrom/,
    );
    lines.length = 0;
    assert.equal(await runDataCommand(config, ['list'], (l) => lines.push(l)), 0);
    assert.deepEqual(
      lines.map((l) => l.split('\t').slice(0, 2).join(' ').replace(/: .*/, '')),
      ['cdnow shipped', 'online-retail not fetched', 'hillstrom not fetched'],
    );
  });
});
