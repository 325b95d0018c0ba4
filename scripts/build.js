// Compiles src/ to dist/ (so `writ` starts without compiling TypeScript at run time), builds the web app into
// web/dist (which `writ serve` serves under /), and stamps the build.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
cpSync('src/db/migrations', 'dist/db/migrations', { recursive: true });

let vite;
try {
  vite = await import('vite');
} catch {
  // An install without development dependencies has no bundler: the API works, and says the app is not built.
  console.warn('writ build: vite is not installed, so the web app was not built (npm ci installs it).');
}
if (vite) {
  const started = performance.now();
  await vite.build({ configFile: 'web/vite.config.ts', logLevel: 'warn' });
  console.log(`writ build: web app built into web/dist in ${Math.round(performance.now() - started)} ms`);
}
writeFileSync('dist/.built', new Date().toISOString());
