// What every benchmark file shares: its command-line arguments, the scale factor and how it hands its result back.

/** --name value from the command line. */
export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** BENCH_SCALE multiplies the number of events (default 1: 200k on PostgreSQL, 50k on PGlite). */
export function scale(): number {
  const s = Number(process.env.BENCH_SCALE ?? 1);
  if (!(s > 0)) throw new Error(`BENCH_SCALE must be a positive number, not ${process.env.BENCH_SCALE}`);
  return s;
}

export const RESULT_PREFIX = 'BENCH_RESULT ';

/** Prints the result as one line that bench/run.ts picks up. */
export function emit(result: Record<string, unknown>): void {
  process.stdout.write(RESULT_PREFIX + JSON.stringify(result) + '\n');
}
