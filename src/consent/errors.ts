// Consent errors: what was wrong (a field, a missing customer or topic) in words the caller can act on.
import { DomainError, type ErrorBody } from '../lib/index.ts';

const STATUS = { invalid: 400, not_found: 404, conflict: 409, forbidden: 403 } as const;

export class ConsentError extends DomainError {
  declare readonly code: keyof typeof STATUS;
  constructor(code: keyof typeof STATUS, message: string, /** The input field at fault. */ field?: string) {
    super(code, STATUS[code], field ? `${field}: ${message}` : message, { field });
  }
  /** `invalid` is the API's `invalid_request`. */
  override body(): ErrorBody {
    return { ...super.body(), error: this.code === 'invalid' ? 'invalid_request' : this.code };
  }
}
