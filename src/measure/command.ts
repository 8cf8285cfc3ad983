// `retain import experiment FILE …`: parses the arguments (or a preset), imports, and prints each arm against control.
import type { Db } from '../store/index.ts';
import { loadConfig } from '../config.ts';
import { requireDataset, type DataPlaces } from '../datasets/index.ts';
import { pickWorkspace } from '../workspaces/index.ts';
import { readCommandLine } from '../lib/index.ts';
import type { MetricKind } from './compare.ts';
import { experimentReport } from './experiments/report.ts';
import { importExperiment } from './experiments/import.ts';
import {
  EXPERIMENT_PRESETS,
  isExperimentPreset,
  type ExperimentMapping,
  type ExperimentMetric,
} from './experiments/mapping.ts';

export const EXPERIMENT_USAGE = `usage: retain import experiment FILE [options]
  --preset hillstrom     the Hillstrom e-mail experiment (FILE defaults to the data set: \`retain data fetch hillstrom\`)
  --id ID                the experiment's id (lower-case, e.g. spring-sale; default: the file name)
  --name NAME            its name in the dashboard
  --arm COLUMN           the column naming each customer's arm
  --control VALUE        the arm value of the control group
  --customer COLUMN      the customer id column (default: each line is one customer)
  --metric NAME=COLUMN[:proportion|mean]   an outcome (repeatable); proportion = 0/1 (default), mean = an amount
  --workspace ID|NAME    workspace to import into`;

interface ParsedExperiment {
  file?: string;
  preset?: keyof typeof EXPERIMENT_PRESETS;
  id?: string;
  name?: string;
  mapping: Partial<ExperimentMapping> & { metrics: ExperimentMetric[] };
  workspace?: string;
}

export function parseExperimentArgs(args: string[]): ParsedExperiment {
  const fail = (msg: string): never => {
    throw new Error(`${msg}\n${EXPERIMENT_USAGE}`);
  };
  const out: ParsedExperiment = { mapping: { metrics: [] } };
  const { positional, options } = readCommandLine(args, fail);
  for (const [name, value] of options) {
    switch (name) {
      case 'preset':
        if (!isExperimentPreset(value))
          return fail(`--preset ${value}: unknown; the presets are ${Object.keys(EXPERIMENT_PRESETS).join(', ')}`);
        out.preset = value;
        break;
      case 'id':
        out.id = value;
        break;
      case 'name':
        out.name = value;
        break;
      case 'arm':
        out.mapping.arm = value;
        break;
      case 'control':
        out.mapping.control = value;
        break;
      case 'customer':
        out.mapping.customer = value;
        break;
      case 'metric': {
        const m = /^([a-z][a-z0-9_]*)=(.+?)(?::(proportion|mean))?$/.exec(value);
        if (!m)
          return fail(`--metric ${value}: write NAME=COLUMN or NAME=COLUMN:mean, e.g. --metric spend=Revenue:mean`);
        out.mapping.metrics.push({ name: m[1]!, column: m[2]!, kind: (m[3] ?? 'proportion') as MetricKind });
        break;
      }
      case 'workspace':
        out.workspace = value;
        break;
      default:
        return fail(`unknown option --${name}`);
    }
  }
  if (positional.length > 1) fail(`unexpected argument ${positional[1]}`);
  out.file = positional[0];
  if (!out.file && !out.preset) fail('which file? (or --preset hillstrom)');
  if (!out.preset) {
    if (!out.mapping.arm) fail('--arm: which column names the arm?');
    if (!out.mapping.control) fail('--control: which arm value is the control group?');
    if (out.mapping.metrics.length === 0)
      fail('--metric: name at least one outcome, e.g. --metric conversion=converted');
  }
  return out;
}

const percent = (x: number) => `${(x * 100).toFixed(2)} %`;
const number = (x: number) => (Math.abs(x) < 1 ? x.toFixed(4) : x.toFixed(2));

export interface ExperimentIo {
  stdout?: { write(s: string): unknown };
  stderr?: { write(s: string): unknown };
  places?: DataPlaces;
  now?: Date;
}

/** Runs the command; returns the exit code. */
export async function runExperimentImport(db: Db, args: string[], io: ExperimentIo = {}): Promise<number> {
  const parsed = parseExperimentArgs(args);
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const ws = await pickWorkspace(db, parsed.workspace, (line) => stderr.write(line + '\n'));
  const preset = parsed.preset ? EXPERIMENT_PRESETS[parsed.preset] : undefined;
  const file = parsed.file ?? (await requireDataset('hillstrom', io.places ?? loadConfig()));
  const mapping: ExperimentMapping = preset
    ? { ...preset.mapping, metrics: [...preset.mapping.metrics] }
    : {
        arm: parsed.mapping.arm!,
        control: parsed.mapping.control!,
        customer: parsed.mapping.customer,
        metrics: parsed.mapping.metrics,
      };
  const fileId = (file.split('/').pop() ?? 'experiment')
    .replace(/\.[^.]*$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+/, '');
  const id = parsed.id ?? preset?.id ?? fileId;
  const summary = await importExperiment(
    db,
    ws,
    { id, name: parsed.name ?? preset?.name ?? id, file, mapping },
    io.now ?? new Date(),
  );
  const report = experimentReport({
    id,
    name: id,
    controlArm: mapping.control,
    metrics: mapping.metrics,
    arms: summary.arms,
  });
  stdout.write(
    `Experiment "${id}": ${summary.customers} customers in ${summary.arms.length} arms; ${summary.rejectedCount} lines rejected.\n`,
  );
  for (const r of summary.rejected) stdout.write(`  line ${r.line}, ${r.field || 'record'}: ${r.reason}\n`);
  for (const arm of report.arms) {
    const cells = mapping.metrics.map((m) => {
      const cell = arm.metrics[m.name]!;
      const value = m.kind === 'proportion' ? percent(cell.value) : number(cell.value);
      const vs = cell.vsControl;
      if (!vs) return `${m.name} ${value}`;
      const diff = m.kind === 'proportion' ? `${(vs.difference * 100).toFixed(2)} pp` : number(vs.difference);
      return `${m.name} ${value} (${vs.difference >= 0 ? '+' : ''}${diff}, p ${vs.pValue < 0.0001 ? '< 0.0001' : vs.pValue.toFixed(4)}, ${vs.verdict.kind.replace(/_/g, ' ')})`;
    });
    stdout.write(`  ${arm.arm}${arm.control ? ' (control)' : ''}: ${arm.n} customers; ${cells.join('; ')}\n`);
  }
  stdout.write(`Report: GET /api/v1/experiments/${id}/report\n`);
  return 0;
}
