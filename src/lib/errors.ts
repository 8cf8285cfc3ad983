// The one error type of the domain: a machine code, the HTTP status it is answered with and a message in words that
// says what to do, with the input field at fault when there is one. Every capability's refusals are DomainErrors (or
// subclasses that carry more, such as every problem of a definition); src/http/app.ts answers them all in one place.

/** The JSON the API answers an error with: `{ error, message, details? }`, and what a kind adds (`errors`, `issues`). */
export interface ErrorBody {
  error: string;
  message: string;
  details?: Record<string, unknown>;
  [more: string]: unknown;
}

export interface DomainErrorOptions {
  /** The input field at fault, as a dotted path (`rates.PLN.date`); answered as `details.field`. */
  field?: string;
  /** Machine-readable facts answered under `details`; `retryAfter` (seconds) also sets the Retry-After header. */
  details?: Record<string, unknown>;
}

export class DomainError extends Error {
  /** The input field at fault, when one is. */
  readonly field?: string;
  readonly details?: Record<string, unknown>;

  constructor(
    /** Machine code, stable: clients and tests branch on it (`not_found`, `invalid_request`, `segment_cycle` …). */
    readonly code: string,
    /** The HTTP status the API answers it with. */
    readonly status: number,
    message: string,
    opts: DomainErrorOptions = {},
  ) {
    super(message);
    this.name = new.target.name;
    if (opts.field !== undefined) this.field = opts.field;
    if (opts.details !== undefined) this.details = opts.details;
  }

  /** The body of the API's answer. Kinds that carry every problem (a definition's, a template's) add them here. */
  body(): ErrorBody {
    const details = this.field === undefined ? this.details : { field: this.field, ...this.details };
    return { error: this.code, message: this.message, ...(details ? { details } : {}) };
  }

  /** Seconds after which the same call may succeed (a rate limit, a busy workspace): answered as Retry-After. */
  get retryAfter(): number | undefined {
    const s = this.details?.retryAfter;
    return typeof s === 'number' ? s : undefined;
  }
}

/** One problem of a definition (a segment's, a journey's), at its JSON path (`$.steps[2].duration`). */
export interface PathProblem {
  path: string;
  message: string;
}

/** A definition refused with every problem: 400 `invalid_definition`; the message names the first, `errors` holds all. */
export class InvalidDefinitionError extends DomainError {
  constructor(
    what: string,
    readonly errors: PathProblem[],
  ) {
    super(
      'invalid_definition',
      400,
      `invalid ${what} definition: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    );
  }
  override body(): ErrorBody {
    const first = this.errors[0]!;
    return { error: this.code, message: `${first.path}: ${first.message}`, errors: this.errors };
  }
}
