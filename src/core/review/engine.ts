/**
 * The review engine: `(request, packs, policy, at) → findings and verdicts`, pure. The request becomes facts
 * (`facts.ts`); each rule of each pack that applies (the request's jurisdiction, the instrument families it belongs
 * to, the cross-cutting `global` pack, and the platform policy) is a CEL condition over those facts (`compile.ts`),
 * evaluated for every target × category it can tell apart: once for the request when it reads neither target nor
 * category, once per category, or once per group of targets whose facts are the same.
 *
 * Verdicts: for each target × category, the strictest outcome any applicable rule gives (block > hold_for_counsel >
 * route_elsewhere > needs_info > allow). A cell no rule gives a lawful basis for is never silently allowed: it is
 * `needs_info`, with the policy's `no_basis` message ("no basis found"). Every verdict cites its source.
 */
import type { DataCategory } from '../request.ts';
import { compileRules, holds, type CompiledRule } from './compile.ts';
import { cellFacts, isEuMember, requestFacts, type Facts, type RequestLevelFacts, type ReviewRequest, type TargetFacts } from './facts.ts';
import { OUTCOMES, type Outcome, type Policy, type Rule, type RulePack, type Severity, type Source } from './rule-pack.ts';
import { COE_PARTIES, type Channel } from './vocabulary.ts';

export type { ReviewRequest } from './facts.ts';

export interface ReviewContext {
  readonly packs: readonly RulePack[];
  readonly policy: Policy;
  readonly now: Date;
  /** Other open requests naming the same targets: target value → their tracking numbers. */
  readonly duplicates?: ReadonlyMap<string, readonly string[]>;
}

export type Citation = Source & { readonly id: string; readonly pack: string };

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
  /** The verdict the rule gives, when it gives one. */
  readonly verdict?: Outcome;
  readonly channel?: Channel;
}

/** Why a cell got its outcome: one rule that gave it, with its citation. */
export interface VerdictReason {
  readonly ruleId: string;
  readonly pack: string;
  readonly outcome: Outcome;
  readonly channel?: Channel;
  readonly message: { readonly en: string; readonly ko: string };
  readonly source: Citation;
  /** `both`: the officer may see this reason; `desk`: reviewers and counsel only (as the rule's finding says). */
  readonly audience: 'desk' | 'both';
}

export interface Verdict {
  /** The target as the request names it, and its position there. */
  readonly target: string;
  readonly targetIndex: number;
  readonly category: DataCategory;
  readonly outcome: Outcome;
  readonly channel?: Channel;
  /** The rules that gave the winning outcome (for `allow`: the bases that make disclosure lawful). */
  readonly basis: readonly VerdictReason[];
  /** Every other rule that gave an outcome for this cell, overruled by a stricter one. */
  readonly overruled: readonly VerdictReason[];
}

export interface RuleTrace {
  readonly ruleId: string;
  readonly pack: string;
  readonly fired: boolean;
  /** For a rule that did not fire: the first clause that did not hold, or `unless` when its exception applied. */
  readonly failed?: string;
  /** A fact the expression needed and the request lacks. */
  readonly undetermined?: string;
  /** How many target × category cells it fired for (rules that read a target or a category). */
  readonly cells?: number;
}

export interface Review {
  readonly findings: Finding[];
  readonly verdicts: Verdict[];
  /** Instants after the review's when a verdict or finding may change by time alone, soonest first. */
  readonly clocks: string[];
}

const SEVERITY_ORDER: Record<Severity, number> = { block: 0, needs_info: 1, warn: 2, info: 3 };
const OUTCOME_RANK: Record<Outcome, number> = Object.fromEntries(OUTCOMES.map((outcome, index) => [outcome, index])) as Record<
  Outcome,
  number
>;

/** Packs that apply to a request: its jurisdiction's, the instrument families it belongs to, and the cross-cutting ones. */
export function applicablePacks(packs: readonly RulePack[], jurisdiction: string): RulePack[] {
  const wanted = new Set([jurisdiction.toLowerCase(), 'global']);
  if (isEuMember(jurisdiction) || jurisdiction === 'EU') wanted.add('eu');
  if (jurisdiction === 'COE' || isEuMember(jurisdiction) || COE_PARTIES.has(jurisdiction)) wanted.add('coe');
  return packs.filter((pack) => wanted.has(pack.pack) || pack.applies_to.includes(jurisdiction));
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
  values: { categories: readonly DataCategory[]; due?: string; duplicates: readonly string[]; targets: number },
): string {
  if (!template.includes('{')) return template;
  return template
    .replaceAll('{categories}', values.categories.map((category) => LABELS[category][language]).join(', '))
    .replaceAll('{due}', values.due ?? '')
    .replaceAll('{duplicates}', values.duplicates.join(', '))
    .replaceAll('{targets}', String(values.targets));
}

