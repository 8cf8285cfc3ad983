// Template problems: what is wrong with a template (every problem, at its path, line and column) or with one render.
import { DomainError, type Coded, type ErrorBody } from '../../lib/index.ts';
import type { TemplateProblemCode } from './problem-codes.ts';

/** One problem of a template: the field's JSON path in the content ($ is the content: `$.pl.email.subject`), and the
 * 1-based line and column in that field when the problem is at a place in it. */
export interface TemplateProblem extends Coded<TemplateProblemCode> {
  path: string;
  line?: number;
  column?: number;
  message: string;
}

/** A template refused when saved or validated, with every problem found: 400 (422 for a draft being previewed). */
export class InvalidTemplate extends DomainError {
  constructor(
    readonly problems: TemplateProblem[],
    status = 400,
  ) {
    super('invalid_template', status, problems.map(describeProblem).join('\n'));
  }
  /** The message names the first problem; `errors` holds every one. */
  override body(): ErrorBody {
    return { error: this.code, message: describeProblem(this.problems[0]!), errors: this.problems };
  }
}

/** A render that failed for one message (an unknown variable, a bad amount for `money`, no content for the channel): 422. */
export class TemplateRenderError extends DomainError {
  constructor(
    readonly path: string,
    readonly problem: string,
    readonly line?: number,
    readonly column?: number,
    /** The problem as a code; none: the renderer's own words (`render`). */
    readonly coded: Coded<TemplateProblemCode> = { code: 'render', values: { detail: problem } },
  ) {
    super('template_error', 422, describeProblem({ path, line, column, message: problem, ...coded }));
  }
  override body(): ErrorBody {
    return { error: this.code, message: this.message, errors: [this.toJSON()] };
  }
  toJSON(): TemplateProblem {
    return {
      path: this.path,
      ...(this.line ? { line: this.line, column: this.column } : {}),
      message: this.problem,
      ...this.coded,
    };
  }
}

/** Where a store operation cannot go: no such template (404), an id that is taken or a template still in use (409). */
export class TemplateStoreError extends DomainError {
  declare readonly code: 'not_found' | 'conflict' | 'in_use';
  constructor(code: 'not_found' | 'conflict' | 'in_use', message: string) {
    super(code, code === 'not_found' ? 404 : 409, message);
  }
}

/** `$.pl.email.subject (line 2, column 7): Unknown variable …` */
export function describeProblem(p: TemplateProblem): string {
  return `${p.path}${p.line ? ` (line ${p.line}, column ${p.column ?? 1})` : ''}: ${p.message}`;
}

/** A JSON path from keys: `$.pl.email.subject`, `$.pl.telegram.buttons[0].url`, `$.pl.webhook.body["a b"]`. */
export function jsonPath(keys: readonly PropertyKey[]): string {
  return keys.reduce<string>((path, key) => {
    if (typeof key === 'number') return `${path}[${key}]`;
    const name = String(key);
    return /^[A-Za-z_][\w-]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
  }, '$');
}
