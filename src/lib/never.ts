// Exhaustiveness (pure): the last line of every switch over a union, so a new member nobody handles is a compile error.

/** Called where every member of a union has been handled: `x` is then `never`, and reaching it at run time is a bug. */
export function assertNever(x: never, what: string): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(x)}`);
}
