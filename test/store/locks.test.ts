// Advisory locks: every lock class has its own number, so two kinds of lock never wait on each other by accident.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LOCKS, MIGRATIONS_LOCK } from '../../src/store/locks.ts';

describe('advisory lock ids', () => {
  it('no two lock classes share a number, nor the migrations lock', () => {
    const ids = [...Object.values(LOCKS), MIGRATIONS_LOCK];
    assert.equal(new Set(ids).size, ids.length, `lock ids: ${ids.join(', ')}`);
  });
});
