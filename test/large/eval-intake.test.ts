/**
 * `npm run eval:intake` runs, finds the shared development set beside the checkout and Writ's own sets, and prints
 * its scores; extraction stays above a floor on each (a regression in a field shows up here before anywhere else).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

it('scores extraction field by field on every set it finds', () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'writ-eval-')), 'scores.json');
  const printed = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/eval-intake.ts', '--json', out], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(printed).toMatch(/all fields \(micro\)/);
  const report = JSON.parse(readFileSync(out, 'utf8')) as Record<
    string,
    { documents: number; overall: { precision: number; recall: number } }
  >;
  const sets = Object.entries(report);
  expect(sets.map(([name]) => name)).toEqual(
    expect.arrayContaining([expect.stringMatching(/^own set/), expect.stringMatching(/^held-out set/)]),
  );
  for (const [name, set] of sets) {
    expect(set.documents, name).toBeGreaterThan(0);
    expect(set.overall.precision, name).toBeGreaterThan(0.9);
    // The held-out notices are unseen by design: their recall is what to expect of a new layout, and lower.
    expect(set.overall.recall, name).toBeGreaterThan(name.startsWith('held-out') ? 0.6 : 0.9);
  }
}, 120_000);
