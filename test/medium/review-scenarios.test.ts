/**
 * The review engine against the shipped rule packs and policy: a table of scenarios, each with the findings it must
 * give and the source that justifies them, and two properties that hold for every request.
 */
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainReview, forAgency, reviewRequest, type Finding, type ReviewRequest } from '../../src/core/review/engine.ts';
import type { Policy } from '../../src/core/review/rule-pack.ts';
import type { DataCategory, InstrumentType, IssuerType } from '../../src/core/request.ts';
import { loadPolicy, loadRulePacks } from '../../src/rules/rule-files.ts';

const root = path.resolve(import.meta.dirname, '../..');
const packs = loadRulePacks(path.join(root, 'rules'));
const krPolicy = loadPolicy(path.join(root, 'policy.yaml'));
const usPolicy: Policy = { ...krPolicy, home: ['US'], rules: [] };
const euPolicy: Policy = { ...krPolicy, home: ['IE'], rules: [] };
const NOW = new Date('2026-11-20T12:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

type Overrides = Partial<Omit<ReviewRequest, 'legalProcess'>> & { legalProcess?: Partial<ReviewRequest['legalProcess']> };
function request(overrides: Overrides = {}): ReviewRequest {
  const { legalProcess, ...rest } = overrides;
  return {
    kind: 'disclosure',
    jurisdiction: 'KR',
    caseReference: '2026-형제-1234',
    summary: 'Investment fraud: the account collected payments from victims.',
    legalProcess: {
      instrumentType: 'search_warrant',
      issuerType: 'court',
      issuingAuthority: 'Seoul Central District Court',
      documents: 1,
      ...legalProcess,
    },
    categories: ['subscriber'],
    targets: [{ kind: 'username', value: 'minjun.kim' }],
    dateRange: { from: ago(20), to: ago(1) },
    offence: { description: 'Fraud (Criminal Act Art. 347)', maximumPenaltyYears: 10 },
    nonDisclosure: { ordered: false },
    receivedAt: NOW.toISOString(),
    ...rest,
  };
}

const review = (overrides: Overrides = {}, options: { policy?: Policy; duplicates?: Map<string, string[]> } = {}) =>
  reviewRequest(request(overrides), {
    packs,
    policy: options.policy ?? krPolicy,
    now: NOW,
    ...(options.duplicates ? { duplicates: options.duplicates } : {}),
  });
const codes = (findings: readonly Finding[]) => findings.map((finding) => `${finding.code}@${finding.source.id}`);
const blockedCategories = (findings: readonly Finding[], pack?: string) =>
  new Set(
    findings
      .filter((finding) => finding.severity === 'block' && (!pack || finding.pack === pack))
      .flatMap((finding): string[] => (finding.categories.length ? [...finding.categories] : ['*'])),
  );

describe('instrument sufficiency, jurisdiction by instrument by category', () => {
  // What legal.md §1.1, §2 and §8 say each instrument reaches; written here apart from the packs it checks.
  const SUFFICES: Record<'KR' | 'US', Record<'subscriber' | 'traffic' | 'content' | 'location', readonly InstrumentType[]>> = {
    KR: {
      subscriber: ['letter', 'subpoena', 'court_order', 'communication_confirmation_permit', 'search_warrant', 'interception_order'],
      traffic: ['court_order', 'communication_confirmation_permit', 'search_warrant'],
      location: ['court_order', 'communication_confirmation_permit', 'search_warrant'],
      content: ['search_warrant'],
    },
    US: {
      subscriber: ['subpoena', 'court_order', 'search_warrant'],
      traffic: ['court_order', 'search_warrant'],
      location: ['court_order', 'search_warrant'],
      content: ['search_warrant'],
    },
  };
  const instruments: InstrumentType[] = [
    'letter',
    'subpoena',
    'court_order',
    'communication_confirmation_permit',
    'search_warrant',
    'interception_order',
  ];
  const cases = (['KR', 'US'] as const).flatMap((jurisdiction) =>
    (['subscriber', 'traffic', 'content', 'location'] as const).flatMap((category) =>
      instruments.map((instrument) => ({
        jurisdiction,
        category,
        instrument,
        suffices: SUFFICES[jurisdiction][category].includes(instrument),
      })),
    ),
  );

  it.each(cases)('$jurisdiction $instrument for $category: sufficient = $suffices', ({ jurisdiction, category, instrument, suffices }) => {
    const findings = review(
      { jurisdiction, categories: [category], legalProcess: { instrumentType: instrument }, dateRange: { from: ago(4), to: ago(1) } },
      { policy: usPolicy },
    );
    expect(blockedCategories(findings, jurisdiction.toLowerCase()).has(category)).toBe(!suffices);
  });
});

describe('EU production orders: issuer and offence threshold', () => {
  const cases = (['court', 'prosecutor'] as const).flatMap((issuer) =>
    (['subscriber', 'traffic', 'content'] as const).flatMap((category) => [2, 5].map((penalty) => ({ issuer, category, penalty }))),
  );
  it.each(cases)('$issuer, $category, maximum $penalty years', ({ issuer, category, penalty }) => {
    const findings = review(
      {
        jurisdiction: 'DE',
        categories: [category],
        legalProcess: { instrumentType: 'production_order', issuerType: issuer as IssuerType },
        offence: { description: 'Computer fraud', maximumPenaltyYears: penalty },
      },
      { policy: euPolicy },
    );
    const got = codes(findings);
    expect(got.includes('ISSUER_NOT_COMPETENT@eevid-4-2')).toBe(category !== 'subscriber' && issuer === 'prosecutor');
    expect(got.includes('OFFENCE_BELOW_THRESHOLD@eevid-5')).toBe(category !== 'subscriber' && penalty < 3);
    expect(got).toContain('RESPONSE_DEADLINE@eevid-10');
  });
});

describe('named scenarios', () => {
  const scenarios: Array<{
    name: string;
    overrides: Overrides;
    policy?: Policy;
    duplicates?: Map<string, string[]>;
    has: string[];
    lacks?: string[];
  }> = [
    {
      name: 'a US subpoena asking for message content',
      overrides: { jurisdiction: 'US', categories: ['content'], legalProcess: { instrumentType: 'subpoena' } },
      policy: usPolicy,
      has: ['INSTRUMENT_INSUFFICIENT@sca-2703ab'],
    },
    {
      name: 'a Korean interception permit asking for stored chat history',
      overrides: { categories: ['content'], legalProcess: { instrumentType: 'interception_order' } },
      has: ['INTERCEPTION_NOT_STORED@sc-2016do8137'],
      lacks: ['INSTRUMENT_INSUFFICIENT@cpa-114'],
    },
    {
      name: 'Korean IP logs asked for by letter, without court permission',
      overrides: { categories: ['traffic'], legalProcess: { instrumentType: 'letter', issuerType: 'police' } },
      has: ['INSTRUMENT_INSUFFICIENT@pcsa-13', 'AGENCY_NOTIFIES_USER@pcsa-13-3', 'DUTY_OF_SECRECY@pcsa-11'],
    },
    {
      name: 'Korean IP logs with court permission',
      overrides: { categories: ['traffic'], legalProcess: { instrumentType: 'communication_confirmation_permit' } },
      has: ['AGENCY_NOTIFIES_USER@pcsa-13-3', 'RETENTION_FLOOR@pcsa-decree-41'],
      lacks: ['INSTRUMENT_INSUFFICIENT@pcsa-13'],
    },
    {
      name: 'Korean IP logs without a stated reason',
      overrides: { categories: ['traffic'], summary: null, legalProcess: { instrumentType: 'communication_confirmation_permit' } },
      has: ['REASON_MISSING@pcsa-13-reason'],
    },
    {
      name: 'an EU production order for traffic data signed by a prosecutor, two-year maximum',
      overrides: {
        jurisdiction: 'FR',
        categories: ['traffic'],
        legalProcess: { instrumentType: 'production_order', issuerType: 'prosecutor' },
        offence: { description: 'Harassment', maximumPenaltyYears: 2 },
      },
      policy: euPolicy,
      has: ['ISSUER_NOT_COMPETENT@eevid-4-2', 'OFFENCE_BELOW_THRESHOLD@eevid-5', 'RESPONSE_DEADLINE@eevid-10'],
    },
    {
      name: 'an EU production order with no issuer stated',
      overrides: { jurisdiction: 'DE', categories: ['traffic'], legalProcess: { instrumentType: 'production_order', issuerType: null } },
      policy: euPolicy,
      has: ['ISSUER_UNKNOWN@eevid-4'],
      lacks: ['ISSUER_NOT_COMPETENT@eevid-4-2'],
    },
    {
      name: 'a foreign agency asking a US platform directly for content',
      overrides: { jurisdiction: 'KR', categories: ['content'] },
      policy: usPolicy,
      has: ['ROUTE_VIA_MLAT@sca-2702a'],
    },
    {
      name: 'a UK agency asking a US platform for content under the data access agreement',
      overrides: { jurisdiction: 'GB', categories: ['content'] },
      policy: usPolicy,
      has: ['CLOUD_ACT_AGREEMENT@cloud-act-agreement'],
      lacks: ['ROUTE_VIA_MLAT@sca-2702a'],
    },
    {
      name: 'a US subpoena sent to an EU-established platform',
      overrides: { jurisdiction: 'US', legalProcess: { instrumentType: 'subpoena' } },
      policy: euPolicy,
      has: ['ROUTE_VIA_AGREEMENT@gdpr-48'],
    },
    {
      name: 'a foreign request to the Korean demo platform',
      overrides: { jurisdiction: 'US', categories: ['content'] },
      has: ['ROUTE_VIA_MLAT@kr-mla', 'POLICY_HOME_WARRANT@policy-3'],
    },
    {
      name: 'a preservation request past 90 days without renewal',
      overrides: { jurisdiction: 'US', kind: 'preservation', legalProcess: { instrumentType: 'preservation_order' }, receivedAt: ago(95) },
      policy: usPolicy,
      has: ['PRESERVATION_EXPIRED@sca-2703f', 'PRESERVATION_PERIOD@sca-2703f'],
    },
    {
      name: 'a preservation request 30 days old',
      overrides: { jurisdiction: 'US', kind: 'preservation', legalProcess: { instrumentType: 'preservation_order' }, receivedAt: ago(30) },
      policy: usPolicy,
      has: ['PRESERVATION_PERIOD@sca-2703f'],
      lacks: ['PRESERVATION_EXPIRED@sca-2703f'],
    },
    {
      // The Criminal Procedure Act amendment of 12 Dec 2025 lets a prosecutor ask for preservation (anchors-2026-12 §5.3).
      name: 'a preservation request to Korea',
      overrides: { kind: 'preservation', legalProcess: { instrumentType: 'letter', issuerType: 'prosecutor' } },
      has: ['PRESERVATION_REQUEST@kr-preservation'],
    },
    {
      name: 'an emergency with no facts about danger to life',
      overrides: {
        jurisdiction: 'US',
        kind: 'emergency',
        legalProcess: { instrumentType: 'emergency_request' },
        emergency: { dangerDescription: 'We need this urgently for our investigation.' },
      },
      policy: usPolicy,
      has: ['EMERGENCY_FACTS_MISSING@contents', 'VOLUNTARY_EMERGENCY@sca-2702'],
    },
    {
      name: 'an emergency with a threat to life',
      overrides: {
        jurisdiction: 'US',
        kind: 'emergency',
        legalProcess: { instrumentType: 'emergency_request' },
        emergency: { dangerDescription: 'The user posted that he will kill his former partner tonight and has a gun.' },
      },
      policy: usPolicy,
      has: ['VOLUNTARY_EMERGENCY@sca-2702'],
      lacks: ['EMERGENCY_FACTS_MISSING@contents'],
    },
    {
      name: 'a Korean emergency asks for the callback and the 36-hour permit',
      overrides: {
        kind: 'emergency',
        categories: ['traffic'],
        legalProcess: { instrumentType: 'emergency_request' },
        emergency: { dangerDescription: '납치된 아동의 생명이 위험합니다.' },
      },
      has: ['EMERGENCY_PERMIT_DUE@pcsa-8', 'CALLBACK_AND_SECOND_APPROVER@policy-4'],
      // PCSA Art. 13 lets an emergency request come before the court permission: no block until the permit is overdue.
      lacks: ['EMERGENCY_FACTS_MISSING@contents', 'INSTRUMENT_INSUFFICIENT@pcsa-13', 'EMERGENCY_PERMIT_OVERDUE@pcsa-8'],
    },
    {
      name: 'a request for everyone in a 3,000-member group',
      overrides: {
        summary: 'Identify all members of the group chat "Free Speech Korea" (3,000 members).',
        targets: Array.from({ length: 3000 }, (_, i) => ({ kind: 'user_id' as const, value: String(1000 + i) })),
      },
      has: ['BULK_OR_NETWORK_REQUEST@gni', 'MANY_ACCOUNTS@gni'],
    },
    {
      name: 'a request about a "false rumour" about the head of state',
      overrides: {
        summary: 'The user spread a false rumour about the President.',
        offence: { description: 'Spreading false rumours (허위사실 유포)', maximumPenaltyYears: 5 },
      },
      has: ['SPEECH_OFFENCE@gni'],
    },
    {
      name: 'a request about a journalist',
      overrides: { summary: 'Identify the reporter who published the leaked memo.' },
      has: ['PROTECTED_GROUP@gni'],
    },
    {
      name: 'Korean content warrant with no creation period',
      overrides: { categories: ['content'], dateRange: null },
      has: ['CREATION_PERIOD_MISSING@cpa-114', 'DATE_RANGE_MISSING@contents'],
    },
    {
      name: 'a clean Korean warrant for recent content',
      overrides: { categories: ['subscriber', 'content'] },
      has: ['E2EE_NOT_AVAILABLE@policy-2', 'DATA_SUBJECT_NOTICE@cpa-106'],
      lacks: ['INSTRUMENT_INSUFFICIENT@cpa-114', 'BEYOND_RETENTION@policy-2'],
    },
    { name: 'location, which the platform does not hold', overrides: { categories: ['location'] }, has: ['NOT_HELD@policy-2'] },
    {
      name: 'content older than the platform keeps',
      overrides: { categories: ['content'], dateRange: { from: ago(90), to: ago(60) } },
      has: ['BEYOND_RETENTION@policy-2'],
    },
    {
      name: 'targets another open request names',
      overrides: {},
      duplicates: new Map([['minjun.kim', ['WR-2026-000007']]]),
      has: ['DUPLICATE_TARGETS@contents'],
    },
    {
      name: 'a US gag order without an end date',
      overrides: { jurisdiction: 'US', nonDisclosure: { ordered: true } },
      policy: usPolicy,
      has: ['NDO_WITHOUT_END@sca-2705b', 'DO_NOT_NOTIFY@contents'],
      lacks: ['USER_NOTICE_ALLOWED@sca-2705b'],
    },
    {
      name: 'a US request without a gag order',
      overrides: { jurisdiction: 'US', legalProcess: { instrumentType: 'subpoena' } },
      policy: usPolicy,
      has: ['USER_NOTICE_ALLOWED@sca-2705b'],
    },
    {
      name: 'US location over a month on a 2703(d) order',
      overrides: {
        jurisdiction: 'US',
        categories: ['location'],
        legalProcess: { instrumentType: 'court_order' },
        dateRange: { from: ago(40), to: ago(1) },
      },
      policy: usPolicy,
      has: ['WARRANT_REQUIRED@carpenter'],
    },
    {
      name: 'US location over three days on a 2703(d) order',
      overrides: {
        jurisdiction: 'US',
        categories: ['location'],
        legalProcess: { instrumentType: 'court_order' },
        dateRange: { from: ago(4), to: ago(1) },
      },
      policy: usPolicy,
      has: [],
      lacks: ['WARRANT_REQUIRED@carpenter'],
    },
    {
      name: 'US real-time content on a warrant instead of a Title III order',
      overrides: { jurisdiction: 'US', kind: 'prospective', categories: ['content'] },
      policy: usPolicy,
      has: ['INSTRUMENT_INSUFFICIENT@title-iii'],
    },
    {
      name: 'French traffic data for an offence punishable by six months',
      overrides: { jurisdiction: 'FR', categories: ['traffic'], offence: { description: 'Insult', maximumPenaltyYears: 0.5 } },
      policy: euPolicy,
      has: ['OFFENCE_BELOW_THRESHOLD@cpp-60-1-2'],
    },
    {
      name: 'French traffic data without a penalty',
      overrides: { jurisdiction: 'FR', categories: ['traffic'], offence: { description: 'Threats' } },
      policy: euPolicy,
      has: ['OFFENCE_PENALTY_MISSING@cpp-60-1-2'],
    },
    {
      name: 'an Indian takedown order',
      overrides: {
        jurisdiction: 'IN',
        kind: 'removal',
        legalProcess: { instrumentType: 'removal_order', issuerType: 'administrative' },
        targets: [{ kind: 'url', value: 'https://demo.example/p/1' }],
      },
      has: ['REMOVAL_DEADLINE@itr-3-1-d'],
    },
    {
      name: 'an EU removal order naming accounts instead of URLs',
      overrides: { jurisdiction: 'DE', kind: 'removal', legalProcess: { instrumentType: 'removal_order', issuerType: 'administrative' } },
      policy: euPolicy,
      has: ['EXACT_URLS_MISSING@dsa-9'],
    },
    {
      name: 'an EU terrorist-content removal order',
      overrides: {
        jurisdiction: 'DE',
        kind: 'removal',
        summary: 'Terrorist propaganda video',
        legalProcess: { instrumentType: 'removal_order', issuerType: 'administrative' },
        targets: [{ kind: 'url', value: 'https://demo.example/v/9' }],
      },
      policy: euPolicy,
      has: ['REMOVAL_DEADLINE@tco-3'],
      lacks: ['EXACT_URLS_MISSING@dsa-9'],
    },
    {
      name: 'traffic data under the Second Protocol',
      overrides: {
        jurisdiction: 'COE',
        categories: ['subscriber', 'traffic'],
        legalProcess: { instrumentType: 'production_order', issuerType: 'prosecutor' },
      },
      has: ['INSTRUMENT_INSUFFICIENT@p2-8', 'RESPONSE_DEADLINE@p2-7'],
    },
    {
      name: 'a UK local authority asking for connection records',
      overrides: { jurisdiction: 'GB', categories: ['traffic'], legalProcess: { instrumentType: 'letter', issuerType: 'administrative' } },
      policy: usPolicy,
      has: ['ICR_RESTRICTED@ipa-62', 'AUTHORISATION_CHECK@ipa-60a'],
    },
    {
      name: 'a request with no legal process attached',
      overrides: { legalProcess: { documents: 0 }, caseReference: null },
      has: ['LEGAL_PROCESS_MISSING@contents', 'CASE_REFERENCE_MISSING@contents'],
    },
    {
      name: 'a target named only by a display name',
      overrides: { targets: [{ kind: 'other', value: 'the man in the red hat' }] },
      has: ['TARGET_NOT_SPECIFIC@contents'],
    },
    {
      name: 'a request from an agency the directory has suspended',
      overrides: { requester: { status: 'suspended', jurisdiction: 'KR' } },
      has: ['REQUESTER_NOT_VERIFIED@contents'],
    },
    {
      name: 'a Korean agency invoking a US subpoena',
      overrides: {
        jurisdiction: 'US',
        requester: { status: 'verified', jurisdiction: 'KR' },
        legalProcess: { instrumentType: 'subpoena' },
      },
      policy: usPolicy,
      has: ['REQUESTER_JURISDICTION_MISMATCH@contents'],
      lacks: ['REQUESTER_NOT_VERIFIED@contents'],
    },
    {
      name: 'two years of traffic data',
      overrides: {
        categories: ['traffic'],
        legalProcess: { instrumentType: 'communication_confirmation_permit' },
        dateRange: { from: ago(730), to: ago(1) },
      },
      has: ['BROAD_DATE_RANGE@gni', 'BEYOND_RETENTION@policy-2'],
    },
  ];

  it.each(scenarios)('$name', ({ overrides, policy, duplicates, has, lacks = [] }) => {
    const got = codes(review(overrides, { ...(policy ? { policy } : {}), ...(duplicates ? { duplicates } : {}) }));
    for (const expected of has) expect(got).toContain(expected);
    for (const absent of lacks) expect(got).not.toContain(absent);
  });

  it('gives due dates counted from receipt', () => {
    const findings = review({ kind: 'emergency', categories: ['traffic'], emergency: { dangerDescription: '생명이 위험합니다' } });
    expect(findings.find((finding) => finding.code === 'EMERGENCY_PERMIT_DUE')?.due).toBe(
      new Date(NOW.getTime() + 36 * 3_600_000).toISOString(),
    );
  });

  it('speaks English and Korean, and marks how sure each source is', () => {
    const [finding] = review({ categories: ['traffic'], legalProcess: { instrumentType: 'letter' } }).filter(
      (item) => item.code === 'INSTRUMENT_INSUFFICIENT',
    );
    expect(finding?.message.en).toContain('traffic data: communication confirmation data');
    expect(finding?.message.ko).toContain('통신사실확인자료(트래픽): ');
    expect(finding?.source).toMatchObject({ id: 'pcsa-13', status: 'confirmed', cite: expect.stringContaining('Art. 13') });
    expect(review({ summary: 'false rumour' }).find((item) => item.code === 'SPEECH_OFFENCE')?.source.status).toBe('believed');
  });

  it("shows the officer what to fix and never the desk's own flags", () => {
    const findings = review({ summary: 'a false rumour', legalProcess: { documents: 0 } });
    const codesForAgency = forAgency(findings).map((finding) => finding.code);
    expect(codesForAgency).toContain('LEGAL_PROCESS_MISSING');
    expect(codesForAgency).not.toContain('SPEECH_OFFENCE');
  });

  it('explains which rules fired and, for the others, the first condition that did not hold', () => {
    const trace = explainReview(request({ categories: ['traffic'], legalProcess: { instrumentType: 'letter' } }), {
      packs,
      policy: krPolicy,
      now: NOW,
    });
    expect(trace.find((rule) => rule.ruleId === 'kr.traffic.court-permission')).toEqual({
      ruleId: 'kr.traffic.court-permission',
      pack: 'kr',
      fired: true,
      cells: 1,
    });
    expect(trace.find((rule) => rule.ruleId === 'kr.content.search-warrant')).toMatchObject({
      fired: false,
      failed: 'category in ["content", "payment"]',
    });
    expect(trace.find((rule) => rule.ruleId === 'kr.preservation.prosecutor')).toMatchObject({
      fired: false,
      failed: 'request.kind == "preservation"',
    });
    expect(trace.some((rule) => rule.pack === 'us')).toBe(false);
  });
});

describe('properties', () => {
  const CHAIN: InstrumentType[] = ['letter', 'subpoena', 'court_order', 'search_warrant'];
  const arbitraryRequest = fc.record({
    jurisdiction: fc.constantFrom('KR', 'US', 'DE', 'FR', 'GB', 'IN', 'COE', 'JP'),
    kind: fc.constantFrom('disclosure', 'prospective', 'emergency', 'preservation'),
    categories: fc.uniqueArray(fc.constantFrom<DataCategory>('subscriber', 'traffic', 'content', 'location', 'device', 'payment'), {
      minLength: 1,
      maxLength: 6,
    }),
    issuer: fc.constantFrom<IssuerType | null>('court', 'prosecutor', 'police', 'administrative', null),
    penalty: fc.option(fc.constantFrom(0.5, 1, 2, 3, 10), { nil: undefined }),
    rangeDays: fc.integer({ min: 1, max: 800 }),
    targets: fc.integer({ min: 1, max: 60 }),
    summary: fc.constantFrom('Fraud.', 'all members of the group', 'a false rumour about the President', 'the reporter'),
    home: fc.constantFrom<Policy['home']>(['KR'], ['US'], ['IE']),
  });
  const build = (
    input: typeof arbitraryRequest extends fc.Arbitrary<infer T> ? T : never,
    instrument: InstrumentType,
    targets = input.targets,
  ) =>
    request({
      jurisdiction: input.jurisdiction,
      kind: input.kind,
      categories: input.categories,
      summary: input.summary,
      legalProcess: { instrumentType: instrument, issuerType: input.issuer },
      offence: { description: 'x', ...(input.penalty === undefined ? {} : { maximumPenaltyYears: input.penalty }) },
      dateRange: { from: ago(input.rangeDays), to: ago(0) },
      targets: Array.from({ length: targets }, (_, i) => ({ kind: 'user_id' as const, value: String(i) })),
      ...(input.kind === 'emergency' ? { emergency: { dangerDescription: 'risk to life' } } : {}),
    });
  const blocks = (req: ReviewRequest, home: Policy['home']) =>
    blockedCategories(reviewRequest(req, { packs, policy: { ...krPolicy, home }, now: NOW }));

  it('a stronger instrument never adds a block for a category', () => {
    fc.assert(
      fc.property(
        arbitraryRequest,
        fc.integer({ min: 0, max: CHAIN.length - 2 }),
        fc.integer({ min: 1, max: CHAIN.length - 1 }),
        (input, weak, step) => {
          const strong = Math.min(weak + step, CHAIN.length - 1);
          const weaker = blocks(build(input, CHAIN[weak]!), input.home);
          for (const category of blocks(build(input, CHAIN[strong]!), input.home)) expect(weaker.has(category)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('removing a target never adds a block', () => {
    fc.assert(
      fc.property(arbitraryRequest, fc.constantFrom(...CHAIN), (input, instrument) => {
        fc.pre(input.targets > 1);
        const all = blocks(build(input, instrument), input.home);
        for (const category of blocks(build(input, instrument, input.targets - 1), input.home)) expect(all.has(category)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
