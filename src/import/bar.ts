// Progress display on stderr (a bar on a terminal, a line every few seconds otherwise) and the summary printer.
import type { ImportProgress, ImportSummary } from './types.ts';

interface Out {
  write(s: string): unknown;
  isTTY?: boolean;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

export function progressReporter(opts: { out?: Out; label?: string; now?: () => number } = {}) {
  const out = opts.out ?? process.stderr;
  const now = opts.now ?? Date.now;
  const label = opts.label ?? 'import';
  const tty = !!out.isTTY;
  const started = now();
  let shown = 0;
  let latest: ImportProgress | null = null;

  const line = (p: ImportProgress, t: number) => {
    const share = p.totalBytes > 0 ? Math.min(1, p.bytes / p.totalBytes) : 0;
    const seconds = Math.max(0.001, (t - started) / 1000);
    const rate = p.lines / seconds;
    const pct = `${(share * 100).toFixed(1).padStart(5)}%`;
    const eta = share > 0.01 && share < 1 ? `, ${Math.ceil((seconds / share) * (1 - share))} s left` : '';
    if (!tty) return `${label}: ${pct} ${int(p.lines)} lines, ${int(rate)} lines/s${eta}`;
    const width = 28;
    const full = Math.round(share * width);
    return `${label} [${'#'.repeat(full)}${'-'.repeat(width - full)}] ${pct}  ${int(p.lines)} lines  ${int(rate)} lines/s${eta}`;
  };

  return {
    onProgress(p: ImportProgress): void {
      latest = p;
      const t = now();
      if (t - shown < (tty ? 100 : 5000)) return;
      shown = t;
      out.write(tty ? `\r\x1b[K${line(p, t)}` : `${line(p, t)}\n`);
    },
    /** Draws the final state and ends the bar's line. */
    done(): void {
      if (!latest) return;
      out.write(tty ? `\r\x1b[K${line(latest, now())}\n` : `${line(latest, now())}\n`);
    },
  };
}

export function formatSummary(s: ImportSummary, seconds?: number): string {
  const rows: [string, string][] = [
    ['lines read', int(s.lines)],
    ['accepted', int(s.accepted)],
    ['already there', int(s.duplicates)],
    ['rejected lines', int(s.rejected) + (s.rejectsFile ? `  (see ${s.rejectsFile})` : '')],
  ];
  if (s.anonymous > 0) rows.push(['anonymous sale lines', int(s.anonymous)]);
  if (s.resumedFrom > 0) rows.push(['resumed after line', int(s.resumedFrom)]);
  if (seconds !== undefined)
    rows.push(['time', `${seconds.toFixed(1)} s (${int(s.lines / Math.max(seconds, 0.001))} lines/s)`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const head = s.complete
    ? 'Import complete.'
    : 'Import stopped before the end of the file: run the same command again to resume.';
  return [head, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n');
}
