/**
 * The facts model: everything a rule may look at, and nothing else. Rules read facts, never the request as stored and
 * never free text: `factsOf` derives the facts from a stored request (so every existing request can be reviewed) and
 * lets an optional `facts` object the agency or the desk supplied override and extend them (a target's role, the
 * instrument's form and dates, the history of earlier measures, offence and protected-person facts).
 *
 * Facts are evaluated per cell, target × category. The names below are the paths rules use (`target.role`,
 * `instrument.form`, `history.emergencyStartedAt`, ...); `docs/facts.schema.json` is this schema as JSON Schema.
 */
import { z } from 'zod';
import { DATA_CATEGORIES, IDENTIFIER_KINDS, INSTRUMENT_TYPES, ISSUER_TYPES, REQUEST_KINDS } from '../request.ts';
import type { DataCategory, IdentifierKind, InstrumentType, IssuerType, RequestKind } from '../request.ts';
import { signal } from './text-signals.ts';
import {
  DEFAULT_ISSUER_ROLE,
  INSTRUMENT_FORMS,
  INSTRUMENT_FORM_IDS,
  ISSUER_ROLES,
  ISSUER_ROLE_IDS,
  OFFENCE_LIST_IDS,
  PROTECTED_STATUSES,
  TARGET_ROLES,
  isEuMember,
  type InstrumentForm,
} from './vocabulary.ts';

export { PROTECTED_STATUSES, TARGET_ROLES, isEuMember };

const instant = z.iso.datetime({ offset: true }).describe('an instant, ISO 8601 with offset (2026-11-20T12:00:00Z)');
const country = z
  .string()
  .regex(/^(?:[A-Z]{2}|unknown)$/)
  .describe('an ISO 3166 alpha-2 country code, or "unknown"');
const triState = z.enum(['yes', 'no', 'unknown']);

export const ACCOUNT_STATES = ['active', 'suspended', 'deleted', 'not_found', 'unknown'] as const;
export const MISSING_FIELDS = [
  'date_range',
  'offence',
  'offence_penalty',
  'documents',
  'case_reference',
  'issuing_authority',
  'issuer',
  'summary',
] as const;
export type MissingField = (typeof MISSING_FIELDS)[number];

/** One target, as the rules see it. */
export const targetFactsSchema = z.strictObject({
  kind: z.enum(IDENTIFIER_KINDS).describe('how the agency identified it'),
  role: z.enum(TARGET_ROLES).describe("the person's role in the case as the process states it"),
  location: country.describe('where the person is believed to be'),
  residence: country.describe('where the person resides'),
  nationality: country,
  usPerson: triState.describe('a "United States person" (US citizen or permanent resident; 50 U.S.C. 1801(i))'),
  accountState: z.enum(ACCOUNT_STATES),
  named: triState.describe('whether the legal process itself names this target'),
  protected: z.array(z.enum(PROTECTED_STATUSES)).describe('protected professions or immunities that apply'),
  vague: z.boolean().describe('identified only by a description or display name'),
});
export type TargetFacts = z.infer<typeof targetFactsSchema>;

/** The facts of the whole request (one per request). */
export const requestFactsSchema = z.strictObject({
  kind: z.enum(REQUEST_KINDS),
  jurisdiction: z.string().describe('whose law the process invokes: KR, US, EU, COE, FR, ...'),
  foreign: z.boolean().describe("the jurisdiction is not one of the platform's home jurisdictions"),
  receivedAt: instant,
  emergency: z.boolean().describe('an emergency: the kind is emergency, or the facts say so (emergency and real-time may combine)'),
  realTime: z.boolean().describe('prospective collection: the kind is prospective, or the facts say so'),
  categories: z.array(z.enum(DATA_CATEGORIES)),
  targetCount: z.number(),
  targetKinds: z.array(z.enum(IDENTIFIER_KINDS)),
  vagueTargets: z.boolean(),
  missing: z.array(z.enum(MISSING_FIELDS)).describe('required contents the request lacks'),
  rangeFrom: instant.optional(),
  rangeTo: instant.optional(),
  rangeDays: z.number().optional().describe('length of the date range in days'),
  deadline: instant.optional(),
  gag: z.enum(['none', 'ordered_until', 'ordered_without_end']).describe('a non-disclosure order, and whether it has an end'),
  gagUntil: instant.optional(),
  duplicateCount: z.number().describe('other open requests naming the same targets'),
  threatToLife: z
    .boolean()
    .describe('the facts (or, failing them, the danger described, read with negation) show a danger of death or serious injury'),
  network: z.boolean().describe('the request reaches a group, its members or a contact network'),
  protectedGroup: z.boolean().describe('journalists, political groups, activists or protest are concerned'),
  journalist: z.boolean().describe("a journalist or a journalist's source is concerned (the facts, or the text read with negation)"),
  terrorism: z.boolean().describe('the matter is terrorist content or a terrorist offence'),
});
export type RequestFacts = z.infer<typeof requestFactsSchema>;

