// Summarises a V8 .cpuprofile (from BENCH_PROFILE=1): self time by area (src/<dir>, npm package, node internals, GC,
// idle) and the top functions. Usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

function area(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const src = /\/(src|bench)\/([^/]+)/.exec(url);
  if (src) return `${src[1]}/${src[2]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url;
}

const areas = new Map<string, number>();
const fns = new Map<string, number>();
let total = 0;
for (const [id, us] of self) {
  const n = byId.get(id)!;
  const { functionName, url, lineNumber } = n.callFrame;
  total += us;
  const a = area(url, functionName);
  areas.set(a, (areas.get(a) ?? 0) + us);
  const key = `${functionName || '(anonymous)'}  ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(src|bench)\//, '$1/')}:${lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
}
// Inclusive time: a sample counts once for every distinct function on its stack.
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map<string, number>();
const nameOf = (n: Node) =>
  `${n.callFrame.functionName || '(anonymous)'}  ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(src|bench)\//, '$1/')}`;
for (const [id, us] of self) {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const k = nameOf(byId.get(cur)!);
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + us);
  }
}
const busy = total - (areas.get('(idle)') ?? 0);
const pct = (us: number, of: number) => ((100 * us) / of).toFixed(1).padStart(5) + ' %';
console.log(
  `${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (not idle)\n\nself time by area (share of busy time):`,
);
for (const [a, us] of [...areas].sort((x, y) => y[1] - x[1]).slice(0, 20))
  if (a !== '(idle)') console.log(`${pct(us, busy)}  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${a}`);
console.log('\ntop functions (self time):');
for (const [f, us] of [...fns].sort((x, y) => y[1] - x[1]).slice(0, Number(topArg ?? 25)))
  if (!f.startsWith('(idle)')) console.log(`${pct(us, busy)}  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${f}`);
console.log('\ntop functions (inclusive time, src/ and selected packages):');
for (const [f, us] of [...inclusive]
  .filter(([k]) => /src\/|zod|secure-json|fastify|pg\/lib|libphone|JSON/.test(k) || /^(parse|stringify) /.test(k))
  .sort((x, y) => y[1] - x[1])
  .slice(0, Number(topArg ?? 25)))
  console.log(`${pct(us, busy)}  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${f}`);
