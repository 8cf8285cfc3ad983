// Places each problem of the definition by its field: the problem at a field's path (relative to the step or the
// trigger), and the problems no field of the form shows, listed in words under the form.
import type { DefinitionError } from '../../journeys/types';
import { journeyProblemWords } from '../../journeys/problemWords';

const under = (rel: string, path: string) => rel === path || rel.startsWith(`${path}.`) || rel.startsWith(`${path}[`);

/** `at(path)`: the first problem at or under `path` below `prefix` (e.g. "$.steps[2]"); `unplaced`: those under no `placed` path. */
export function problemsAt(errors: DefinitionError[], prefix: string, placed: readonly string[]) {
  const rel = (e: DefinitionError) =>
    e.path.startsWith(`${prefix}.`) ? e.path.slice(prefix.length + 1) : e.path === prefix ? '' : null;
  const found = (path: string) =>
    errors.find((e) => {
      const r = rel(e);
      return r !== null && under(r, path);
    });
  const at = (path: string) => {
    const e = found(path);
    return e ? journeyProblemWords(e) : null;
  };
  const unplaced = errors.filter((e) => {
    const r = rel(e);
    return r === null || !placed.some((p) => under(r, p));
  });
  return { at, unplaced };
}

export function UnplacedProblems({ problems, label }: { problems: DefinitionError[]; label: string }) {
  if (!problems.length) return null;
  return (
    <ul className="jf-errors" aria-label={label}>
      {problems.map((e, i) => (
        <li key={i}>{journeyProblemWords(e)}</li>
      ))}
    </ul>
  );
}