export const requesterFactsSchema = z.strictObject({
  status: z.enum(['verified', 'pending', 'suspended', 'blocklisted', 'unknown']),
  jurisdiction: z.string().describe('where the directory registers the agency, or "unknown"'),
  jurisdictionMismatch: z.boolean().describe('the agency is registered elsewhere than the jurisdiction its process invokes'),
});

export const instrumentFactsSchema = z.strictObject({
  type: z.enum(INSTRUMENT_TYPES).describe('the coarse family'),
  form: z.enum(INSTRUMENT_FORM_IDS).describe('the instrument as the law names it (vocabulary.ts)'),
  issuer: z.enum(ISSUER_TYPES).or(z.literal('unknown')).describe('the coarse issuer type'),
  issuerRole: z.enum(ISSUER_ROLE_IDS).describe('the issuer as the law names it'),
  validatedBy: z.enum(ISSUER_ROLE_IDS).or(z.literal('none')).describe('who validated an order issued by another authority'),
  documents: z.number().describe('documents attached'),
  issuedAt: instant.optional(),
  validFrom: instant.optional(),
  validUntil: instant.optional(),
  periodDays: z.number().optional().describe('the period this instrument authorises, in days'),
  renewal: z.number().describe('0 for a first authorisation, 1 for the first renewal or extension, ...'),
  cumulativeDays: z.number().optional().describe('total days authorised so far, this instrument included'),
  legalBasis: z.string().optional().describe('the article the process invokes, as written'),
  urgent: z.boolean().describe('issued under an urgency procedure'),
});

export const historyFactsSchema = z.strictObject({
  preservationCount: z.number().describe('earlier preservations of the same data'),
  firstPreservationAt: instant.optional(),
  preservationUntil: instant.optional().describe('when the current preservation ends'),
  preservationExtensions: z.number(),
  emergencyStartedAt: instant.optional().describe('when an emergency measure began'),
  permitServedAt: instant.optional().describe('when the court permit owed for the emergency measure was served'),
  permitRefused: z.boolean(),
  earlierExtensions: z.number().describe('extensions already granted for this measure'),
});

export const offenceFactsSchema = z.strictObject({
  described: z.boolean(),
  maxPenaltyYears: z.number().optional(),
  lists: z.array(z.enum(OFFENCE_LIST_IDS)).describe('statutory lists the offence is on'),
  committedOnline: triState.describe('committed by means of an electronic network or information system'),
  speech: z.boolean().describe('the offence punishes speech (insult, defamation, "false rumours")'),
  soleAimIdentify: z.boolean().describe('the data is asked for solely to identify the author'),
  missingPerson: z.boolean(),
  victimRequest: z.boolean().describe("the victim's own data, at the victim's request"),
  sentenceMonths: z.number().optional().describe('for enforcing a custodial sentence: its length in months'),
});

export const dataFactsSchema = z.strictObject({
  held: z.boolean().describe('the platform holds this category (policy)'),
  neverProduced: z.boolean().describe('the platform never produces it (policy)'),
  beyondRetention: z.boolean().describe('the range starts before what the platform keeps of it'),
});

export const platformFactsSchema = z.strictObject({
  home: z.array(z.string()),
  options: z.array(z.string()).describe("optional practices the platform's policy turns on (policy.yaml `options`)"),
});

/** Everything one cell is reviewed on. The top-level keys are the variables of every rule expression. */
export const factsSchema = z.strictObject({
  request: requestFactsSchema,
  requester: requesterFactsSchema,
  instrument: instrumentFactsSchema,
  history: historyFactsSchema,
  offence: offenceFactsSchema,
  platform: platformFactsSchema,
  target: targetFactsSchema,
  category: z.enum(DATA_CATEGORIES),
  data: dataFactsSchema,
  at: instant.describe('the instant the review is for'),
});
export type Facts = z.infer<typeof factsSchema>;

// ---------------------------------------------------------------------------------------------------------------
// What an agency or the desk may state beyond the stored request: every field optional, each overriding what would
// otherwise be derived.

