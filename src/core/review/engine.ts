/**
 * The review engine: `(request, packs, policy, now) → findings`, pure. Each rule of each pack that applies (its pack is
 * the request's jurisdiction, a cross-cutting pack such as `gni`, or the platform policy) is checked condition by
 * condition; a rule whose conditions all hold gives its finding, with the source it cites and how sure that source is.
 * `explainReview` gives the same walk for every rule, fired or not, and the first condition that did not hold.
 */
import type { DataCategory, IdentifierKind, InstrumentType, IssuerType, RequestKind } from '../request.ts';
import type { Conditions, Policy, RequiredField, Rule, RulePack, Severity, Source } from './rule-pack.ts';

export interface ReviewRequest {
  readonly kind: RequestKind;
  readonly jurisdiction: string;
  readonly caseReference?: string | null;
  readonly summary?: string | null;
  readonly legalProcess: {
    readonly instrumentType: InstrumentType;
    readonly issuerType?: IssuerType | null;
    readonly issuingAuthority?: string | null;
    readonly documents: number;
  };
  readonly categories: readonly DataCategory[];
  readonly targets: ReadonlyArray<{ readonly kind: IdentifierKind; readonly value: string; readonly note?: string | null }>;
  readonly dateRange?: { readonly from: string; readonly to: string } | null;
  readonly offence?: { readonly description: string; readonly maximumPenaltyYears?: number } | null;
  readonly nonDisclosure?: { readonly ordered: boolean; readonly until?: string | null } | null;
  readonly emergency?: { readonly dangerDescription: string } | null;
  readonly receivedAt: string;
  /** The requesting agency as the directory knows it. */
  readonly requester?: { readonly status: string; readonly jurisdiction: string | null } | null;
}

export interface ReviewContext {
  readonly packs: readonly RulePack[];
  readonly policy: Policy;
  readonly now: Date;
  /** Other open requests naming the same targets: target value → their tracking numbers. */
  readonly duplicates?: ReadonlyMap<string, readonly string[]>;
}

export interface Finding {
  readonly ruleId: string;
  readonly pack: string;
  readonly code: string;
  readonly severity: Severity;
  readonly audience: 'desk' | 'both';
  readonly categories: readonly DataCategory[];
  readonly message: { readonly en: string; readonly ko: string };
  readonly source: Source & { readonly id: string };
  readonly due?: string;
  /** For a period: how many hours its one extension adds. */
  readonly extensionHours?: number;
}

export interface RuleTrace {
  readonly ruleId: string;
  readonly pack: string;
  readonly fired: boolean;
  /** For a rule that did not fire: the first condition that did not hold. */
  readonly failed?: keyof Conditions;
}

const SEVERITY_ORDER: Record<Severity, number> = { block: 0, needs_info: 1, warn: 2, info: 3 };
const DAY = 86_400_000;

/** Packs that apply to a request: its jurisdiction's, the instrument families it belongs to, and the cross-cutting ones. */
export function applicablePacks(packs: readonly RulePack[], jurisdiction: string): RulePack[] {
  const wanted = new Set([jurisdiction.toLowerCase(), 'global']);
  if (EU_MEMBERS.has(jurisdiction) || jurisdiction === 'EU') wanted.add('eu');
  if (jurisdiction === 'COE' || COE_PARTIES.has(jurisdiction)) wanted.add('coe');
  return packs.filter((pack) => wanted.has(pack.pack));
}

// EU Member States (for the EU pack), and Budapest Convention Parties this engine knows of (for the CoE pack).
const EU_MEMBERS = new Set('AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE'.split(' '));
const COE_PARTIES = new Set([...EU_MEMBERS, 'GB', 'US', 'JP', 'AU', 'CA', 'NO', 'CH', 'UA', 'IL', 'PH', 'SN', 'BR', 'CL', 'AR']);

interface Facts {
  readonly request: ReviewRequest;
  readonly policy: Policy;
  readonly now: Date;
  readonly text: string;
  readonly duplicates: readonly string[];
}

const missingFields = (request: ReviewRequest): Set<RequiredField> => {
  const missing = new Set<RequiredField>();
  if (!request.dateRange) missing.add('date_range');
  if (!request.offence) missing.add('offence');
  if (request.offence?.maximumPenaltyYears === undefined) missing.add('offence_penalty');
  if (request.legalProcess.documents === 0) missing.add('documents');
  if (!request.caseReference) missing.add('case_reference');
  if (!request.legalProcess.issuingAuthority) missing.add('issuing_authority');
  if (!request.legalProcess.issuerType) missing.add('issuer');
  if (!request.summary) missing.add('summary');
  return missing;
};