interface PackRules {
  readonly pack: Pick<RulePack, 'pack' | 'sources'>;
  readonly rules: CompiledRule[];
}

// The packs and policy a review is given are loaded once and kept: their rules per jurisdiction are worked out once.
const rulesByJurisdiction = new WeakMap<readonly RulePack[], WeakMap<Policy, Map<string, PackRules[]>>>();

function rulesOf(request: ReviewRequest, context: ReviewContext): PackRules[] {
  let byPolicy = rulesByJurisdiction.get(context.packs);
  if (!byPolicy) rulesByJurisdiction.set(context.packs, (byPolicy = new WeakMap()));
  let byJurisdiction = byPolicy.get(context.policy);
  if (!byJurisdiction) byPolicy.set(context.policy, (byJurisdiction = new Map()));
  let found = byJurisdiction.get(request.jurisdiction);
  if (!found) {
    found = [...applicablePacks(context.packs, request.jurisdiction), context.policy].map((pack) => ({
      pack,
      rules: compileRules(pack.rules),
    }));
    byJurisdiction.set(request.jurisdiction, found);
  }
  return found;
}

function duplicatesOf(request: ReviewRequest, context: ReviewContext): string[] {
  const found = new Set<string>();
  if (context.duplicates) {
    for (const target of request.targets)
      for (const other of context.duplicates.get(target.value.trim().toLowerCase()) ?? []) found.add(other);
  }
  return [...found].sort();
}

function levelOf(request: ReviewRequest, context: ReviewContext, duplicates: readonly string[]): RequestLevelFacts {
  return requestFacts(request, {
    platform: {
      home: context.policy.home,
      options: context.policy.options,
      holds: context.policy.holds,
      neverProduces: context.policy.never_produces,
    },
    now: context.now,
    duplicateCount: duplicates.length,
  });
}

/** Targets grouped by identical facts: the rules cannot tell the members of a group apart. */
function targetGroups(targets: readonly TargetFacts[]): Array<{ facts: TargetFacts; members: number[] }> {
  const groups = new Map<string, { facts: TargetFacts; members: number[] }>();
  targets.forEach((target, index) => {
    const key = `${target.kind}|${target.role}|${target.location}|${target.residence}|${target.nationality}|${target.usPerson}|${target.accountState}|${target.named}|${target.protected.join(',')}|${target.vague}`;
    const group = groups.get(key);
    if (group) group.members.push(index);
    else groups.set(key, { facts: target, members: [index] });
  });
  return [...groups.values()];
}

const UNKNOWN_TARGET: TargetFacts = {
  kind: 'other',
  role: 'unknown',
  location: 'unknown',
  residence: 'unknown',
  nationality: 'unknown',
  usPerson: 'unknown',
  accountState: 'unknown',
  named: 'unknown',
  protected: [],
  vague: false,
};

/** Where one rule fired: for the whole request, or for these categories of these target groups. */
interface Firing {
  readonly all: boolean;
  readonly cells: ReadonlyArray<{ readonly group: number; readonly category: DataCategory }>;
  readonly error?: string;
  readonly failed?: string;
}

function evaluate(compiled: CompiledRule, facts: Facts, test = compiled.test): { fired: boolean; error?: string; unless?: boolean } {
  const result = holds(test, facts);
  if (!result.value) return result.error ? { fired: false, error: result.error } : { fired: false };
  if (compiled.exception) {
    const exception = holds(compiled.exception, facts);
    if (exception.value) return { fired: false, unless: true };
  }
  return { fired: true };
}

const NOT_FIRED: Firing = { all: false, cells: [] };

/**
 * Where a rule fires. With `guarded` (the facts of the request's first cell), a rule whose guards (`compile.ts`) show
 * a clause cannot hold is passed over, and cells whose guards fail are skipped, without running CEL: the outcome is
 * the same, but the errors and exceptions met on the way (which only `explainReview` reports) are not collected, so
 * `explainReview` runs unguarded.
 */
