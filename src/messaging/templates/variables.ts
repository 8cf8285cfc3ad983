// Variables a template reads that its context cannot provide (pure): each use checked against the context's shape
// (context-schema.ts), reported at its place with what the value has and the nearest name ("did you mean …?").
import { TemplateError, type VariableUse } from '../liquid.ts';
import { didYouMean, nearest } from '../../suggest.ts';
import { templateContextShape, type Shape } from './context-schema.ts';
import { assertNever, type Coded } from '../../lib/index.ts';
import type { TemplateProblemCode } from './problem-codes.ts';

type Path = VariableUse['path'];

/** A path as Liquid writes it: customer.first_name, cart.items[0].name, event["a b"], traits[…]. */
export function showPath(path: Path): string {
  return path.reduce<string>((out, key, i) => {
    if (key === null) return `${out}[…]`;
    if (typeof key === 'number') return `${out}[${key}]`;
    if (/^[A-Za-z_][\w-]*$/.test(key)) return i === 0 ? key : `${out}.${key}`;
    return `${out}[${JSON.stringify(key)}]`;
  }, '');
}

/** Every use of a variable the context does not have, as a TemplateError at the use. */
export function unknownVariables(uses: VariableUse[], shape: Shape = templateContextShape): TemplateError[] {
  return uses.flatMap((use) => {
    const start = use.loopsOver ? itemOf(use.loopsOver, shape) : { shape, from: 0 };
    const problem = start && problemOf(use.path, start.shape, start.from);
    return problem ? [new TemplateError(problem[0], use.line, use.column, use.partial, problem[1])] : [];
  });
}

/** What a loop's variable is: the item of the list it goes over, when that is a list the context describes. */
function itemOf(over: string[], shape: Shape): { shape: Shape; from: number } | null {
  let node = shape;
  for (const key of over) {
    if (node.kind !== 'object' || !Object.hasOwn(node.fields, key)) return null; // free-form, or reported where the loop names it
    node = node.fields[key]!;
  }
  return node.kind === 'list' ? { shape: node.item, from: 1 } : null;
}

const SIZE: Shape = { kind: 'number' };

/** Why the context cannot give `path`, or null when it can (or when the part it reaches is free-form); `root` is what
 * path[from] is read from (a loop's item when path[0] is the loop's variable). */
function problemOf(path: Path, root: Shape, from = 0): [string, Coded<TemplateProblemCode>] | null {
  let node = root;
  for (let i = from; i < path.length; i++) {
    const key = path[i]!;
    const here = showPath(path.slice(0, i));
    const instead = (keys: string[][]) => keys.map((k) => showPath([...path.slice(0, i), ...k, ...path.slice(i + 1)]));
    switch (node.kind) {
      case 'any':
        return null;
      case 'object': {
        if (key === null) return null; // a key another variable chooses: known only when rendering
        if (typeof key === 'string' && Object.hasOwn(node.fields, key)) {
          node = node.fields[key]!;
          continue;
        }
        if (key === 'size') {
          node = SIZE;
          continue;
        }
        const names = Object.keys(node.fields);
        if (i === 0) {
          const near = rootSuggestions(String(key), node, path.slice(1));
          return [
            `Unknown variable "${showPath(path)}"${didYouMean(near)}: a message's data has ${listOf(names)}.`,
            {
              code: 'unknown_variable',
              values: { variable: showPath(path), near: near.join(', '), has: names.join(', ') },
            },
          ];
        }
        const near = nearest(String(key), names).map((n) => [n]);
        // a name that is not a field here may be a trait sent with the customer (customer.plan → customer.traits.plan)
        const fields = node.fields;
        const freeForm = names.filter((n) => fields[n]!.kind === 'any').map((n) => [n, String(key)]);
        const suggested = instead(near.length ? near : freeForm);
        return [
          `Unknown variable "${showPath(path)}"${didYouMean(suggested)}: ${here} has no field "${key}"; it has ${listOf(names)}.`,
          {
            code: 'no_such_field',
            values: {
              variable: showPath(path),
              near: suggested.join(', '),
              parent: here,
              field: String(key),
              has: names.join(', '),
            },
          },
        ];
      }
      case 'list':
        if (key === null || typeof key === 'number' || key === 'first' || key === 'last') {
          node = node.item;
          continue;
        }
        if (key === 'size') {
          node = SIZE;
          continue;
        }
        return [
          `"${showPath(path)}": ${here} is a list: loop over it with {% for item in ${here} %}{{ item.${key} }}{% endfor %}, or take one with ${here}.first.${key}.`,
          { code: 'is_a_list', values: { variable: showPath(path), parent: here, field: String(key) } },
        ];
      case 'text':
        if (key === 'size') {
          node = SIZE;
          continue;
        }
        return [
          `"${showPath(path)}": ${here} is text, which has no "${key}": print ${here} itself.`,
          { code: 'is_text', values: { variable: showPath(path), parent: here, field: String(key) } },
        ];
      case 'number':
        return [
          `"${showPath(path)}": ${here} is a number, which has no "${key}": print ${here} itself.`,
          { code: 'is_a_number', values: { variable: showPath(path), parent: here, field: String(key) } },
        ];
      default: {
        return assertNever(node, 'shape');
      }
    }
  }
  return null;
}

/** For an unknown first name: the names near it, and a field of that name (or nearly) one level down: first_name →
 * customer.first_name. */
function rootSuggestions(name: string, root: Extract<Shape, { kind: 'object' }>, rest: Path): string[] {
  const near = nearest(name, Object.keys(root.fields)).map((n) => [n]);
  const below = Object.entries(root.fields).flatMap(([parent, shape]) => {
    if (shape.kind !== 'object') return [];
    const fields = Object.keys(shape.fields);
    const match = fields.includes(name) ? name : nearest(name, fields, { maxDistance: 1 })[0];
    return match ? [[parent, match]] : [];
  });
  return [...near, ...below].slice(0, 3).map((p) => showPath([...p, ...rest]));
}

function listOf(names: string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join('');
}
