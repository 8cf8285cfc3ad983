// Wall-clock time in an IANA time zone → UTC instant (pure, Intl-based, cached per zone).

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

const cache = new Map<string, number>();

/** Offset of the zone at instant t, in ms (local − UTC); cached per quarter hour, as zones change offset on quarter hours. */
function offsetAt(t: number, zone: string): number {
  const key = `${zone} ${Math.floor(t / 900_000)}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  if (cache.size > 50_000) cache.clear();
  const offset = computeOffset(t, zone);
  cache.set(key, offset);
  return offset;
}

function computeOffset(t: number, zone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(t)))
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  const local = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return local - Math.floor(t / 1000) * 1000;
}

/** Throws RangeError for an unknown zone. */
export function checkZone(zone: string): void {
  formatter(zone);
}

/** The UTC instant of a wall-clock time in `zone`; an hour skipped or repeated by a DST change resolves to a neighbouring instant. */
export function zonedToUtc(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
  zone: string,
): Date {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (zone === 'UTC' || zone === 'Etc/UTC') return new Date(wall);
  const guess = offsetAt(wall, zone);
  const actual = offsetAt(wall - guess, zone);
  return new Date(wall - actual);
}
