/**
 * The law scenarios (test/scenarios/<pack>/*.yaml), written from statute text and case law apart from the packs they
 * check, run against the core `review` function: every target × category of every scenario must get the expected
 * outcome with the expected deciding citation (a source id, or a piece of its pinpoint citation). Prints how many are
 * right per jurisdiction and per category, and fails on any miss. Also a coverage check: every rule of every pack (and
 * of the policy) fires in at least one scenario.
 *
 * A scenario file: `defaults` (merged into every scenario's request), `platform` (unless a scenario states its own) and
 * `scenarios`, each with `name`, `cites` (the
 * article or case it tests), `at` (the instant of the review), optionally `platform` (`home`, `options`, and
 * `policy: shipped` to apply the shipped policy's own rules), `request` (the engine's `ReviewRequest`, stated facts in
 * `request.facts`; unstated fields take the defaults below) and `expect`: `{ target?, category, outcome, cite, channel? }`
 * (no `target`: every target). Every cell of the scenario must be covered by an expectation.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { review, type ReviewRequest, type Verdict } from '../../src/core/review/engine.ts';
import { factsInputSchema } from '../../src/core/review/facts.ts';
import { OUTCOMES, type Policy } from '../../src/core/review/rule-pack.ts';
import { DATA_CATEGORIES } from '../../src/core/request.ts';
import { loadPolicy, loadRulePacks } from '../../src/rules/rule-files.ts';

const root = path.resolve(import.meta.dirname, '../..');
const packs = loadRulePacks(path.join(root, 'rules'));
const shipped = loadPolicy(path.join(root, 'policy.yaml'));
const scenarioRoot = path.join(root, 'test/scenarios');

interface Expectation {
  readonly target?: number | string;
  readonly category: string;
  readonly outcome: string;
  readonly cite: string;
  readonly channel?: string;
}
interface Scenario {
  readonly name: string;
  readonly cites: string;
  readonly at: string;
  readonly platform?: { readonly home?: string[]; readonly options?: string[]; readonly policy?: 'shipped' | 'law' };
  readonly request: Record<string, unknown>;
  /** Other open requests naming the same targets: target value → their tracking numbers. */
  readonly duplicates?: Record<string, string[]>;
  readonly expect: readonly Expectation[];
}
interface ScenarioFile {
  readonly defaults?: Record<string, unknown>;
  readonly platform?: Scenario['platform'];
  readonly scenarios: readonly Scenario[];
}

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value);
function merge(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(over)) {
    // null removes what the defaults would give: the request does not state it at all.
    if (value === null) delete out[key];
    else out[key] = isPlain(value) && isPlain(out[key]) ? merge(out[key] as Plain, value) : value;
  }
  return out;
}

const DAY = 86_400_000;
/** What a scenario does not state: a complete, unremarkable request received at the review's instant. */
function baseRequest(at: string): Plain {
  const now = Date.parse(at);
  return {
    kind: 'disclosure',
    caseReference: 'CASE-2026-0001',
    summary: 'The facts of the case as the process states them.',
    legalProcess: { instrumentType: 'other', issuingAuthority: 'The issuing authority', documents: 1 },
    categories: ['subscriber'],
    targets: [{ kind: 'username', value: 'target.one' }],
    dateRange: { from: new Date(now - 20 * DAY).toISOString(), to: new Date(now - DAY).toISOString() },
    offence: { description: 'The offence as the process names it' },
    nonDisclosure: { ordered: false },
    receivedAt: at,
  };
}

/** Law scenarios review under the law alone: the shipped policy's sources and "no basis" verdict, none of its rules. */
function policyFor(scenario: Scenario): Policy {
  const home = scenario.platform?.home ?? shipped.home;
  const options = scenario.platform?.options ?? [];
  if (scenario.platform?.policy === 'shipped') return { ...shipped, home, options };
  return { ...shipped, home, options, holds: {}, never_produces: [], rules: [] };
}

function loadScenarios(): Array<{ file: string; pack: string; scenario: Scenario; defaults: Plain }> {
  const found: Array<{ file: string; pack: string; scenario: Scenario; defaults: Plain }> = [];
  for (const pack of readdirSync(scenarioRoot).sort()) {
    const folder = path.join(scenarioRoot, pack);
    if (!statSync(folder).isDirectory()) continue;
    for (const name of readdirSync(folder)
      .filter((file) => file.endsWith('.yaml'))
      .sort()) {
      const file = path.join(folder, name);
      const parsed = parse(readFileSync(file, 'utf8')) as ScenarioFile;
      for (const scenario of parsed.scenarios)
        found.push({
          file: `${pack}/${name}`,
          pack,
          scenario: scenario.platform || !parsed.platform ? scenario : { ...scenario, platform: parsed.platform },
          defaults: parsed.defaults ?? {},
        });
    }
  }
  return found;
}

