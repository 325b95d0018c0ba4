/** What the desk sends about email intake: list filters, corrections to a draft, confirming and discarding it. */
import { z } from 'zod';
import { DRAFT_STATUSES, INTAKE_KINDS, INTAKE_MESSAGE_STATUSES } from './intake.ts';
import { DATA_CATEGORIES, INSTRUMENT_TYPES } from './request.ts';
import { jurisdictionSchema } from './schemas.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const list = (max: number) => z.array(text(512)).max(max);

export const listIntakeMessagesQuerySchema = z.strictObject({
  status: z.enum(INTAKE_MESSAGE_STATUSES).optional(),
  draftId: z.uuid().optional().describe("One draft's messages: the first and its follow-ups."),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const listDraftsQuerySchema = z.strictObject({
  status: z.enum(DRAFT_STATUSES).optional().describe('open (the default queue), confirmed or discarded.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

/** Each field as it should be; null clears it, a list replaces the extracted one. Fields not sent stay as they are. */
export const draftCorrectionsSchema = z.strictObject({
  kind: z.enum(INTAKE_KINDS).nullable().optional(),
  agencyId: z.uuid().nullable().optional().describe('The agency in the directory the request is from.'),
  requestingAgency: text(300).nullable().optional(),
  requestingUnit: text(300).nullable().optional(),
  officerName: text(200).nullable().optional(),
  officerTitle: text(200).nullable().optional(),
  contactEmail: text(320).nullable().optional(),
  contactPhone: text(40).nullable().optional(),
  contactAddress: text(500).nullable().optional(),
  caseNumber: text(200).nullable().optional(),
  referenceNumbers: list(50).optional(),
  legalBasis: list(50).optional(),
  instrumentType: z.enum(INSTRUMENT_TYPES).nullable().optional(),
  jurisdictionCountry: jurisdictionSchema.nullable().optional(),
  jurisdictionSubdivision: text(200).nullable().optional(),
  court: text(300).nullable().optional(),
  targets: z
    .strictObject({
      usernames: list(10_000).optional(),
      emails: list(10_000).optional(),
      phone_numbers: list(10_000).optional(),
      urls: list(10_000).optional(),
      user_ids: list(10_000).optional(),
      ip_addresses: list(10_000).optional(),
    })
    .optional(),
  dateRange: z.strictObject({ start: z.iso.date().nullable(), end: z.iso.date().nullable() }).nullable().optional(),
  dataCategories: z.array(z.enum(DATA_CATEGORIES)).max(DATA_CATEGORIES.length).optional(),
  isEmergency: z.boolean().optional(),
  urgencyClaimed: z.boolean().optional(),
  emergencyFacts: text(5000).nullable().optional().describe('For an emergency: the danger the email describes, in the desk’s words.'),
  requestDate: z.iso.date().nullable().optional(),
  deadline: z.iso.datetime({ offset: true }).nullable().optional(),
  nonDisclosure: z.boolean().nullable().optional(),
  summary: text(10_000).nullable().optional(),
});
export type DraftCorrectionsInput = z.infer<typeof draftCorrectionsSchema>;

export const correctDraftInputSchema = z.strictObject({
  version: z.number().int().min(1).describe('The version you read; a draft changed since answers 409 STALE_UPDATE.'),
  corrections: draftCorrectionsSchema,
});

export const confirmDraftInputSchema = z.strictObject({
  version: z.number().int().min(1).optional(),
  corrections: draftCorrectionsSchema.optional().describe('Last corrections, applied before confirming.'),
});

export const discardDraftInputSchema = z.strictObject({
  version: z.number().int().min(1).optional(),
  reason: text(2000).describe('Why: spam, not a request, a duplicate of WR-…, sent to the wrong platform, ...'),
});

/** Fields of a draft that hold one value. */
export const DRAFT_SCALAR_FIELDS = [
  'kind',
  'requestingAgency',
  'requestingUnit',
  'officerName',
  'officerTitle',
  'contactEmail',
  'contactPhone',
  'contactAddress',
  'caseNumber',
  'instrumentType',
  'jurisdictionCountry',
  'jurisdictionSubdivision',
  'court',
  'dateRange',
  'isEmergency',
  'urgencyClaimed',
  'requestDate',
  'deadline',
  'nonDisclosure',
] as const;
/** Fields of a draft that hold a list (targets apart). */
export const DRAFT_LIST_FIELDS = ['referenceNumbers', 'legalBasis', 'dataCategories', 'ipTimes'] as const;
/** Every field a follow-up can bring, as the draft view names it. */
export const DRAFT_FIELD_NAMES = [
  ...DRAFT_SCALAR_FIELDS,
  ...DRAFT_LIST_FIELDS,
  'targets.usernames',
  'targets.emails',
  'targets.phone_numbers',
  'targets.urls',
  'targets.user_ids',
  'targets.ip_addresses',
] as const satisfies ReadonlyArray<string>;

export type DraftFieldName = (typeof DRAFT_FIELD_NAMES)[number];

export const acceptDraftFieldInputSchema = z.strictObject({
  version: z.number().int().min(1).optional().describe('The version you read; a draft changed since answers 409 STALE_UPDATE.'),
  messageId: z.uuid().describe('A follow-up of this draft (one held apart as THREAD_TRUST_DOWNGRADE, typically).'),
  field: z
    .enum(DRAFT_FIELD_NAMES)
    .describe('The field to take from that message: a single value replaces the draft’s; a list gains the entries it lacks.'),
});