const targetInput = z.strictObject({
  value: z.string().min(1).max(2000).optional().describe('the identifier as written in the request (matched case-insensitively)'),
  index: z.number().int().nonnegative().optional().describe('or the target by its position in the request'),
  role: z.enum(TARGET_ROLES).optional(),
  location: country.optional(),
  residence: country.optional(),
  nationality: country.optional(),
  usPerson: z.boolean().optional(),
  accountState: z.enum(ACCOUNT_STATES).optional(),
  named: z.boolean().optional(),
  protected: z.array(z.enum(PROTECTED_STATUSES)).max(7).optional(),
});

export const factsInputSchema = z
  .strictObject({
    instrument: z
      .strictObject({
        form: z.enum(INSTRUMENT_FORM_IDS).optional(),
        issuerRole: z.enum(ISSUER_ROLE_IDS).optional(),
        validatedBy: z.enum(ISSUER_ROLE_IDS).optional(),
        issuedAt: instant.optional(),
        validFrom: instant.optional(),
        validUntil: instant.optional(),
        periodDays: z.number().nonnegative().max(36_500).optional(),
        renewal: z.number().int().nonnegative().max(1000).optional(),
        cumulativeDays: z.number().nonnegative().max(36_500).optional(),
        legalBasis: z.string().max(500).optional(),
        urgent: z.boolean().optional(),
        namesAllTargets: z.boolean().optional().describe('the process names every target listed'),
      })
      .optional(),
    history: z
      .strictObject({
        preservations: z
          .array(
            z.strictObject({
              startedAt: instant,
              until: instant.optional(),
              extensions: z.number().int().nonnegative().max(100).default(0),
            }),
          )
          .max(100)
          .optional(),
        emergencyStartedAt: instant.optional(),
        permitServedAt: instant.optional(),
        permitRefused: z.boolean().optional(),
        earlierExtensions: z.number().int().nonnegative().max(1000).optional(),
      })
      .optional(),
    offence: z
      .strictObject({
        maxPenaltyYears: z.number().nonnegative().max(1000).optional(),
        lists: z.array(z.enum(OFFENCE_LIST_IDS)).max(20).optional(),
        committedOnline: z.boolean().optional(),
        speech: z.boolean().optional(),
        soleAimIdentify: z.boolean().optional(),
        missingPerson: z.boolean().optional(),
        victimRequest: z.boolean().optional(),
        sentenceMonths: z.number().nonnegative().max(12_000).optional(),
      })
      .optional(),
    emergency: z
      .strictObject({
        threatToLife: z.boolean().optional(),
        realTime: z.boolean().optional().describe('an emergency that also asks for real-time collection'),
        isEmergency: z.boolean().optional().describe('a request of another kind made under urgency'),
      })
      .optional(),
    request: z
      .strictObject({
        network: z.boolean().optional(),
        protectedGroup: z.boolean().optional(),
        journalist: z.boolean().optional(),
        terrorism: z.boolean().optional(),
        deadline: instant.optional(),
      })
      .optional(),
    targets: z.array(targetInput).max(10_000).optional(),
  })
  .describe('facts stated beyond the request itself; each overrides what Writ would otherwise derive');
export type FactsInput = z.infer<typeof factsInputSchema>;

// ---------------------------------------------------------------------------------------------------------------

/** The request as the engine takes it: what is stored, plus the optional stated facts. */
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
  readonly deadline?: string | null;
  /** The requesting agency as the directory knows it. */
  readonly requester?: { readonly status: string; readonly jurisdiction: string | null } | null;
  /** Facts stated beyond the request (validated by `factsInputSchema`). */
  readonly facts?: FactsInput | null;
}

/** What the platform's policy contributes to the facts. */
export interface PlatformFacts {
  readonly home: readonly string[];
  /** Optional practices the policy turns on (e.g. `suspects_named_in_judicial_order`). */
  readonly options?: readonly string[];
  readonly holds: Partial<Record<DataCategory, { readonly held: boolean; readonly days?: number | undefined }>>;
  readonly neverProduces: readonly DataCategory[];
}

/** The facts shared by every cell of a request; `targets` and `data` vary per cell. */
export interface RequestLevelFacts {
  readonly request: RequestFacts;
  readonly requester: Facts['requester'];
  readonly instrument: Facts['instrument'];
  readonly history: Facts['history'];
  readonly offence: Facts['offence'];
  readonly platform: Facts['platform'];
  readonly at: string;
  readonly targets: readonly TargetFacts[];
  readonly data: Readonly<Partial<Record<DataCategory, Facts['data']>>>;
  /** Free text kept for messages only (never for rules). */
  readonly text: string;
}

const DAY = 86_400_000;

