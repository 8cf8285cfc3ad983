// Consent errors: what was wrong (a field, a missing customer or topic) in words the caller can act on.
export class ConsentError extends Error {
  constructor(
    readonly code: 'invalid' | 'not_found' | 'conflict' | 'forbidden',
    message: string,
    /** The input field at fault. */
    readonly field?: string,
  ) {
    super(field ? `${field}: ${message}` : message);
  }
}
