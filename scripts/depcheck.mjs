#!/usr/bin/env node
// The layer check (`npm run depcheck`, and a whole `npm test` run): dependency-cruiser with .dependency-cruiser.cjs over
// src/ and the dashboard's web/src/. Fails on a cycle between capabilities, an import into another capability's
// insides, a dashboard import of anything but a pure entry, and a pure entry that reaches node or the database.
// `--root DIR` checks another tree laid out the same way (test/structure plants violations in one).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const here = new URL('..', import.meta.url).pathname;
const at = process.argv.indexOf('--root');
const root = at >= 0 ? process.argv[at + 1] : here;
const cli = join(here, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const folders = ['src', 'web/src'].filter((f) => existsSync(join(root, f)));
const res = spawnSync(
  process.execPath,
  [cli, ...folders, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
  { cwd: root, stdio: 'inherit' },
);
process.exit(res.status ?? 1);