function missingFields(request: ReviewRequest): MissingField[] {
  const missing: MissingField[] = [];
  if (!request.dateRange) missing.push('date_range');
  if (!request.offence) missing.push('offence');
  if (request.offence?.maximumPenaltyYears === undefined && request.facts?.offence?.maxPenaltyYears === undefined)
    missing.push('offence_penalty');
  if (request.legalProcess.documents === 0) missing.push('documents');
  if (!request.caseReference) missing.push('case_reference');
  if (!request.legalProcess.issuingAuthority) missing.push('issuing_authority');
  if (!request.legalProcess.issuerType && !request.facts?.instrument?.issuerRole) missing.push('issuer');
  if (!request.summary) missing.push('summary');
  return missing;
}

const REQUESTER_STATUSES = new Set(['verified', 'pending', 'suspended', 'blocklisted']);
const tri = (value: boolean | undefined) => (value === undefined ? 'unknown' : value ? 'yes' : 'no');
const defined = <T extends object>(value: T): T => {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined && item !== null) out[key] = item;
  return out as T;
};

function formOf(request: ReviewRequest): InstrumentForm {
  const stated = request.facts?.instrument?.form;
  if (stated) return stated;
  return `generic_${request.legalProcess.instrumentType}` as InstrumentForm;
}