/** Categories asked for that a category-bound condition picks out; undefined when the condition does not restrict. */
function categoriesOf(when: Conditions, facts: Facts): DataCategory[] {
  const { request, policy, now } = facts;
  let chosen = [...request.categories];
  if (when.categories) chosen = chosen.filter((category) => when.categories?.includes(category));
  if (when.not_held) chosen = chosen.filter((category) => policy.holds[category]?.held === false);
  if (when.never_produced) chosen = chosen.filter((category) => policy.never_produces.includes(category));
  if (when.beyond_retention) {
    const from = request.dateRange ? Date.parse(request.dateRange.from) : undefined;
    chosen = chosen.filter((category) => {
      const days = policy.holds[category]?.days;
      return from !== undefined && days !== undefined && from < now.getTime() - days * DAY;
    });
  }
  return chosen;
}

type Check = (value: never, facts: Facts) => boolean;
const compiled = new Map<string, RegExp>();
const regex = (pattern: string) => {
  let found = compiled.get(pattern);
  if (!found) compiled.set(pattern, (found = new RegExp(pattern, 'iu')));
  return found;
};
const matchesAny = (patterns: readonly string[], text: string) => patterns.some((pattern) => regex(pattern).test(text));

/** One predicate per condition; `categories`, `not_held`, `never_produced`, `beyond_retention` hold when a category is picked. */
const CHECKS: { readonly [K in keyof Conditions]-?: (value: NonNullable<Conditions[K]>, facts: Facts) => boolean } = {
  jurisdiction: (list, { request }) => list.includes(request.jurisdiction),
  jurisdiction_not: (list, { request }) => !list.includes(request.jurisdiction),
  foreign: (wanted, { request, policy }) => !policy.home.includes(request.jurisdiction) === wanted,
  platform_home: (list, { policy }) => policy.home.some((home) => list.includes(home)),
  kind: (list, { request }) => list.includes(request.kind),
  kind_not: (list, { request }) => !list.includes(request.kind),
  instrument: (list, { request }) => list.includes(request.legalProcess.instrumentType),
  instrument_not: (list, { request }) => !list.includes(request.legalProcess.instrumentType),
  issuer: (list, { request }) => Boolean(request.legalProcess.issuerType && list.includes(request.legalProcess.issuerType)),
  issuer_not: (list, { request }) => Boolean(request.legalProcess.issuerType && !list.includes(request.legalProcess.issuerType)),
  categories: () => true,
  not_held: () => true,
  never_produced: () => true,
  beyond_retention: () => true,
  emergency: (wanted, { request }) => (request.kind === 'emergency') === wanted,
  offence_max_below: (limit, { request }) =>
    request.offence?.maximumPenaltyYears !== undefined && request.offence.maximumPenaltyYears < limit,
  missing: (fields, { request }) => {
    const missing = missingFields(request);
    return fields.some((field) => missing.has(field));
  },
  targets_at_least: (count, { request }) => request.targets.length >= count,
  text_matches: (patterns, { text }) => matchesAny(patterns, text),
  danger_facts_lack: (patterns, { request }) => !matchesAny(patterns, request.emergency?.dangerDescription ?? ''),
  received_days_ago_over: (days, { request, now }) => now.getTime() - Date.parse(request.receivedAt) > days * DAY,
  non_disclosure: (wanted, { request }) => {
    const ordered = request.nonDisclosure?.ordered === true;
    if (wanted === 'none') return !ordered;
    return wanted === 'ordered' ? ordered : ordered && !request.nonDisclosure?.until;
  },
  range_days_over: (days, { request }) =>
    Boolean(request.dateRange && Date.parse(request.dateRange.to) - Date.parse(request.dateRange.from) > days * DAY),
  duplicate: (wanted, { duplicates }) => duplicates.length > 0 === wanted,
  vague_targets: (wanted, { request }) => request.targets.some((target) => target.kind === 'other') === wanted,
  targets_not_of_kind: (kinds, { request }) => request.targets.some((target) => !kinds.includes(target.kind)),
  agency_not_verified: (wanted, { request }) => Boolean(request.requester && request.requester.status !== 'verified') === wanted,
  agency_jurisdiction_mismatch: (wanted, { request }) => {
    const home = request.requester?.jurisdiction;
    const covers =
      !home || home === request.jurisdiction || (request.jurisdiction === 'EU' && EU_MEMBERS.has(home)) || request.jurisdiction === 'COE';
    return !covers === wanted;
  },
};

const CATEGORY_CONDITIONS = ['categories', 'not_held', 'never_produced', 'beyond_retention'] as const;

