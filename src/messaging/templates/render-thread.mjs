// Render thread bootstrap: registers the TypeScript loader (tsx) in this thread (a worker thread does not inherit the
// one `bin/retain.mjs` registers), then starts the render thread.
import { register } from 'tsx/esm/api';

register();
await import('./render-thread.ts');
