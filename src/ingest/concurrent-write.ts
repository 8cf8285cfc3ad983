// What a concurrent transaction did under a batch's feet (SQL state 40001, which Db.transaction retries): the batch
// starts over on a fresh read. Each case says what happened; resolve.ts catches its own IdentityRace to plan again.

export class ConcurrentWrite extends Error {
  readonly code = '40001';
  constructor(what: string) {
    super(`${what}; retrying the batch`);
  }
}
