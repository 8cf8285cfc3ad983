// Server: the public surface of src/server/, what other capabilities import from it (see docs/architecture.md, Layers).
export { openAndMigrate, startRetain } from './start.ts';
export { startWorker } from './worker.ts';