/** The facts of a request: derived from what is stored, then overridden by the stated facts. */
export function requestFacts(
  request: ReviewRequest,
  context: { readonly platform: PlatformFacts; readonly now: Date; readonly duplicateCount?: number },
): RequestLevelFacts {
  const stated = request.facts ?? {};
  const text = [request.summary ?? '', request.offence?.description ?? '', ...request.targets.map((target) => target.note ?? '')].join(
    '\n',
  );
  const danger = request.emergency?.dangerDescription ?? '';
  const form = formOf(request);
  const formFamily = INSTRUMENT_FORMS[form].family;
  const type: InstrumentType = stated.instrument?.form ? formFamily : request.legalProcess.instrumentType;
  const issuerRole =
    stated.instrument?.issuerRole ?? (request.legalProcess.issuerType ? DEFAULT_ISSUER_ROLE[request.legalProcess.issuerType] : 'unknown');
  const issuer = issuerRole === 'unknown' ? 'unknown' : ISSUER_ROLES[issuerRole].family;
  const range = request.dateRange;
  const rangeDays = range ? (Date.parse(range.to) - Date.parse(range.from)) / DAY : undefined;
  const gagOrdered = request.nonDisclosure?.ordered === true;
  const offenceInput = stated.offence ?? {};
  const maxPenaltyYears = offenceInput.maxPenaltyYears ?? request.offence?.maximumPenaltyYears;
  const preservations = [...(stated.history?.preservations ?? [])].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  const lastPreservation = preservations.at(-1);
  const isEmergency = request.kind === 'emergency' || stated.emergency?.isEmergency === true;
  const requesterStatus = request.requester?.status;
  const requesterJurisdiction = request.requester?.jurisdiction ?? null;
  const covers =
    !requesterJurisdiction ||
    requesterJurisdiction === request.jurisdiction ||
    (request.jurisdiction === 'EU' && isEuMember(requesterJurisdiction)) ||
    request.jurisdiction === 'COE';

  const namesAll = stated.instrument?.namesAllTargets;
  const targetInputs = stated.targets ?? [];
  const byValue = new Map<string, (typeof targetInputs)[number]>();
  const byIndex = new Map<number, (typeof targetInputs)[number]>();
  for (const item of targetInputs) {
    if (item.value !== undefined) byValue.set(item.value.trim().toLowerCase(), item);
    if (item.index !== undefined) byIndex.set(item.index, item);
  }
  const targets = request.targets.map((target, index): TargetFacts => {
    const given = byIndex.get(index) ?? byValue.get(target.value.trim().toLowerCase());
    return {
      kind: target.kind,
      role: given?.role ?? 'unknown',
      location: given?.location ?? 'unknown',
      residence: given?.residence ?? 'unknown',
      nationality: given?.nationality ?? 'unknown',
      usPerson: tri(given?.usPerson),
      accountState: given?.accountState ?? 'unknown',
      named: tri(given?.named ?? namesAll),
      protected: given?.protected ?? [],
      vague: target.kind === 'other',
    };
  });

  const now = context.now;
  const data: Partial<Record<DataCategory, Facts['data']>> = {};
  const from = range ? Date.parse(range.from) : undefined;
  for (const category of request.categories) {
    const holds = context.platform.holds[category];
    const days = holds?.days;
    data[category] = {
      held: holds?.held !== false,
      neverProduced: context.platform.neverProduces.includes(category),
      beyondRetention: from !== undefined && days !== undefined && from < now.getTime() - days * DAY,
    };
  }

  return {
    request: defined({
      kind: request.kind,
      jurisdiction: request.jurisdiction,
      foreign: !context.platform.home.includes(request.jurisdiction),
      receivedAt: request.receivedAt,
      emergency: isEmergency,
      realTime: request.kind === 'prospective' || stated.emergency?.realTime === true,
      categories: [...request.categories],
      targetCount: request.targets.length,
      targetKinds: [...new Set(request.targets.map((target) => target.kind))],
      vagueTargets: request.targets.some((target) => target.kind === 'other'),
      missing: missingFields(request),
      rangeFrom: range?.from,
      rangeTo: range?.to,
      rangeDays,
      deadline: stated.request?.deadline ?? request.deadline ?? undefined,
      gag: !gagOrdered ? 'none' : request.nonDisclosure?.until ? 'ordered_until' : 'ordered_without_end',
      gagUntil: gagOrdered ? (request.nonDisclosure?.until ?? undefined) : undefined,
      duplicateCount: context.duplicateCount ?? 0,
      threatToLife: stated.emergency?.threatToLife ?? signal(danger, 'threatToLife'),
      network: stated.request?.network ?? signal(text, 'network'),
      protectedGroup: stated.request?.protectedGroup ?? signal(text, 'protectedGroup'),
      journalist:
        stated.request?.journalist ??
        (stated.targets?.some((target) => target.protected?.includes('journalist')) || signal(text, 'journalist')),
      terrorism: stated.request?.terrorism ?? (offenceInput.lists?.includes('terrorism') || signal(text, 'terrorism')),
    }) as RequestFacts,
    requester: {
      status: requesterStatus && REQUESTER_STATUSES.has(requesterStatus) ? (requesterStatus as 'verified') : 'unknown',
      jurisdiction: requesterJurisdiction ?? 'unknown',
      jurisdictionMismatch: !covers,
    },
    instrument: defined({
      type,
      form,
      issuer,
      issuerRole,
      validatedBy: stated.instrument?.validatedBy ?? 'none',
      documents: request.legalProcess.documents,
      issuedAt: stated.instrument?.issuedAt,
      validFrom: stated.instrument?.validFrom,
      validUntil: stated.instrument?.validUntil,
      periodDays: stated.instrument?.periodDays,
      renewal: stated.instrument?.renewal ?? 0,
      cumulativeDays: stated.instrument?.cumulativeDays,
      legalBasis: stated.instrument?.legalBasis,
      urgent: stated.instrument?.urgent ?? isEmergency,
    }) as Facts['instrument'],
    history: defined({
      preservationCount: preservations.length,
      firstPreservationAt: preservations[0]?.startedAt,
      preservationUntil: lastPreservation?.until,
      preservationExtensions: preservations.reduce((sum, item) => sum + item.extensions, 0),
      emergencyStartedAt: stated.history?.emergencyStartedAt ?? (isEmergency ? request.receivedAt : undefined),
      permitServedAt: stated.history?.permitServedAt,
      permitRefused: stated.history?.permitRefused ?? false,
      earlierExtensions: stated.history?.earlierExtensions ?? 0,
    }) as Facts['history'],
    offence: defined({
      described: Boolean(request.offence),
      maxPenaltyYears,
      lists: offenceInput.lists ?? [],
      committedOnline: tri(offenceInput.committedOnline),
      speech: offenceInput.speech ?? signal(text, 'speech'),
      soleAimIdentify: offenceInput.soleAimIdentify ?? false,
      missingPerson: offenceInput.missingPerson ?? false,
      victimRequest: offenceInput.victimRequest ?? false,
      sentenceMonths: offenceInput.sentenceMonths,
    }) as Facts['offence'],
    platform: { home: [...context.platform.home], options: [...(context.platform.options ?? [])] },
    at: now.toISOString(),
    targets,
    data,
    text,
  };
}

/** The facts of one cell, as a rule sees them. */
export const cellFacts = (level: RequestLevelFacts, target: TargetFacts, category: DataCategory): Facts => ({
  request: level.request,
  requester: level.requester,
  instrument: level.instrument,
  history: level.history,
  offence: level.offence,
  platform: level.platform,
  at: level.at,
  target,
  category,
  data: level.data[category] ?? { held: true, neverProduced: false, beyondRetention: false },
});

/** The facts model and the stated-facts input, as JSON Schema (written to docs/ by `writ facts-schema`). */
export const factsJsonSchema = () => ({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Writ review facts',
  $defs: {
    facts: z.toJSONSchema(factsSchema, { io: 'input' }),
    factsInput: z.toJSONSchema(factsInputSchema, { io: 'input' }),
  },
});
