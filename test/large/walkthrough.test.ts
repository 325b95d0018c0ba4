/** The one-command tour, as a user runs it on a fresh data directory. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { stockChecks } from '../support/stock-tools.ts';

const root = mkdtempSync(path.join(tmpdir(), 'writ-walkthrough-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('writ demo walkthrough submits, approves, produces and downloads a package that stock tools verify', () => {
  const out = path.join(root, 'package');
  const run = spawnSync(process.execPath, ['bin/writ.js', 'demo', 'walkthrough', '--out', out], {
    env: { ...process.env, WRIT_DATA_DIR: path.join(root, 'data'), DATABASE_URL: '' },
    encoding: 'utf8',
    timeout: 180_000,
  });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/receipt: WR-\d{4}-\d{6}, state received/);
  expect(run.stdout).toContain('is now in_review');
  expect(run.stdout).toMatch(/subscriber: produced, 1 record/);
  expect(run.stdout).toContain('writ verify: OK');
  const [folder] = readdirSync(out);
  const bag = path.join(out, folder!);
  expect(stockChecks(bag)).toEqual({ manifest: 0, tags: 0, signature: 0 });
  // Run twice into a non-empty folder: refused, nothing overwritten.
  const again = spawnSync(process.execPath, ['bin/writ.js', 'demo', 'walkthrough', '--out', out], {
    env: { ...process.env, WRIT_DATA_DIR: path.join(root, 'data'), DATABASE_URL: '' },
    encoding: 'utf8',
  });
  expect(again.status).toBe(2);
}, 240_000);
