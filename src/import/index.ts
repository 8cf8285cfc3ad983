// Import: the public surface of src/import/, what other capabilities import from it (see docs/architecture.md, Layers).
export { runImportCommand } from './command.ts';
export { csvRows } from './csv.ts';
