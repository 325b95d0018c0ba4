/**
 * The review engine's guards (plain JavaScript pre-checks of a rule's simplest clauses, `compile.ts`) only spare CEL
 * work: for every law scenario and for random requests of every jurisdiction, kind, instrument and stated fact, the
 * guarded review gives exactly the findings, verdicts and clocks of the unguarded one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileRules, guardOf, sureOf } from '../../src/core/review/compile.ts';
import { review, type ReviewRequest } from '../../src/core/review/engine.ts';
import type { Facts } from '../../src/core/review/facts.ts';
import type { Policy } from '../../src/core/review/rule-pack.ts';
import { INSTRUMENT_FORM_IDS, ISSUER_ROLE_IDS, OFFENCE_LIST_IDS } from '../../src/core/review/vocabulary.ts';
import { loadPolicy, loadRulePacks } from '../../src/rules/rule-files.ts';

const root = path.resolve(import.meta.dirname, '../..');
const packs = loadRulePacks(path.join(root, 'rules'));
const shipped = loadPolicy(path.join(root, 'policy.yaml'));
const lawOnly: Policy = { ...shipped, holds: {}, never_produces: [], rules: [] };
const NOW = new Date('2026-11-20T12:00:00Z');
const DAY = 86_400_000;

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value);
function merge(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === null) delete out[key];
    else out[key] = isPlain(value) && isPlain(out[key]) ? merge(out[key] as Plain, value) : value;
  }
  return out;
}

function sameEitherWay(request: ReviewRequest, policy: Policy, now: Date, duplicates?: ReadonlyMap<string, readonly string[]>) {
  const context = { packs, policy, now, ...(duplicates ? { duplicates } : {}) };
  expect(review(request, context)).toEqual(review(request, context, { unguarded: true }));
}

describe('guarded review equals unguarded review', () => {
  it('for every law scenario, under the law alone and under the shipped policy', () => {
    const folder = path.join(root, 'test/scenarios');
    let reviewed = 0;
    for (const pack of readdirSync(folder).sort()) {
      if (!statSync(path.join(folder, pack)).isDirectory()) continue;
      for (const name of readdirSync(path.join(folder, pack)).filter((file) => file.endsWith('.yaml'))) {
        const file = parse(readFileSync(path.join(folder, pack, name), 'utf8')) as {
          defaults?: Plain;
          scenarios: Array<{
            at: string;
            request: Plain;
            platform?: { home?: string[]; options?: string[] };
            duplicates?: Record<string, string[]>;
          }>;
        };
        for (const scenario of file.scenarios) {
          const at = Date.parse(scenario.at);
          const base: Plain = {
            kind: 'disclosure',
            caseReference: 'CASE-2026-0001',
            summary: 'The facts of the case as the process states them.',
            legalProcess: { instrumentType: 'other', issuingAuthority: 'The issuing authority', documents: 1 },
            categories: ['subscriber'],
            targets: [{ kind: 'username', value: 'target.one' }],
            dateRange: { from: new Date(at - 20 * DAY).toISOString(), to: new Date(at - DAY).toISOString() },
            offence: { description: 'The offence as the process names it' },
            nonDisclosure: { ordered: false },
            receivedAt: scenario.at,
          };
          const request = merge(merge(base, file.defaults ?? {}), scenario.request) as unknown as ReviewRequest;
          const platform = { home: scenario.platform?.home ?? shipped.home, options: scenario.platform?.options ?? [] };
          const duplicates = scenario.duplicates ? new Map(Object.entries(scenario.duplicates)) : undefined;
          sameEitherWay(request, { ...lawOnly, ...platform }, new Date(at), duplicates);
          sameEitherWay(request, { ...shipped, ...platform }, new Date(at), duplicates);
          reviewed += 1;
        }
      }
    }
    expect(reviewed).toBeGreaterThanOrEqual(282);
  });

  it('for random requests of every jurisdiction, kind, instrument and stated fact', () => {
    const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
    const request = fc.record({
      kind: fc.constantFrom('disclosure', 'preservation', 'emergency', 'removal', 'prospective'),
      jurisdiction: fc.constantFrom('KR', 'US', 'DE', 'FR', 'GB', 'IN', 'COE', 'JP', 'IE', 'EU', 'BR', 'NL'),
      instrumentType: fc.constantFrom(
        'letter',
        'subpoena',
        'court_order',
        'search_warrant',
        'interception_order',
        'production_order',
        'other',
      ),
      issuerType: fc.constantFrom('court', 'prosecutor', 'police', null),
      categories: fc.subarray(['subscriber', 'traffic', 'content', 'location', 'device', 'payment'] as const, { minLength: 1 }),
      targets: fc.integer({ min: 1, max: 4 }),
      penalty: maybe(fc.constantFrom(1, 2, 3, 5, 10)),
      gag: fc.boolean(),
      received: fc.integer({ min: 0, max: 200 }),
      home: fc.constantFrom(['KR'], ['US'], ['DE'], ['FR'], ['IE'], ['GB']),
      instrument: maybe(
        fc.record({
          form: maybe(fc.constantFrom(...INSTRUMENT_FORM_IDS)),
          issuerRole: maybe(fc.constantFrom(...ISSUER_ROLE_IDS)),
          validatedBy: maybe(fc.constantFrom(...ISSUER_ROLE_IDS)),
          periodDays: maybe(fc.integer({ min: 1, max: 400 })),
          urgent: maybe(fc.boolean()),
        }),
      ),
      offence: maybe(
        fc.record({
          lists: maybe(fc.subarray([...OFFENCE_LIST_IDS], { maxLength: 3 })),
          committedOnline: maybe(fc.boolean()),
          soleAimIdentify: maybe(fc.boolean()),
          missingPerson: maybe(fc.boolean()),
          victimRequest: maybe(fc.boolean()),
        }),
      ),
      emergency: maybe(fc.record({ threatToLife: maybe(fc.boolean()), realTime: maybe(fc.boolean()), isEmergency: maybe(fc.boolean()) })),
      target: maybe(
        fc.record({
          role: maybe(fc.constantFrom('suspect', 'victim', 'witness', 'other')),
          location: maybe(fc.constantFrom('KR', 'US', 'DE', 'FR', 'GB')),
          usPerson: maybe(fc.boolean()),
          accountState: maybe(fc.constantFrom('active', 'suspended', 'deleted', 'not_found')),
          protected: maybe(fc.subarray(['journalist', 'lawyer', 'minor'] as const)),
        }),
      ),
    });
    fc.assert(
      fc.property(request, (drawn) => {
        const strip = <T extends object>(value: T) => JSON.parse(JSON.stringify(value)) as T;
        const built: ReviewRequest = {
          kind: drawn.kind,
          jurisdiction: drawn.jurisdiction,
          caseReference: 'C-1',
          summary: 'Investment fraud.',
          legalProcess: { instrumentType: drawn.instrumentType, issuerType: drawn.issuerType, issuingAuthority: 'Court', documents: 1 },
          categories: drawn.categories,
          targets: Array.from({ length: drawn.targets }, (_, index) => ({ kind: 'user_id' as const, value: `u${index}` })),
          dateRange: { from: new Date(NOW.getTime() - 30 * DAY).toISOString(), to: NOW.toISOString() },
          offence: { description: 'x', ...(drawn.penalty ? { maximumPenaltyYears: drawn.penalty } : {}) },
          nonDisclosure: { ordered: drawn.gag },
          emergency: drawn.kind === 'emergency' ? { dangerDescription: 'risk to life' } : null,
          receivedAt: new Date(NOW.getTime() - drawn.received * 3_600_000).toISOString(),
          facts: strip({
            ...(drawn.instrument ? { instrument: drawn.instrument } : {}),
            ...(drawn.offence ? { offence: drawn.offence } : {}),
            ...(drawn.emergency ? { emergency: drawn.emergency } : {}),
            ...(drawn.target ? { targets: [{ index: 0, ...drawn.target }] } : {}),
          }),
        };
        sameEitherWay(built, { ...shipped, home: [...drawn.home] }, NOW);
        sameEitherWay(built, { ...lawOnly, home: [...drawn.home] }, NOW);
      }),
      { numRuns: 400, seed: 20261208 },
    );
  });
});

describe('guardOf', () => {
  const facts = {
    request: { kind: 'disclosure', realTime: false, missing: ['caseReference'] },
    instrument: { form: 'kr_warrant', issuer: null },
    category: 'traffic',
  } as unknown as Facts;

  it('is false only where the clause cannot hold', () => {
    expect(guardOf("request.kind == 'disclosure'")?.(facts)).toBe(true);
    expect(guardOf("request.kind == 'emergency'")?.(facts)).toBe(false);
    expect(guardOf("request.kind != 'disclosure'")?.(facts)).toBe(false);
    expect(guardOf("category in ['traffic', 'content']")?.(facts)).toBe(true);
    expect(guardOf("category in ['subscriber']")?.(facts)).toBe(false);
    expect(guardOf("!(category in ['traffic'])")?.(facts)).toBe(false);
    expect(guardOf('request.realTime')?.(facts)).toBe(false);
    expect(guardOf('!request.realTime')?.(facts)).toBe(true);
    expect(guardOf("'caseReference' in request.missing")?.(facts)).toBe(true);
    expect(guardOf("!('caseReference' in request.missing)")?.(facts)).toBe(false);
    // A value of another type (here null) leaves the decision to CEL for `!=` and `not in`.
    expect(guardOf("!(instrument.issuer in ['court'])")?.(facts)).toBe(true);
    expect(guardOf("instrument.issuer != 'court'")?.(facts)).toBe(true);
  });

  it('says a clause surely holds only when its facts have their schema types', () => {
    expect(sureOf("request.kind == 'disclosure'")?.(facts)).toBe(true);
    expect(sureOf("request.kind != 'disclosure'")?.(facts)).toBe(false);
    expect(sureOf('!request.realTime')?.(facts)).toBe(true);
    expect(sureOf("category in ['traffic']")?.(facts)).toBe(true);
    expect(sureOf("'caseReference' in request.missing")?.(facts)).toBe(true);
    expect(sureOf("!('caseReference' in request.missing)")?.(facts)).toBe(false);
    // null is not a string: CEL decides.
    expect(sureOf("instrument.issuer != 'court'")?.(facts)).toBe(false);
    expect(sureOf("!(instrument.issuer in ['court'])")?.(facts)).toBe(false);
    expect(sureOf('!instrument.missingFlag')?.(facts)).toBe(false);
  });

  it('makes no guard for anything but the simplest forms', () => {
    for (const source of [
      "category == 'a' || category == 'b'",
      'true',
      "platform.home.exists(home, home == 'KR')",
      "request.kind == 'a\\'b'",
    ])
      expect(guardOf(source)).toBeUndefined();
  });

  it('guards most rules of the shipped packs', () => {
    const rules = [...packs, shipped].flatMap((pack) => compileRules(pack.rules));
    const guarded = rules.filter((rule) => rule.requestGuard || rule.cellGuard).length;
    expect(guarded / rules.length).toBeGreaterThan(0.5);
  });
});
