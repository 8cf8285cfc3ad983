// Channels, the pure part of its public surface: what pure modules elsewhere (and so the dashboard's bundle)
// import from src/channels/. Only pure modules here: no node: builtin, database or server (checked by npm run depcheck).
export { CHANNELS } from './types.ts';
