/**
 * Verdicts per target × category against the shipped packs: each names the basis that decides it with its citation,
 * the strictest outcome wins, a cell no rule gives a basis for is `needs_info`, time turns into verdicts (an emergency
 * at hour 3 and at hour 40), exceptions and alternatives hold, and free text never fires a rule by a negated mention.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRule } from '../../src/core/review/compile.ts';
import { review, type ReviewRequest, type Verdict } from '../../src/core/review/engine.ts';
import { factsJsonSchema, type FactsInput } from '../../src/core/review/facts.ts';
import type { Policy } from '../../src/core/review/rule-pack.ts';
import { mentions, SIGNAL_PATTERNS } from '../../src/core/review/text-signals.ts';
import { loadPolicy, loadRulePacks } from '../../src/rules/rule-files.ts';

const root = path.resolve(import.meta.dirname, '../..');
const packs = loadRulePacks(path.join(root, 'rules'));
const krPolicy = loadPolicy(path.join(root, 'policy.yaml'));
const usPolicy: Policy = { ...krPolicy, home: ['US'], rules: [] };
const NOW = new Date('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR).toISOString();

function request(overrides: Partial<ReviewRequest> = {}): ReviewRequest {
  return {
    kind: 'disclosure',
    jurisdiction: 'KR',
    caseReference: '2026-형제-1234',
    summary: 'Investment fraud: the account collected payments from victims.',
    legalProcess: { instrumentType: 'search_warrant', issuerType: 'court', issuingAuthority: 'Seoul Central District Court', documents: 1 },
    categories: ['subscriber'],
    targets: [{ kind: 'username', value: 'minjun.kim' }],
    dateRange: { from: ago(20 * 24), to: ago(24) },
    offence: { description: 'Fraud (Criminal Act Art. 347)', maximumPenaltyYears: 10 },
    nonDisclosure: { ordered: false },
    receivedAt: NOW.toISOString(),
    ...overrides,
  };
}
const verdicts = (req: ReviewRequest, options: { policy?: Policy; at?: Date } = {}) =>
  review(req, { packs, policy: options.policy ?? krPolicy, now: options.at ?? NOW }).verdicts;
const cell = (list: readonly Verdict[], target: string, category: string) =>
  list.find((verdict) => verdict.target === target && verdict.category === category);
const decidedBy = (verdict: Verdict | undefined) => verdict?.basis.map((reason) => `${reason.outcome}@${reason.source.id}`) ?? [];

describe('verdicts', () => {
  it('allows a Korean warrant for stored content, citing the article in Korean first', () => {
    const [verdict] = verdicts(request({ categories: ['content'] }));
    expect(verdict?.outcome).toBe('allow');
    expect(decidedBy(verdict)).toContain('allow@cpa-215');
    expect(verdict?.basis[0]?.source.cite).toMatch(/^형사소송법 제215조 제1항, 제106조 제3항/u);
  });

  it('never allows by default: a cell no rule gives a basis for needs information', () => {
    // A jurisdiction no pack covers, asking a platform at home there: nothing gives a basis.
    const [verdict] = verdicts(request({ jurisdiction: 'BR', categories: ['subscriber'] }), {
      policy: { ...krPolicy, home: ['BR'], rules: [] },
    });
    expect(verdict?.outcome).toBe('needs_info');
    expect(decidedBy(verdict)).toContain('needs_info@policy-1');
  });

  it('blocks what an instrument cannot reach and says why, per category', () => {
    const list = verdicts(
      request({ categories: ['subscriber', 'content'], legalProcess: { ...request().legalProcess, instrumentType: 'interception_order' } }),
    );
    expect(cell(list, 'minjun.kim', 'subscriber')?.outcome).toBe('allow');
    expect(cell(list, 'minjun.kim', 'content')?.outcome).toBe('block');
    expect(decidedBy(cell(list, 'minjun.kim', 'content'))).toContain('block@sc-2016do8137');
    expect(cell(list, 'minjun.kim', 'content')?.basis[0]?.source.case).toMatchObject({ number: '2016도8137', date: '2016-10-13' });
  });

  it('turns elapsed time into a verdict: a Korean emergency measure at hour 3 and at hour 40', () => {
    // PCSA Art. 8: an emergency interception may start first; without a court permit within 36 hours it must stop.
    // (An urgent request for communication confirmation data under Art. 13 owes its permission "without delay", with
    // no number of hours, so the clock is tested on the interception.)
    const emergency = (hoursAgo: number, history?: FactsInput['history']) =>
      request({
        kind: 'prospective',
        categories: ['content'],
        legalProcess: { ...request().legalProcess, instrumentType: 'emergency_request', issuerType: 'prosecutor' },
        emergency: { dangerDescription: '납치된 아동의 생명이 위험합니다.' },
        receivedAt: ago(hoursAgo),
        facts: {
          instrument: { form: 'kr_emergency_interception' },
          emergency: { isEmergency: true },
          offence: { lists: ['kr_pcsa_art5_1'] },
          ...(history ? { history } : {}),
        },
      });
    expect(verdicts(emergency(3))[0]?.outcome).toBe('allow');
    const late = verdicts(emergency(40))[0];
    expect(late?.outcome).toBe('block');
    expect(decidedBy(late)).toContain('block@pcsa-8');
    expect(verdicts(emergency(40, { permitServedAt: ago(10) }))[0]?.outcome).not.toBe('block');
    // The clock runs from when the measure began, which may be before the request reached the platform.
    expect(verdicts(emergency(3, { emergencyStartedAt: ago(50) }))[0]?.outcome).toBe('block');
  });

  it('reviews per target: a warrant naming one account does not reach the two others', () => {
    const list = verdicts(
      request({
        categories: ['content'],
        targets: [
          { kind: 'username', value: 'a' },
          { kind: 'username', value: 'b' },
          { kind: 'username', value: 'c' },
        ],
        facts: {
          targets: [
            { value: 'a', named: true, role: 'suspect' },
            { value: 'b', named: false },
            { index: 2, named: false },
          ],
        },
      }),
    );
    expect(list.map((verdict) => `${verdict.target}:${verdict.outcome}`)).toEqual(['a:allow', 'b:block', 'c:block']);
    expect(decidedBy(cell(list, 'b', 'content'))).toContain('block@particularity');
  });

  it('takes the strictest outcome: counsel holds a lawful request about speech', () => {
    const [verdict] = verdicts(request({ summary: 'The user spread a false rumour about the President.' }));
    expect(verdict?.outcome).toBe('hold_for_counsel');
    expect(verdict?.overruled.map((reason) => reason.outcome)).toContain('allow');
  });

  it('routes elsewhere and names the channel', () => {
    const [verdict] = verdicts(request({ jurisdiction: 'KR', categories: ['content'] }), { policy: usPolicy });
    expect(verdict).toMatchObject({ outcome: 'route_elsewhere', channel: 'mlat' });
  });

  it('routes a UK order for a US person through mutual assistance, and lets the agreement serve the others', () => {
    const list = verdicts(
      request({
        jurisdiction: 'GB',
        categories: ['subscriber'],
        legalProcess: { ...request().legalProcess, instrumentType: 'court_order' },
        targets: [
          { kind: 'username', value: 'us-person' },
          { kind: 'username', value: 'uk-person' },
        ],
        facts: {
          targets: [
            { value: 'us-person', usPerson: true },
            { value: 'uk-person', usPerson: false, location: 'GB' },
          ],
        },
      }),
      { policy: usPolicy },
    );
    expect(cell(list, 'us-person', 'subscriber')).toMatchObject({ outcome: 'route_elsewhere', channel: 'mlat' });
    expect(cell(list, 'uk-person', 'subscriber')?.outcome).toBe('allow');
  });

  describe('exceptions and alternatives', () => {
    const french = (penalty: number, offence: FactsInput['offence'] = {}) =>
      verdicts(
        request({
          jurisdiction: 'FR',
          categories: ['traffic'],
          legalProcess: { ...request().legalProcess, instrumentType: 'letter', issuerType: 'police' },
          offence: { description: 'Harassment', maximumPenaltyYears: penalty },
          facts: { instrument: { form: 'fr_requisition_60_1_2' }, offence },
        }),
        { policy: { ...krPolicy, home: ['FR'], rules: [] } },
      )[0];
    it('CPP art. 60-1-2: any one condition suffices', () => {
      expect(french(5)?.outcome).toBe('allow');
      expect(french(2)?.outcome).toBe('needs_info');
      expect(french(2, { committedOnline: true, soleAimIdentify: true })?.outcome).toBe('allow');
      expect(french(0.5)?.outcome).toBe('block');
      expect(french(0.5, { victimRequest: true })?.outcome).toBe('allow');
    });

    it('e-Evidence Art. 5(4): a listed offence lifts the three-year threshold', () => {
      const order = (lists: FactsInput['offence']) =>
        review(
          request({
            jurisdiction: 'DE',
            categories: ['traffic'],
            legalProcess: { ...request().legalProcess, instrumentType: 'production_order' },
            offence: { description: 'Computer fraud', maximumPenaltyYears: 2 },
            facts: { offence: lists ?? {} },
          }),
          { packs, policy: { ...krPolicy, home: ['IE'], rules: [] }, now: NOW },
        );
      expect(order({}).findings.map((finding) => finding.code)).toContain('OFFENCE_BELOW_THRESHOLD');
      // Art. 5(4)(b): the listed offence counts when committed by means of an information system.
      expect(order({ lists: ['eu_eevidence_art5_4'] }).verdicts[0]?.outcome).toBe('needs_info');
      const listed = order({ lists: ['eu_eevidence_art5_4'], committedOnline: true });
      expect(listed.findings.map((finding) => finding.code)).not.toContain('OFFENCE_BELOW_THRESHOLD');
      expect(listed.verdicts[0]?.outcome).toBe('allow');
    });

    it('IPA s. 61: a designated senior officer authorises only in urgent or national-security cases', () => {
      const authorisation = (urgent: boolean) =>
        verdicts(
          request({
            jurisdiction: 'GB',
            categories: ['traffic'],
            legalProcess: { ...request().legalProcess, instrumentType: 'other', issuerType: 'police' },
            facts: { instrument: { form: 'gb_ipa_authorisation', issuerRole: 'designated_senior_officer', urgent } },
          }),
          { policy: { ...krPolicy, home: ['GB'], rules: [] } },
        )[0];
      expect(authorisation(false)?.outcome).toBe('block');
      expect(authorisation(true)?.outcome).toBe('allow');
    });
  });

  it('every verdict cites a source', () => {
    for (const jurisdiction of ['KR', 'US', 'FR', 'DE', 'GB', 'IN', 'COE', 'JP']) {
      for (const verdict of verdicts(request({ jurisdiction, categories: ['subscriber', 'traffic', 'content'] }))) {
        expect(verdict.basis.length).toBeGreaterThan(0);
        for (const reason of verdict.basis) expect(reason.source.cite.length).toBeGreaterThan(0);
      }
    }
  });
});

describe('packs are checked against the facts schema', () => {
  it('refuses a condition naming a fact the model does not have', () => {
    const rule = (condition: string) => () =>
      compileRule({ id: 'x.test.rule', if: condition, verdict: 'block', source: 's', basis: { en: 'x', ko: 'x' } });
    expect(rule('target.rol == "suspect"')).toThrow(/x\.test\.rule/);
    expect(rule('offence.maxPenaltyYears')).toThrow(/not a boolean/);
    expect(rule('target.role == "suspect" && offence.maxPenaltyYears >= 3.0')).not.toThrow();
  });

  it('docs/facts.schema.json is the schema the engine uses', () => {
    const written = JSON.parse(readFileSync(path.join(root, 'docs/facts.schema.json'), 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(factsJsonSchema())));
  });
});

describe('negated wording never fires a rule', () => {
  const NEGATIONS = ['no', 'not any', 'never a', 'without any', 'there is no', 'nobody reported a', 'we have ruled out a'];
  const THREATS = ['threat to life', 'risk to anyone’s life', 'weapon', 'kidnapping', 'bomb', 'suicide risk', 'murder plot'];
  const KO_THREATS = ['생명의 위협은', '흉기는', '납치 정황은', '자살 위험은'];
  const KO_NEGATIONS = ['없습니다', '없다', '아닙니다', '확인되지 않았습니다'];

  it('a negated danger is no danger, in English and Korean', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...NEGATIONS),
        fc.constantFrom(...THREATS),
        fc.constantFrom('', 'Urgent. ', 'The officer says: '),
        (negation, threat, prefix) => {
          expect(mentions(`${prefix}There is ${negation} ${threat} here.`, SIGNAL_PATTERNS.threatToLife)).toBe(false);
          expect(mentions(`${prefix}${negation} ${threat}`, SIGNAL_PATTERNS.threatToLife)).toBe(false);
        },
      ),
    );
    fc.assert(
      fc.property(fc.constantFrom(...KO_THREATS), fc.constantFrom(...KO_NEGATIONS), (threat, negation) => {
        expect(mentions(`${threat} ${negation}.`, SIGNAL_PATTERNS.threatToLife)).toBe(false);
      }),
    );
  });

  it('an affirmed danger in another clause still counts', () => {
    expect(mentions('There is no weapon involved, but he threatened to kill her tonight.', SIGNAL_PATTERNS.threatToLife)).toBe(true);
    expect(mentions('흉기는 없지만 생명이 위험합니다.', SIGNAL_PATTERNS.threatToLife)).toBe(true);
  });

  it('the emergency and overbreadth rules stay silent on negated wording', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NEGATIONS), fc.constantFrom(...THREATS), (negation, threat) => {
        const emergency = review(
          request({
            jurisdiction: 'US',
            kind: 'emergency',
            legalProcess: { ...request().legalProcess, instrumentType: 'emergency_request' },
            emergency: { dangerDescription: `There is ${negation} ${threat}.` },
          }),
          { packs, policy: usPolicy, now: NOW },
        );
        expect(emergency.findings.map((finding) => finding.code)).toContain('EMERGENCY_FACTS_MISSING');
        expect(emergency.verdicts[0]?.outcome).not.toBe('allow');
      }),
      { numRuns: 30 },
    );
    const codes = (summary: string) => review(request({ summary }), { packs, policy: krPolicy, now: NOW }).findings.map((f) => f.code);
    expect(codes('This is not about a journalist, and not about any protest.')).not.toContain('PROTECTED_GROUP');
    expect(codes('No rumour or insult is at issue: plain investment fraud.')).not.toContain('SPEECH_OFFENCE');
    expect(codes('We do not ask for all members of the group, only this account.')).not.toContain('BULK_OR_NETWORK_REQUEST');
  });
});

describe('facts the law makes irrelevant never change a verdict', () => {
  const rulesRead = (field: string) =>
    [...packs.flatMap((pack) => pack.rules), ...krPolicy.rules].some((rule) =>
      JSON.stringify([rule.if, rule.unless]).includes(`target.${field}`),
    );

  it('adding a target fact no rule reads leaves every verdict as it was', () => {
    const fields = (['nationality', 'residence', 'accountState', 'role'] as const).filter((field) => !rulesRead(field));
    expect(fields.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(
        fc.constantFrom('KR', 'US', 'FR', 'DE', 'GB', 'IN', 'COE', 'JP'),
        fc.constantFrom('search_warrant', 'subpoena', 'court_order', 'letter', 'production_order') as fc.Arbitrary<
          ReviewRequest['legalProcess']['instrumentType']
        >,
        fc.subarray(['subscriber', 'traffic', 'content', 'location'] as const, { minLength: 1 }),
        fc.constantFrom(...fields),
        fc.constantFrom('KR', 'US', 'FR'),
        (jurisdiction, instrumentType, categories, field, country) => {
          const base = request({ jurisdiction, categories, legalProcess: { ...request().legalProcess, instrumentType } });
          const value = field === 'accountState' ? 'deleted' : field === 'role' ? 'witness' : country;
          const more = { ...base, facts: { targets: [{ index: 0, [field]: value }] } as FactsInput };
          const outcome = (req: ReviewRequest) => verdicts(req).map((verdict) => `${verdict.category}:${verdict.outcome}`);
          expect(outcome(more)).toEqual(outcome(base));
        },
      ),
      { numRuns: 150 },
    );
  });
});
