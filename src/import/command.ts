// The `retain import` command: parses its arguments, runs importFile with a progress display, prints the summary.
import type { Db } from '../store/index.ts';
import { readCommandLine } from '../lib/index.ts';
import { importFile } from './import.ts';
import { pickWorkspace } from '../workspaces/index.ts';
import { loadConfig } from '../config.ts';
import { requireDataset, type DataPlaces } from '../datasets/index.ts';
import { formatSummary, progressReporter } from './bar.ts';
import { PRESETS } from './presets.ts';
import type { ImportFormat, ImportKind, ImportOptions, ImportSummary, PresetName } from './types.ts';

export const IMPORT_USAGE = `usage: retain import customers|orders|events FILE [options]
  --map TARGET=COLUMN   source column of a field (repeatable), e.g. --map userId="Customer ID" --map email=Mail
  --preset NAME         cdnow | online-retail (orders); FILE then defaults to the data set (shipped, or from
                        \`retain data fetch online-retail\`)
  --rejects FILE        where rejected lines go (default ./<file name>.rejects.csv)
  --format csv|jsonl    when the file name does not tell
  --timezone ZONE       zone of dates written without an offset (default UTC)
  --currency CODE       currency of orders without a currency column
  --batch-size N        records per transaction (default 1000; a batch also ends at 5,000 source lines)
  --workspace ID|NAME   workspace to import into (default: the only one, else the only one holding customers, else
                        the first created; the command says which)`;

export interface ParsedImport {
  /** file is undefined when a preset's data set is to be read. */
  options: Omit<ImportOptions, 'file'> & { file?: string };
  workspace?: string;
}

export function parseImportArgs(argv: string[]): ParsedImport {
  const args = argv[0] === 'import' ? argv.slice(1) : [...argv];
  const fail = (msg: string): never => {
    throw new Error(`${msg}\n${IMPORT_USAGE}`);
  };
  const mapping: Record<string, string> = {};
  const options: Partial<ImportOptions> = {};
  let workspace: string | undefined;
  const { positional, options: given } = readCommandLine(args, fail);
  for (const [name, v] of given) {
    switch (name) {
      case 'map': {
        const cut = v.indexOf('=');
        if (cut <= 0) fail(`--map ${v}: write TARGET=COLUMN`);
        mapping[v.slice(0, cut).trim()] = v.slice(cut + 1);
        break;
      }
      case 'preset':
        if (!(v in PRESETS)) fail(`unknown preset ${v}`);
        options.preset = v as PresetName;
        break;
      case 'rejects':
        options.rejectsFile = v;
        break;
      case 'format':
        if (v !== 'csv' && v !== 'jsonl') fail(`--format ${v}: use csv or jsonl`);
        options.format = v as ImportFormat;
        break;
      case 'timezone':
        options.timeZone = v;
        break;
      case 'currency':
        options.currency = v.toUpperCase();
        break;
      case 'batch-size':
        if (!/^\d+$/.test(v) || Number(v) < 1) fail(`--batch-size ${v}: a positive whole number`);
        options.batchSize = Number(v);
        break;
      case 'workspace':
        workspace = v;
        break;
      default:
        fail(`unknown option --${name}`);
    }
  }
  const [kind, file, ...extra] = positional;
  if (kind !== 'customers' && kind !== 'orders' && kind !== 'events')
    fail(kind ? `cannot import "${kind}"` : 'what to import?');
  if (extra.length > 0) fail(`unexpected argument ${extra[0]}`);
  if (!file && !options.preset) fail('which file?');
  if (Object.keys(mapping).length > 0) options.mapping = mapping;
  return { options: { ...options, kind: kind as ImportKind, ...(file ? { file } : {}) }, workspace };
}

export interface ImportIo {
  stdout?: { write(s: string): unknown };
  stderr?: { write(s: string): unknown; isTTY?: boolean };
  /** Where data sets are looked for (default: from the configuration). */
  places?: DataPlaces;
  /** Receives the summary (tests). */
  onSummary?: (s: ImportSummary) => void;
}

/**
 * Runs `retain import …` and returns the exit code (0 done, 130 stopped by Ctrl-C; bad arguments throw).
 * Called as (db, argv) or (db, workspaceId, argv); --workspace in argv wins. Ctrl-C stops after the current batch.
 */
export async function runImportCommand(
  db: Db,
  workspaceOrArgv: string | string[],
  argvOrIo?: string[] | ImportIo,
  maybeIo?: ImportIo,
): Promise<number> {
  const argv = Array.isArray(workspaceOrArgv) ? workspaceOrArgv : (argvOrIo as string[]);
  const io = ((Array.isArray(workspaceOrArgv) ? argvOrIo : maybeIo) as ImportIo | undefined) ?? {};
  const { options: parsed, workspace } = parseImportArgs(argv);
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const given = Array.isArray(workspaceOrArgv) ? undefined : workspaceOrArgv;
  const workspaceId =
    workspace || !given ? await pickWorkspace(db, workspace, (line) => stderr.write(line + '\n')) : given;
  const file = parsed.file ?? (await requireDataset(PRESETS[parsed.preset!].dataset, io.places ?? loadConfig()));
  const options = { ...parsed, file };
  const progress = progressReporter({ out: stderr, label: `import ${options.kind}` });
  const stop = new AbortController();
  const onSigint = () => {
    if (stop.signal.aborted) process.exit(130);
    stop.abort();
    stderr.write('\nstopping after the current batch (Ctrl-C again to quit now)…\n');
  };
  process.on('SIGINT', onSigint);
  const started = performance.now();
  try {
    const summary = await importFile(db, workspaceId, {
      ...options,
      signal: stop.signal,
      onProgress: progress.onProgress,
    });
    progress.done();
    stdout.write(formatSummary(summary, (performance.now() - started) / 1000) + '\n');
    io.onSummary?.(summary);
    return summary.complete ? 0 : 130;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
