// The end of every switch over a union: a kind nobody handles is a compile error here, and a value from outside the
// types (a row written by a newer version, a hand-edited definition) a clear error at run time, never a silent default.

/** Refuses a value the switch's cases should have exhausted; `what` names the union in the error. */
export function assertNever(x: never, what: string): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(x)}`);
}
