// The end of every switch over a union: a case nobody handles is a compile error here, and a value from outside the
// types (an old row, a hand-written definition) fails loudly at run time instead of taking a silent default.

/** Unreachable when every member of the union is handled; `what` names the union in the error. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}
