/**
 * A review with nothing stored: the body `writ review` reads and `POST /api/v1/review` accepts, and the one function
 * both call. The body is the submission payload (POST /api/v1/requests) plus `facts`, made forgiving for people who
 * write requests from statutes rather than from a form: most fields have defaults, enum values may be any case, a
 * target may be a bare string (its kind guessed from its shape), and the legal process is taken to be attached
 * unless `documents: 0` says otherwise. Unknown fields are still refused, with their path: a typo must not pass
 * silently as a missing fact.
 */
import { z } from 'zod';
import { DATA_CATEGORIES, IDENTIFIER_KINDS, INSTRUMENT_TYPES, ISSUER_TYPES, REQUEST_KINDS, type IdentifierKind } from '../request.ts';
import { explainReview, applicablePacks, review, type ReviewContext, type Review, type RuleTrace } from './engine.ts';
import { factsInputSchema, requestFacts, type ReviewRequest } from './facts.ts';

const lower = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((value) => (typeof value === 'string' ? value.trim().toLowerCase().replaceAll('-', '_') : value), z.enum(values));
const instant = z.iso.datetime({ offset: true });
/** A day or an instant; a day means its start, UTC. */
const dayOrInstant = z.union([instant, z.iso.date().transform((day) => `${day}T00:00:00Z`)]);

/** The kind of a bare identifier, from its shape. */
export function guessIdentifierKind(value: string): IdentifierKind {
  const text = value.trim();
  if (/^https?:\/\//iu.test(text)) return 'url';
  if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/u.test(text)) return 'email';
  if (/^\+?[\d\s().-]{7,}$/u.test(text)) return 'phone';
  if (/^(?:\d{1,3}\.){3}\d{1,3}$|^[0-9a-f:]+:[0-9a-f:]*$/iu.test(text)) return 'ip';
  if (/^\d{5,}$/u.test(text)) return 'user_id';
  return 'username';
}

const targetSchema = z.union([
  z
    .string()
    .trim()
    .min(1)
    .max(512)
    .transform((value): { kind: IdentifierKind; value: string; note?: string } => ({ kind: guessIdentifierKind(value), value })),
  z.strictObject({
    kind: lower(IDENTIFIER_KINDS).optional(),
    value: z.string().trim().min(1).max(512),
    note: z.string().max(1000).optional(),
  }),
]);

export const reviewInputSchema = z
  .strictObject({
    kind: lower(REQUEST_KINDS).default('disclosure'),
    jurisdiction: z
      .string()
      .trim()
      .transform((value) => value.toUpperCase())
      .pipe(z.string().regex(/^(?:[A-Z]{2}|EU|COE)$/, 'an ISO 3166-1 alpha-2 code, EU or COE')),
    caseReference: z.string().max(200).optional(),
    summary: z.string().max(10_000).optional(),
    legalProcess: z
      .strictObject({
        instrumentType: lower(INSTRUMENT_TYPES).default('other'),
        issuerType: lower(ISSUER_TYPES).optional(),
        issuingAuthority: z.string().max(300).optional(),
        reference: z.string().max(200).optional(),
        issuedOn: z.string().max(40).optional(),
        documents: z.number().int().min(0).max(100).optional().describe('how many documents are attached; 1 unless said'),
        documentIds: z.array(z.string()).max(20).optional(),
      })
      .default({ instrumentType: 'other' }),
    targets: z.array(targetSchema).max(10_000).default([]),
    categories: z.array(lower(DATA_CATEGORIES)).max(DATA_CATEGORIES.length).default([]),
    dateRange: z.strictObject({ from: dayOrInstant, to: dayOrInstant }).optional(),
    offence: z
      .strictObject({
        description: z.string().max(2000).default('(not described)'),
        maximumPenaltyYears: z.number().min(0).max(1000).optional(),
      })
      .optional(),
    nonDisclosure: z.strictObject({ ordered: z.boolean(), until: z.string().max(40).optional() }).optional(),
    deadline: dayOrInstant.optional(),
    emergency: z.strictObject({ dangerDescription: z.string().max(5000).default(''), attestation: z.boolean().optional() }).optional(),
    facts: factsInputSchema.optional(),
    receivedAt: dayOrInstant.optional().describe('when the platform received it; the review instant unless said'),
    requester: z
      .strictObject({
        status: lower(['verified', 'pending', 'suspended', 'blocklisted'] as const).default('verified'),
        jurisdiction: z.string().max(10).optional(),
      })
      .optional(),
    at: dayOrInstant.optional().describe('the instant to review at; now unless said (the CLI --at wins)'),
  })
  .describe('A request to review without storing it: the submission payload plus facts, with defaults.');
export type ReviewInput = z.input<typeof reviewInputSchema>;

export interface DryRunResult extends Review {
  readonly at: string;
  readonly packs: readonly string[];
  readonly rules?: RuleTrace[];
  /** With explain: the facts every cell shares, as the rules saw them, and each target's. */
  readonly facts?: unknown;
}

/** The engine's view of a parsed body. */
export function reviewRequestOf(input: z.output<typeof reviewInputSchema>, at: Date): ReviewRequest {
  return {
    kind: input.kind,
    jurisdiction: input.jurisdiction,
    caseReference: input.caseReference ?? null,
    summary: input.summary ?? null,
    legalProcess: {
      instrumentType: input.legalProcess.instrumentType,
      issuerType: input.legalProcess.issuerType ?? null,
      issuingAuthority: input.legalProcess.issuingAuthority ?? null,
      documents: input.legalProcess.documents ?? input.legalProcess.documentIds?.length ?? 1,
    },
    categories: [...new Set(input.categories)],
    targets: input.targets.map((target) => ({
      kind: target.kind ?? guessIdentifierKind(target.value),
      value: target.value,
      note: target.note ?? null,
    })),
    dateRange: input.dateRange ?? null,
    offence: input.offence ?? null,
    nonDisclosure: input.nonDisclosure ? { ordered: input.nonDisclosure.ordered, until: input.nonDisclosure.until ?? null } : null,
    emergency: input.emergency ? { dangerDescription: input.emergency.dangerDescription } : null,
    receivedAt: input.receivedAt ?? at.toISOString(),
    deadline: input.deadline ?? null,
    requester: input.requester ? { status: input.requester.status, jurisdiction: input.requester.jurisdiction ?? null } : null,
    facts: input.facts ?? null,
  };
}

/** Reviews a parsed body at `at` (or the body's own `at`, or the context's time). */
export function dryRunReview(
  input: z.output<typeof reviewInputSchema>,
  context: Omit<ReviewContext, 'now'> & { readonly now: Date },
  options: { readonly at?: Date; readonly explain?: boolean } = {},
): DryRunResult {
  const at = options.at ?? (input.at ? new Date(input.at) : context.now);
  const request = reviewRequestOf(input, at);
  const full = { ...context, now: at };
  const { findings, verdicts, clocks } = review(request, full);
  const packs = [...applicablePacks(context.packs, request.jurisdiction).map((pack) => pack.pack), 'policy'];
  if (!options.explain) return { at: at.toISOString(), packs, findings, verdicts, clocks };
  const level = requestFacts(request, {
    platform: { home: context.policy.home, holds: context.policy.holds, neverProduces: context.policy.never_produces },
    now: at,
  });
  const { text: _text, ...facts } = level;
  return { at: at.toISOString(), packs, findings, verdicts, clocks, rules: explainReview(request, full), facts };
}
