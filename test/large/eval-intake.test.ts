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

/**
 * Floors per set, a little under what each set reaches now (docs/intake.md has the figures): all fields together, and
 * the targets of all kinds on their own. The held-out notices are unseen by design: their figure is what to expect
 * of a new layout, and lower.
 */
type Floor = { precision: number; recall: number; targetPrecision: number; targetRecall: number };
const FLOORS: ReadonlyArray<readonly [string, Floor]> = [
  ['development set GT', { precision: 0.97, recall: 0.95, targetPrecision: 0.98, targetRecall: 0.98 }],
  ['development set DV', { precision: 0.89, recall: 0.6, targetPrecision: 0.95, targetRecall: 0.95 }],
  ['own set', { precision: 0.97, recall: 0.83, targetPrecision: 0.98, targetRecall: 0.95 }],
  // HO22–HO26 since 2026-12-08: targets 100% precise, 60% recall; all fields 95.2% / 58.4%.
  ['held-out', { precision: 0.93, recall: 0.55, targetPrecision: 0.95, targetRecall: 0.55 }],
];

it('scores extraction field by field on every set it finds', () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'writ-eval-')), 'scores.json');
  const printed = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/eval-intake.ts', '--json', out], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(printed).toMatch(/all fields \(micro\)/);
  expect(printed).toMatch(/targets \(all kinds\)/);
  expect(printed).toMatch(/right per notice: kind \d+\/\d+, requesting_agency/);
  const report = JSON.parse(readFileSync(out, 'utf8')) as Record<
    string,
    { documents: number; overall: { precision: number; recall: number }; targets: { precision: number; recall: number } }
  >;
  const sets = Object.entries(report);
  expect(sets.map(([name]) => name)).toEqual(
    expect.arrayContaining([expect.stringMatching(/^own set/), expect.stringMatching(/^held-out set/)]),
  );
  for (const [name, set] of sets) {
    expect(set.documents, name).toBeGreaterThan(0);
    const floor = FLOORS.find(([prefix]) => name.startsWith(prefix))?.[1];
    expect(floor, name).toBeDefined();
    expect(set.overall.precision, name).toBeGreaterThan(floor!.precision);
    expect(set.overall.recall, name).toBeGreaterThan(floor!.recall);
    expect(set.targets.precision, `${name}: targets`).toBeGreaterThan(floor!.targetPrecision);
    expect(set.targets.recall, `${name}: targets`).toBeGreaterThan(floor!.targetRecall);
  }
}, 120_000);
