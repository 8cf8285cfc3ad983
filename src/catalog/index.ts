// Catalog: the public surface of src/catalog/, what other capabilities import from it (see docs/architecture.md, Layers).
export { eventNames, eventPropertyKeys, traitKeys } from './store.ts';
