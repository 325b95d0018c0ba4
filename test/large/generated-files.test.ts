/** Committed generated files must match what the code generates: CI fails when they are stale. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configurationMarkdown } from '../../src/config/config.ts';
import { buildApp } from '../../src/server/app.ts';
import { openTestContext } from '../support/databases.ts';

describe('generated files', () => {
  it('openapi.json is the document the server serves (regenerate: npm run openapi)', async () => {
    const { context, dispose } = await openTestContext('pglite');
    try {
      const app = await buildApp(context);
      await app.ready();
      const served = `${JSON.stringify(app.swagger(), null, 2)}\n`;
      await app.close();
      expect(readFileSync('openapi.json', 'utf8')).toBe(served);
    } finally {
      await dispose();
    }
  });

  it('the web app’s typed API client is generated from openapi.json (regenerate: npm run openapi)', () => {
    const generated = spawnSync(process.execPath, ['node_modules/openapi-typescript/bin/cli.js', 'openapi.json'], { encoding: 'utf8' });
    expect(generated.status, generated.stderr).toBe(0);
    expect(readFileSync('web/src/api/schema.d.ts', 'utf8')).toBe(generated.stdout);
  });

  it('docs/configuration.md is generated from the config schema (regenerate: npm run docs:config)', () => {
    expect(readFileSync('docs/configuration.md', 'utf8')).toBe(configurationMarkdown());
  });
});