const cited = (verdict: Verdict, cite: string) =>
  verdict.basis.some(
    (reason) =>
      reason.source.id === cite ||
      `${reason.pack}:${reason.source.id}` === cite ||
      reason.ruleId === cite ||
      reason.source.cite.includes(cite),
  );

const all = loadScenarios();
const fired = new Set<string>();
const tally = new Map<string, { right: number; total: number }>();
const count = (key: string, right: boolean) => {
  const entry = tally.get(key) ?? { right: 0, total: 0 };
  entry.total += 1;
  if (right) entry.right += 1;
  tally.set(key, entry);
};

function run(entry: (typeof all)[number]): string[] {
  const { scenario, defaults } = entry;
  const merged = merge(merge(baseRequest(scenario.at), defaults), scenario.request);
  // The stated facts go through their schema as the API's would (defaults filled, unknown fields refused).
  const request = { ...merged, ...(merged.facts ? { facts: factsInputSchema.parse(merged.facts) } : {}) } as unknown as ReviewRequest;
  const result = review(request, {
    packs,
    policy: policyFor(scenario),
    now: new Date(scenario.at),
    ...(scenario.duplicates ? { duplicates: new Map(Object.entries(scenario.duplicates)) } : {}),
  });
  for (const finding of result.findings) fired.add(`${finding.pack}:${finding.ruleId}`);
  for (const verdict of result.verdicts)
    for (const reason of [...verdict.basis, ...verdict.overruled]) fired.add(`${reason.pack}:${reason.ruleId}`);

  const misses: string[] = [];
  const covered = new Set<string>();
  for (const expectation of scenario.expect) {
    if (!(OUTCOMES as readonly string[]).includes(expectation.outcome)) misses.push(`unknown outcome ${expectation.outcome}`);
    if (!(DATA_CATEGORIES as readonly string[]).includes(expectation.category)) misses.push(`unknown category ${expectation.category}`);
    const cells = result.verdicts.filter(
      (verdict) =>
        verdict.category === expectation.category &&
        (expectation.target === undefined || verdict.targetIndex === expectation.target || verdict.target === expectation.target),
    );
    if (cells.length === 0) misses.push(`no cell for ${String(expectation.target ?? '*')} × ${expectation.category}`);
    for (const verdict of cells) {
      covered.add(`${verdict.targetIndex}|${verdict.category}`);
      const right =
        verdict.outcome === expectation.outcome &&
        cited(verdict, expectation.cite) &&
        (expectation.channel === undefined || verdict.channel === expectation.channel);
      count(`jurisdiction ${entry.pack}`, right);
      count(`category ${verdict.category}`, right);
      if (!right)
        misses.push(
          `${verdict.target} × ${verdict.category}: expected ${expectation.outcome}${expectation.channel ? `(${expectation.channel})` : ''} citing ${expectation.cite}, got ${verdict.outcome}${verdict.channel ? `(${verdict.channel})` : ''} citing ${verdict.basis.map((reason) => `${reason.ruleId}@${reason.source.id}`).join(', ')}`,
        );
    }
  }
  for (const verdict of result.verdicts)
    if (!covered.has(`${verdict.targetIndex}|${verdict.category}`)) misses.push(`${verdict.target} × ${verdict.category}: no expectation`);
  return misses;
}

describe('law scenarios', () => {
  it('there are at least 200, each naming what it tests', () => {
    expect(all.length).toBeGreaterThanOrEqual(200);
    for (const { scenario, file } of all) {
      expect(scenario.cites, `${file}: ${scenario.name}`).toMatch(/\S/);
      expect(scenario.expect.length, `${file}: ${scenario.name}`).toBeGreaterThan(0);
    }
    const names = all.map(({ file, scenario }) => `${file}: ${scenario.name}`);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(all.map((entry) => ({ ...entry, title: `${entry.file}: ${entry.scenario.name}` })))('$title', (entry) => {
    expect(run(entry)).toEqual([]);
  });

  it('every rule of every pack and of the policy fires in some scenario', () => {
    const report = [...tally.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, { right, total }]) => `${key}: ${right}/${total}`);
    console.log(`law scenarios, right cells:\n  ${report.join('\n  ')}`);
    const uncovered = [...packs, shipped].flatMap((pack) =>
      pack.rules.map((rule) => `${pack.pack}:${rule.id}`).filter((id) => !fired.has(id)),
    );
    expect(uncovered).toEqual([]);
  });
});
