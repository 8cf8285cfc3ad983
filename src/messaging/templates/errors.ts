// Template problems: what is wrong with a template (every problem, at its path, line and column) or with one render.

/** One problem of a template: the field's JSON path in the content ($ is the content: `$.pl.email.subject`), and the
 * 1-based line and column in that field when the problem is at a place in it. */
export interface TemplateProblem {
  path: string;
  line?: number;
  column?: number;
  message: string;
}

/** A template refused when saved or validated, with every problem found. */
export class InvalidTemplate extends Error {
  constructor(readonly problems: TemplateProblem[]) {
    super(problems.map(describeProblem).join('\n'));
    this.name = 'InvalidTemplate';
  }
}

/** A render that failed for one message (an unknown variable, a bad amount for `money`, no content for the channel). */
export class TemplateRenderError extends Error implements TemplateProblem {
  constructor(
    readonly path: string,
    readonly problem: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(describeProblem({ path, line, column, message: problem }));
    this.name = 'TemplateRenderError';
  }
  toJSON(): TemplateProblem {
    return { path: this.path, ...(this.line ? { line: this.line, column: this.column } : {}), message: this.problem };
  }
}

/** Where a store operation cannot go: no such template, an id that is taken or a template still in use. */
export class TemplateStoreError extends Error {
  constructor(
    readonly code: 'not_found' | 'conflict' | 'in_use',
    message: string,
  ) {
    super(message);
    this.name = 'TemplateStoreError';
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