function fire(
  compiled: CompiledRule,
  level: RequestLevelFacts,
  groups: ReturnType<typeof targetGroups>,
  categories: readonly DataCategory[],
  guarded?: Facts,
): Firing {
  if (guarded && compiled.requestGuard && !compiled.requestGuard(guarded)) return NOT_FIRED;
  const first = groups[0]?.facts ?? UNKNOWN_TARGET;
  const atRequest = guarded ?? cellFacts(level, first, categories[0] ?? 'subscriber');
  const requestSure = guarded !== undefined && compiled.requestSure !== undefined && compiled.requestSure(guarded);
  if (compiled.requestTest && (compiled.readsTarget || compiled.readsCategory) && !requestSure) {
    // The clauses about the request alone decide for every cell at once: most rules end here.
    const result = holds(compiled.requestTest, atRequest);
    if (!result.value) return { all: false, cells: [], ...(result.error ? { error: result.error } : {}) };
  }
  const cellTest = compiled.requestTest ? (compiled.cellTest ?? TRUE) : compiled.test;
  if (!compiled.readsTarget && !compiled.readsCategory) {
    // Read with the first target and category: the rule reads neither, so any will do.
    const result = evaluate(compiled, atRequest, requestSure ? TRUE : compiled.test);
    return {
      all: result.fired,
      cells: [],
      ...(result.error ? { error: result.error } : {}),
      ...(result.unless ? { failed: 'unless' } : {}),
    };
  }
  const cells: Array<{ group: number; category: DataCategory }> = [];
  let error: string | undefined;
  let unless = false;
  const groupList = compiled.readsTarget ? groups.map((_, index) => index) : [0];
  for (const category of categories) {
    for (const group of groupList) {
      const facts = cellFacts(level, groups[group]?.facts ?? first, category);
      if (guarded && compiled.cellGuard && !compiled.cellGuard(facts)) continue;
      const sure = guarded !== undefined && compiled.cellSure !== undefined && compiled.cellSure(facts);
      const result = evaluate(compiled, facts, sure ? TRUE : cellTest);
      if (result.error) error ??= result.error;
      if (result.unless) unless = true;
      if (!result.fired) continue;
      if (compiled.readsTarget) cells.push({ group, category });
      else for (let each = 0; each < Math.max(groups.length, 1); each += 1) cells.push({ group: each, category });
    }
  }
  return { all: false, cells, ...(error ? { error } : {}), ...(unless && cells.length === 0 ? { failed: 'unless' } : {}) };
}

const TRUE = () => true;
const fired = (firing: Firing) => firing.all || firing.cells.length > 0;

function dueOf(rule: Rule, level: RequestLevelFacts): string | undefined {
  const due = rule.finding?.due;
  if (!due) return undefined;
  let from = level.request.receivedAt;
  if (due.from) {
    const [group, key] = due.from.split('.') as [string, string];
    const value = (level as unknown as Record<string, Record<string, unknown> | undefined>)[group]?.[key];
    if (typeof value !== 'string') return undefined;
    from = value;
  }
  return new Date(Date.parse(from) + due.hours * 3_600_000).toISOString();
}

function citationOf(pack: PackRules['pack'], id: string): Citation | undefined {
  const source = pack.sources[id];
  return source ? { id, pack: pack.pack, ...source } : undefined;
}

interface ReasonParts {
  readonly rule: Rule;
  readonly pack: string;
  readonly citation: Citation;
  readonly text: { readonly en: string; readonly ko: string };
  readonly duplicates: readonly string[];
  readonly targets: number;
  readonly due: string | undefined;
}

/** The reason a fired rule gives for cells of these categories. */
function reasonOf(parts: ReasonParts, cellCategories: readonly DataCategory[]): VerdictReason {
  const { rule, due } = parts;
  const values = { categories: cellCategories, duplicates: parts.duplicates, targets: parts.targets, ...(due ? { due } : {}) };
  return {
    ruleId: rule.id,
    pack: parts.pack,
    outcome: rule.verdict as Outcome,
    ...(rule.channel ? { channel: rule.channel } : {}),
    message: { en: fill(parts.text.en, 'en', values), ko: fill(parts.text.ko, 'ko', values) },
    source: parts.citation,
    audience: rule.finding?.audience ?? 'both',
  };
}

