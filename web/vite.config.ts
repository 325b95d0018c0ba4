// The web app's build: React, one entry, code split per area, into web/dist, which the Writ server serves under `/`.
// In development (`npx vite web`), the API is proxied to a running `writ serve` (WRIT_API, default localhost:8080).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Modern browsers only: the officer and desk use current Chromium, Firefox and Safari.
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 700,
    reportCompressedSize: false,
  },
  server: {
    port: 18600,
    proxy: { '/api': process.env.WRIT_API ?? 'http://localhost:8080', '/.well-known': process.env.WRIT_API ?? 'http://localhost:8080' },
  },
});
