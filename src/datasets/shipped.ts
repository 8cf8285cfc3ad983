// The small public data sets shipped inside the project (datasets/, each with its licence): CDNOW sample, golden-liquid.
import { fileURLToPath } from 'node:url';

const DATASETS = new URL('../../datasets/', import.meta.url);

/** Absolute path of a shipped file, e.g. shippedFile('cdnow/CDNOW_sample.txt'). */
export function shippedFile(relative: string): string {
  return fileURLToPath(new URL(relative, DATASETS));
}
