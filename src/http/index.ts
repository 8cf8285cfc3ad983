// Http: the public surface of src/http/, what other capabilities import from it (see docs/architecture.md, Layers).
export { type App, buildApp, DEFAULT_WEB_DIR } from './app.ts';
export { redactingDestination } from './log-redaction.ts';
export { forgetEndedWindows } from './rate-limit.ts';