/** Reviews a request: its findings, and the verdict for every target × category. */
export function review(request: ReviewRequest, context: ReviewContext, options: { readonly unguarded?: boolean } = {}): Review {
  const duplicates = duplicatesOf(request, context);
  const level = levelOf(request, context, duplicates);
  const groups = targetGroups(level.targets);
  const groupOf = new Int32Array(level.targets.length);
  groups.forEach((group, index) => {
    for (const member of group.members) groupOf[member] = index;
  });
  const categories = level.request.categories;
  const findings: Finding[] = [];
  // Per cell (group × category): the reasons given, each with its outcome.
  const reasons = new Map<string, VerdictReason[]>();
  const wholeRequest: VerdictReason[] = [];

  const packs = rulesOf(request, context);
  const guarded = options.unguarded ? undefined : cellFacts(level, groups[0]?.facts ?? UNKNOWN_TARGET, categories[0] ?? 'subscriber');
  for (const { pack, rules } of packs) {
    for (const compiled of rules) {
      const firing = fire(compiled, level, groups, categories, guarded);
      if (!fired(firing)) continue;
      const { rule } = compiled;
      const due = dueOf(rule, level);
      const firedCategories = compiled.readsCategory ? [...new Set(firing.cells.map((cell) => cell.category))] : [];
      if (rule.finding) {
        const finding = rule.finding;
        const source = pack.sources[finding.source];
        if (source) {
          const splits =
            finding.per_category && firedCategories.length > 1 ? firedCategories.map((category) => [category]) : [firedCategories];
          for (const split of splits) {
            const values = { categories: split, duplicates, targets: request.targets.length, ...(due ? { due } : {}) };
            findings.push({
              ruleId: rule.id,
              pack: pack.pack,
              code: finding.code,
              severity: finding.severity,
              audience: finding.audience,
              categories: split,
              message: { en: fill(finding.message.en, 'en', values), ko: fill(finding.message.ko, 'ko', values) },
              source: { id: finding.source, ...source },
              ...(due ? { due } : {}),
              ...(finding.extension ? { extensionHours: finding.extension.hours } : {}),
              ...(rule.verdict ? { verdict: rule.verdict } : {}),
              ...(rule.channel ? { channel: rule.channel } : {}),
            });
          }
        }
      }
      if (!rule.verdict) continue;
      const sourceId = rule.source ?? rule.finding?.source;
      const citation = sourceId ? citationOf(pack, sourceId) : undefined;
      if (!citation) continue; // refused at load; kept out here too
      const text = rule.basis ?? rule.finding?.message ?? { en: rule.id, ko: rule.id };
      const reason = { rule, pack: pack.pack, citation, text, duplicates, targets: request.targets.length, due };
      if (firing.all) {
        wholeRequest.push(reasonOf(reason, categories));
        continue;
      }
      const byCategory = new Map<DataCategory, VerdictReason>();
      for (const cell of firing.cells) {
        let given = byCategory.get(cell.category);
        if (!given) byCategory.set(cell.category, (given = reasonOf(reason, [cell.category])));
        const key = `${cell.group}|${cell.category}`;
        const list = reasons.get(key);
        if (list) list.push(given);
        else reasons.set(key, [given]);
      }
    }
  }

  const noBasis = noBasisReason(context.policy);
  // One decision per group × category, shared by every target of the group.
  const decided = new Map<string, Pick<Verdict, 'outcome' | 'channel' | 'basis' | 'overruled'>>();
  const decide = (group: number, category: DataCategory) => {
    const key = `${group}|${category}`;
    let found = decided.get(key);
    if (found) return found;
    const all = [...wholeRequest, ...(reasons.get(key) ?? [])];
    const allowsSomething = all.some((reason) => reason.outcome === 'allow');
    const given = allowsSomething ? all : [...all, noBasis];
    let best: Outcome = 'allow';
    let bestRank = Number.POSITIVE_INFINITY;
    for (const reason of given) {
      const rank = OUTCOME_RANK[reason.outcome];
      if (rank < bestRank) {
        bestRank = rank;
        best = reason.outcome;
      }
    }
    const basis = given.filter((reason) => reason.outcome === best);
    const channel = basis.find((reason) => reason.channel)?.channel;
    found = { outcome: best, basis, overruled: given.filter((reason) => reason.outcome !== best), ...(channel ? { channel } : {}) };
    decided.set(key, found);
    return found;
  };
  const verdicts: Verdict[] = [];
  request.targets.forEach((target, index) => {
    for (const category of categories) {
      verdicts.push({ target: target.value, targetIndex: index, category, ...decide(groupOf[index] ?? 0, category) });
    }
  });

  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return { findings, verdicts, clocks: clocksAhead(level, findings, packs) };
}

/** Fact paths that are instants: when one passes, a rule may read it differently (a gag ends, a permit falls due). */
const INSTANT_FACTS = ['request.deadline', 'request.gagUntil', 'instrument.validUntil', 'history.preservationUntil'] as const;

function factAt(level: RequestLevelFacts, path: string): string | undefined {
  const [group, key] = path.split('.') as [string, string];
  const value = (level as unknown as Record<string, Record<string, unknown> | undefined>)[group]?.[key];
  return typeof value === 'string' ? value : undefined;
}

