// Time, the pure part of its public surface: what pure modules elsewhere (and so the dashboard's bundle)
// import from src/time/. Only pure modules here: no node: builtin, database or server (checked by npm run depcheck).
export { iso, isoOrNull } from './instants.ts';
