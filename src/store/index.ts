// Store: the public surface of src/store/, what other capabilities import from it (see docs/architecture.md, Layers).
export { type AdminReadLimits, adminReads, AdminReadsBusy, AdminReadTimeout } from './admin-reads.ts';
export { type BulkRow, bulkRows, type BulkType } from './bulk.ts';
export { type Db, openDb, type Queryable, joinedTo } from './db.ts';
export { maintainTables } from './maintenance.ts';
export { migrate, pendingMigrations } from './migrate.ts';
export { oncePerTransaction } from './tx-memo.ts';
export { lock, lockInKeyOrder, lockOrderIds, tryLock } from './locks.ts';