function clocksAhead(level: RequestLevelFacts, findings: readonly Finding[], packs: readonly PackRules[]): string[] {
  const now = Date.parse(level.at);
  const instants = new Set<number>();
  const add = (value: string | undefined, hours = 0) => {
    if (!value) return;
    const time = Date.parse(value) + hours * 3_600_000;
    if (Number.isFinite(time) && time > now) instants.add(time);
  };
  for (const finding of findings) add(finding.due);
  for (const path of INSTANT_FACTS) add(factAt(level, path));
  for (const { rules } of packs)
    for (const compiled of rules) for (const clock of compiled.clocks) add(factAt(level, clock.fact), clock.hours);
  // A clock passes just after its instant: `hours(x, at) > 36` holds only once 36 hours have gone by.
  return [...instants].sort((a, b) => a - b).map((time) => new Date(time + 1000).toISOString());
}

const DEFAULT_NO_BASIS: VerdictReason = {
  ruleId: 'no-basis',
  pack: 'engine',
  outcome: 'needs_info',
  audience: 'both',
  message: {
    en: 'No rule of the packs that apply gives a lawful basis for disclosing this; the desk must find one or ask the agency.',
    ko: '적용되는 규칙 중 이 정보를 제공할 법적 근거를 주는 규칙이 없습니다. 데스크가 근거를 찾거나 기관에 문의해야 합니다.',
  },
  source: {
    id: 'no-basis',
    pack: 'engine',
    cite: 'No lawful basis found in the rule packs that apply (GNI Principles: legal basis)',
    status: 'believed',
  },
};

function noBasisReason(policy: Policy): VerdictReason {
  if (!policy.no_basis) return DEFAULT_NO_BASIS;
  const source = policy.sources[policy.no_basis.source];
  if (!source) return DEFAULT_NO_BASIS;
  return {
    ...DEFAULT_NO_BASIS,
    pack: 'policy',
    message: policy.no_basis.message,
    source: { id: policy.no_basis.source, pack: 'policy', ...source },
  };
}

/** The findings on a request (see `review` for the verdicts as well). */
export const reviewRequest = (request: ReviewRequest, context: ReviewContext): Finding[] => review(request, context).findings;

/** Every rule that applies to the request, whether it fired, and if not why not: for a reviewer who asks. */
export function explainReview(request: ReviewRequest, context: ReviewContext): RuleTrace[] {
  const level = levelOf(request, context, duplicatesOf(request, context));
  const groups = targetGroups(level.targets);
  const categories = level.request.categories;
  return rulesOf(request, context).flatMap(({ pack, rules }) =>
    rules.map((compiled): RuleTrace => {
      const firing = fire(compiled, level, groups, categories);
      const base = { ruleId: compiled.rule.id, pack: pack.pack };
      const cells = compiled.readsCategory || compiled.readsTarget ? { cells: cellsOf(firing, groups) } : {};
      if (fired(firing)) return { ...base, fired: true, ...cells };
      if (firing.failed) return { ...base, fired: false, failed: firing.failed };
      // The first clause that does not hold for any cell.
      const cellsToTry: Facts[] = [];
      const first = groups[0]?.facts ?? UNKNOWN_TARGET;
      for (const category of categories.length ? categories : (['subscriber'] as const))
        for (const group of compiled.readsTarget ? groups : [{ facts: first }]) cellsToTry.push(cellFacts(level, group.facts, category));
      const failing = compiled.clauses.find((clause) => cellsToTry.every((facts) => !holds(clause.test, facts).value));
      return {
        ...base,
        fired: false,
        ...(failing ? { failed: failing.source } : {}),
        ...(firing.error ? { undetermined: firing.error } : {}),
      };
    }),
  );
}

const cellsOf = (firing: Firing, groups: ReturnType<typeof targetGroups>) =>
  firing.cells.reduce((sum, cell) => sum + (groups[cell.group]?.members.length ?? 0), 0);

/** The verdicts an officer sees: every cell's outcome, with only the reasons meant for them. */
export const verdictsForAgency = (verdicts: readonly Verdict[]): Verdict[] =>
  verdicts.map((verdict) => ({
    ...verdict,
    basis: verdict.basis.filter((reason) => reason.audience === 'both'),
    overruled: verdict.overruled.filter((reason) => reason.audience === 'both'),
  }));

/** The findings an officer sees: those meant for them, never the desk's own. */
export const forAgency = (findings: readonly Finding[]): Finding[] => findings.filter((finding) => finding.audience === 'both');

/** `block` findings that concern any of these categories (or the whole request). */
export const blocking = (findings: readonly Finding[], categories: readonly DataCategory[]): Finding[] =>
  findings.filter(
    (finding) =>
      finding.severity === 'block' &&
      (finding.categories.length === 0 || finding.categories.some((category) => categories.includes(category))),
  );