/** Whether a rule fires, and if not, the first condition that did not hold. */
function test(rule: Rule, facts: Facts): { fired: boolean; failed?: keyof Conditions; categories: DataCategory[] } {
  for (const [key, value] of Object.entries(rule.when) as Array<[keyof Conditions, never]>) {
    if (value === undefined) continue;
    if (!(CHECKS[key] as Check)(value, facts)) return { fired: false, failed: key, categories: [] };
  }
  const bound = CATEGORY_CONDITIONS.some((key) => rule.when[key] !== undefined);
  const categories = bound ? categoriesOf(rule.when, facts) : [];
  if (bound && categories.length === 0) {
    const failed = CATEGORY_CONDITIONS.find((key) => rule.when[key] !== undefined);
    return { fired: false, categories, ...(failed ? { failed } : {}) };
  }
  return { fired: true, categories };
}

const LABELS: Record<DataCategory, { en: string; ko: string }> = {
  subscriber: { en: 'subscriber data', ko: '가입자 정보' },
  traffic: { en: 'traffic data', ko: '통신사실확인자료(트래픽)' },
  content: { en: 'content', ko: '내용' },
  location: { en: 'location data', ko: '위치 정보' },
  device: { en: 'device data', ko: '기기 정보' },
  payment: { en: 'payment data', ko: '결제 정보' },
};

function fill(
  template: string,
  language: 'en' | 'ko',
  values: { categories: DataCategory[]; due?: string; duplicates: readonly string[]; targets: number },
): string {
  return template
    .replaceAll('{categories}', values.categories.map((category) => LABELS[category][language]).join(', '))
    .replaceAll('{due}', values.due ?? '')
    .replaceAll('{duplicates}', values.duplicates.join(', '))
    .replaceAll('{targets}', String(values.targets));
}

function factsOf(request: ReviewRequest, context: ReviewContext): Facts {
  const text = [request.summary ?? '', request.offence?.description ?? '', ...request.targets.map((target) => target.note ?? '')].join(
    '\n',
  );
  const duplicates = new Set<string>();
  if (context.duplicates) {
    for (const target of request.targets)
      for (const other of context.duplicates.get(target.value.trim().toLowerCase()) ?? []) duplicates.add(other);
  }
  return { request, policy: context.policy, now: context.now, text, duplicates: [...duplicates].sort() };
}

function rulesOf(request: ReviewRequest, context: ReviewContext) {
  const packs: Array<Pick<RulePack, 'pack' | 'sources' | 'rules'>> = [
    ...applicablePacks(context.packs, request.jurisdiction),
    context.policy,
  ];
  return packs.flatMap((pack) => pack.rules.map((rule) => ({ pack, rule })));
}

export function reviewRequest(request: ReviewRequest, context: ReviewContext): Finding[] {
  const facts = factsOf(request, context);
  const findings: Finding[] = [];
  for (const { pack, rule } of rulesOf(request, context)) {
    const result = test(rule, facts);
    if (!result.fired) continue;
    const { finding } = rule;
    const source = pack.sources[finding.source];
    if (!source) continue; // refused at load; kept out here too
    const due = finding.due ? new Date(Date.parse(request.receivedAt) + finding.due.hours * 3_600_000).toISOString() : undefined;
    const groups =
      finding.per_category && result.categories.length > 1 ? result.categories.map((category) => [category]) : [result.categories];
    for (const categories of groups) {
      const values = { categories, duplicates: facts.duplicates, targets: request.targets.length, ...(due ? { due } : {}) };
      findings.push({
        ruleId: rule.id,
        pack: pack.pack,
        code: finding.code,
        severity: finding.severity,
        audience: finding.audience,
        categories,
        message: { en: fill(finding.message.en, 'en', values), ko: fill(finding.message.ko, 'ko', values) },
        source: { id: finding.source, ...source },
        ...(due ? { due } : {}),
        ...(finding.extension ? { extensionHours: finding.extension.hours } : {}),
      });
    }
  }
  return findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** Every rule that applies to the request, whether it fired, and if not why not: for a reviewer who asks. */
export function explainReview(request: ReviewRequest, context: ReviewContext): RuleTrace[] {
  const facts = factsOf(request, context);
  return rulesOf(request, context).map(({ pack, rule }) => {
    const result = test(rule, facts);
    return { ruleId: rule.id, pack: pack.pack, fired: result.fired, ...(result.failed ? { failed: result.failed } : {}) };
  });
}

/** The findings an officer sees: those meant for them, never the desk's own. */
export const forAgency = (findings: readonly Finding[]): Finding[] => findings.filter((finding) => finding.audience === 'both');

/** `block` findings that concern any of these categories (or the whole request). */
export const blocking = (findings: readonly Finding[], categories: readonly DataCategory[]): Finding[] =>
  findings.filter(
    (finding) =>
      finding.severity === 'block' &&
      (finding.categories.length === 0 || finding.categories.some((category) => categories.includes(category))),
  );
