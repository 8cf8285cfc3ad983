// Reads an experiment's CSV into arm summaries and saves them (retain import experiment): good lines count, bad ones
// are reported with their line and column, and the whole experiment is written in one transaction or not at all.
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Db } from '../../store/index.ts';
import { DomainError } from '../../lib/index.ts';
import { csvRows } from '../../import/index.ts';
import { saveExperiment } from '../store/experiments.ts';
import { missingColumns, readExperimentRow, type ExperimentMapping } from './mapping.ts';
import { ExperimentTally, type ArmSummary, type Rejected } from './tally.ts';

export interface ExperimentImport {
  id: string;
  name: string;
  file: string;
  mapping: ExperimentMapping;
}

export interface ExperimentImportSummary {
  id: string;
  customers: number;
  arms: ArmSummary[];
  rejectedCount: number;
  /** The first rejected lines, each with the column and the reason. */
  rejected: Rejected[];
}

/** A file or mapping that cannot be an experiment; the message names the field or column to change. */
export class ExperimentImportError extends DomainError {
  constructor(message: string) {
    super('invalid_request', 400, message);
  }
}

const ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Reads the file, checks it has a control arm and one other, and saves the experiment. */
export async function importExperiment(
  db: Db,
  ws: string,
  input: ExperimentImport,
  now: Date,
): Promise<ExperimentImportSummary> {
  if (!ID.test(input.id))
    throw new ExperimentImportError(
      `id: "${input.id}" must be lower-case letters, digits, - or _ (at most 63), e.g. spring-sale`,
    );
  if (input.mapping.metrics.length === 0)
    throw new ExperimentImportError(
      'metrics: name at least one outcome column, e.g. --metric conversion=converted:proportion',
    );
  const tally = new ExperimentTally(input.mapping);
  let checkedHeader = false;
  for await (const item of csvRows(createReadStream(input.file))) {
    if ('error' in item) {
      tally.reject({ line: item.line, ...item.error });
      continue;
    }
    if (!checkedHeader) {
      const missing = missingColumns(input.mapping, Object.keys(item.values));
      if (missing.length)
        throw new ExperimentImportError(
          `the file has no column ${missing.map((c) => `"${c}"`).join(', ')} (its columns: ${Object.keys(item.values).join(', ')})`,
        );
      checkedHeader = true;
    }
    const row = readExperimentRow(item.values as Record<string, string>, input.mapping, item.line);
    if (row.ok) tally.add(row.arm, row.customer, row.values, item.line);
    else tally.reject({ line: item.line, field: row.field, reason: row.reason });
  }
  const arms = tally.summaries();
  if (!arms.some((a) => a.arm === input.mapping.control)) {
    const seen = arms.map((a) => `"${a.arm}"`).join(', ') || 'none';
    throw new ExperimentImportError(
      `control: no line has the control arm "${input.mapping.control}" in column "${input.mapping.arm}" (arms seen: ${seen})`,
    );
  }
  if (arms.length < 2)
    throw new ExperimentImportError(
      `${input.mapping.arm}: only the control arm is in the file; an experiment needs a treated arm too`,
    );
  await saveExperiment(
    db,
    ws,
    {
      id: input.id,
      name: input.name,
      controlArm: input.mapping.control,
      metrics: input.mapping.metrics.map((m) => ({ name: m.name, kind: m.kind })),
      source: basename(input.file),
      rejected: tally.rejectedCount,
      importedAt: now,
    },
    arms,
  );
  return {
    id: input.id,
    customers: tally.customers(),
    arms,
    rejectedCount: tally.rejectedCount,
    rejected: tally.rejected,
  };
}
