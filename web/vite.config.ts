// Vite build configuration for the Retain web dashboard (output served by the API server from dist/web).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const webDir = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: webDir,
  base: '/',
  plugins: [react()],
  build: {
    outDir: path.resolve(webDir, '../dist/web'),
    emptyOutDir: true,
  },
  server: {
    // Only used by `vite dev`: forward API calls to a locally running Retain server.
    proxy: {
      '/api': process.env.RETAIN_DEV_API_URL ?? 'http://localhost:3000',
    },
  },
});
