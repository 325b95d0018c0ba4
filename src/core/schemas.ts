/**
 * The shapes of what users send, as zod schemas. Use cases validate with them, routes reuse them for validation and
 * for the OpenAPI document, and unknown fields are refused everywhere (`strictObject`).
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { ROLES } from './actor.ts';
import { SECURITY_EVENT_TYPES } from './audit.ts';
import { USER_STATUSES } from './model.ts';
import { CALLBACK_OUTCOMES } from './emergency.ts';
import { factsInputSchema } from './review/facts.ts';
import { DATA_CATEGORIES, IDENTIFIER_KINDS, INSTRUMENT_TYPES, ISSUER_TYPES, REQUEST_KINDS, REQUEST_STATES } from './request.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const instant = z.iso.datetime({ offset: true });
const day = z.iso.date();

export const jurisdictionSchema = z
  .string()
  .regex(/^(?:[A-Z]{2}|EU|COE)$/, 'an ISO 3166-1 alpha-2 code, EU or COE')
  .describe('Where the legal process comes from: ISO 3166-1 alpha-2 (KR, US, GB, ...), or EU / COE for those instruments.');

export const targetInputSchema = z.strictObject({
  kind: z.enum(IDENTIFIER_KINDS).describe('What the identifier is, as the agency wrote it.'),
  value: text(512).describe('The identifier as written by the agency.'),
  note: text(1000).optional(),
});

export const dateRangeSchema = z
  .strictObject({ from: instant, to: instant })
  .refine((range) => Date.parse(range.from) <= Date.parse(range.to), { message: 'from must not be after to', path: ['to'] });

const submitRequestFields = {
  kind: z.enum(REQUEST_KINDS),
  jurisdiction: jurisdictionSchema,
  caseReference: text(200).optional().describe("The agency's own case number."),
  summary: text(10_000).optional().describe('What the investigation is about and why this data is needed.'),
  legalProcess: z.strictObject({
    instrumentType: z.enum(INSTRUMENT_TYPES),
    issuingAuthority: text(300).optional(),
    issuerType: z
      .enum(ISSUER_TYPES)
      .optional()
      .describe('Who issued it: a court or judge, a prosecutor, the police, an administrative authority.'),
    reference: text(200).optional(),
    issuedOn: day.optional(),
    documentIds: z.array(z.uuid()).max(20).default([]).describe('Documents uploaded beforehand with POST /api/v1/documents.'),
  }),
  targets: z.array(targetInputSchema).min(1).max(10_000),
  categories: z.array(z.enum(DATA_CATEGORIES)).min(1).max(DATA_CATEGORIES.length),
  dateRange: dateRangeSchema.optional(),
  offence: z.strictObject({ description: text(2000), maximumPenaltyYears: z.number().min(0).max(100).optional() }).optional(),
  nonDisclosure: z.strictObject({ ordered: z.boolean(), until: day.optional() }).optional(),
  deadline: instant.optional(),
  facts: factsInputSchema
    .optional()
    .describe(
      "Facts for the legal review beyond the fields above (docs/rules.md): each target's role, residence, US-person status and whether the process names it; the instrument as the law names it, its issuer, dates, period and renewal; earlier preservations and emergency measures; offence lists and protected persons.",
    ),
  emergency: z
    .strictObject({
      dangerDescription: text(5000).describe('The facts showing danger of death or serious physical injury.'),
      attestation: z.literal(true).describe('The officer attests the facts are true and the danger is imminent.'),
    })
    .optional(),
};

export const submitRequestSchema = z.strictObject(submitRequestFields).superRefine((input, context) => {
  if (new Set(input.categories).size !== input.categories.length) {
    context.addIssue({ code: 'custom', path: ['categories'], message: 'categories must not repeat' });
  }
  if (input.kind === 'emergency' && !input.emergency) {
    context.addIssue({ code: 'custom', path: ['emergency'], message: 'an emergency request needs the emergency facts and attestation' });
  }
  if (input.kind !== 'emergency' && input.emergency) {
    context.addIssue({ code: 'custom', path: ['emergency'], message: 'only an emergency request carries emergency facts' });
  }
});
export type SubmitRequestInput = z.infer<typeof submitRequestSchema>;

/**
 * A request as the officer is still writing it, for a preview of its findings: the same fields, but targets and
 * categories may still be empty and the emergency facts unattested.
 */
export const draftRequestSchema = z.strictObject({
  ...submitRequestFields,
  targets: z.array(targetInputSchema).max(10_000).default([]),
  categories: z.array(z.enum(DATA_CATEGORIES)).max(DATA_CATEGORIES.length).default([]),
  emergency: z.strictObject({ dangerDescription: z.string().trim().max(5000), attestation: z.boolean() }).optional(),
});
export type DraftRequestInput = z.infer<typeof draftRequestSchema>;

export const messageInputSchema = z.strictObject({ body: text(20_000) });
export const noteInputSchema = z.strictObject({ body: text(20_000) });
export const askInfoInputSchema = z.strictObject({ question: text(20_000) });
export const answerInputSchema = z.strictObject({ body: text(20_000) });
export const rejectInputSchema = z.strictObject({ reasons: text(20_000) });
export const closeInputSchema = z.strictObject({ reason: text(5000).optional() });
export const withdrawInputSchema = z.strictObject({ reason: text(5000).optional() });

export const decisionItemSchema = z.strictObject({
  targetId: z.uuid(),
  category: z.enum(DATA_CATEGORIES),
  approved: z.boolean(),
  reason: text(5000).optional(),
  dateRange: dateRangeSchema.optional().describe('A narrower range than requested; never wider.'),
});
export const approveInputSchema = z.strictObject({
  reason: text(20_000).optional(),
  items: z
    .array(decisionItemSchema)
    .max(60_000)
    .optional()
    .describe('Per target and category; omitted means the whole request as asked. Pairs not listed are not approved.'),
});
export type ApproveInput = z.infer<typeof approveInputSchema>;

export const listRequestsQuerySchema = z.strictObject({
  state: z.enum(REQUEST_STATES).optional(),
  kind: z.enum(REQUEST_KINDS).optional(),
  q: z.string().trim().min(1).max(200).optional().describe('Search: part of a tracking number, case reference or agency name (any case).'),
  order: z
    .enum(['priority', 'newest'])
    .default('priority')
    .describe('priority (the default): open emergency requests first, then newest first; newest: newest first.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type ListRequestsQuery = z.infer<typeof listRequestsQuerySchema>;

export const totpCodeSchema = z.string().regex(/^\d{6}$/, 'the six digits your authenticator app shows');
export const loginInputSchema = z.strictObject({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
  code: totpCodeSchema.optional().describe('The code from your authenticator app, once you have enrolled one.'),
});
export const changePasswordInputSchema = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(12).max(1024).describe('At least 12 characters, not a breached or common password.'),
});
export const totpConfirmInputSchema = z.strictObject({ code: totpCodeSchema });

/** What the browser's WebAuthn call answered, passed on as it came (its own checks are the verifier's). */
const webauthnResponseSchema = z
  .record(z.string().max(100), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 64_000, 'at most 64 kB')
  .describe('The PublicKeyCredential the browser returned, as JSON (e.g. from @simplewebauthn/browser).');
export const passkeyEnrolInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).default('Passkey').describe('What the person calls this passkey ("work laptop").'),
  response: webauthnResponseSchema,
});
export const passkeyLoginInputSchema = z.strictObject({ response: webauthnResponseSchema });
export const createTokenInputSchema = z.strictObject({
  name: text(100),
  expiresInDays: z
    .number()
    .int()
    .min(1)
    .max(365)
    .optional()
    .describe(
      'Days the token lives: at most WRIT_TOKEN_MAX_DAYS, and never past the token this call is made with. Without it: the longest allowed.',
    ),
  scope: z
    .array(z.enum(ROLES))
    .min(1)
    .max(ROLES.length)
    .optional()
    .describe(
      'The roles the token acts with: some or all of yours (of the calling token’s, when minted with one). Without it: all of them.',
    ),
});

/** An age X25519 recipient as age-keygen prints it: `age1` and 58 bech32 characters. */
export const ageRecipientSchema = z
  .string()
  .trim()
  .regex(/^age1[02-9ac-hj-np-z]{58}$/, 'an age X25519 recipient (age1…, as age-keygen prints it)');
export const encryptionKeyInputSchema = z.strictObject({ recipient: ageRecipientSchema.nullable() });
export type EncryptionKeyInput = z.infer<typeof encryptionKeyInputSchema>;
export const downloadQuerySchema = z.strictObject({
  encrypted: z.stringbool().default(false).describe('Encrypt the package with age to the recipient the agency registered.'),
  part: z.coerce.number().int().min(0).max(100_000).optional().describe('A prospective order’s part (0, 1, …); without it, the latest.'),
});

/** A phone number in international form (`+82 2-...`), stored as E.164; a number without a country code is refused. */
export const phoneNumberSchema = z
  .string()
  .trim()
  .max(40)
  .transform((value, context) => {
    const parsed = value.startsWith('+') ? parsePhoneNumberFromString(value) : undefined;
    if (!parsed?.isValid()) {
      context.addIssue({ code: 'custom', message: 'an international phone number, starting with + and the country code' });
      return z.NEVER;
    }
    return parsed.number;
  });

export const AGENCY_STATUSES = ['verified', 'pending', 'suspended', 'blocklisted'] as const;
const domainSchema = z.string().regex(/^(?:[a-z0-9-]+\.)+[a-z]{2,}$/, 'a lower-case domain name');

/** An admin's change to an agency's directory entry: any of its fields; a status change needs a reason. */
export const directoryEntryInputSchema = z
  .strictObject({
    jurisdiction: jurisdictionSchema.optional(),
    emailDomains: z.array(domainSchema).min(1).max(20).optional(),
    verificationPhone: z
      .strictObject({
        number: phoneNumberSchema,
        source: text(500).describe('Where the number was taken from: an official site, a government listing. Never from a request.'),
      })
      .nullable()
      .optional(),
    status: z.enum(AGENCY_STATUSES).optional(),
    reason: text(2000).optional().describe('Why the status changes; required with status.'),
  })
  .refine((entry) => entry.status === undefined || entry.reason !== undefined, {
    message: 'a status change needs a reason',
    path: ['reason'],
  })
  .refine((entry) => Object.values(entry).some((value) => value !== undefined), { message: 'nothing to change' });
export type DirectoryEntryInput = z.infer<typeof directoryEntryInputSchema>;

export const callbackInputSchema = z.strictObject({
  outcome: z.enum(CALLBACK_OUTCOMES).describe('What the call to the directory number gave.'),
  spokeWith: text(300).optional().describe('Who answered, with rank or title.'),
  note: text(5000).optional(),
});
export type CallbackInput = z.infer<typeof callbackInputSchema>;

export const followUpInputSchema = z.strictObject({
  note: text(5000).optional().describe('Which legal process arrived, and how (a document attached to the request, by post, ...).'),
});

export const userStatusInputSchema = z.strictObject({
  status: z.enum(['active', 'disabled']).describe('disabled suspends the person at once: every session and token ends.'),
  reason: text(2000),
});

export const resetSecondFactorInputSchema = z.strictObject({
  reason: text(2000).describe('Why, e.g. "Lost phone; identity confirmed by video call with the unit chief."'),
});

export const listUsersQuerySchema = z.strictObject({
  status: z.enum(USER_STATUSES).optional().describe('`pending`: people who confirmed their address and wait for approval.'),
  organisationId: z.uuid().optional().describe("Platform admins: one agency's people (agency admins always see their own)."),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const securityEventsQuerySchema = z.strictObject({
  type: z.enum(SECURITY_EVENT_TYPES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

/** A yes/no query flag: `true`/`false` as the query string has it, or a boolean once the route has parsed it. */
const flag = () => z.union([z.boolean(), z.stringbool()]).default(false);

export const deadlinesQuerySchema = z.strictObject({
  overdue: flag().describe('Only what is past its deadline.'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const deadLettersQuerySchema = z.strictObject({
  all: flag().describe('Include those already sent round again.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const nonDisclosureInputSchema = z
  .strictObject({
    ordered: z.boolean().describe('false: no order stands (it was lifted, or there never was one).'),
    until: day.optional().describe('The last day the order forbids notice; the user may be told from the day after.'),
    reason: text(2000).describe('Where this comes from: the court’s order, the agency’s letter.'),
  })
  .refine((input) => input.ordered || input.until === undefined, {
    message: 'an order that does not stand has no end date',
    path: ['until'],
  });

export const releaseNoticeInputSchema = z.strictObject({
  reason: text(2000).describe(
    'Why the user may now be told although the law left notice to the authority (e.g. its own notice has gone out).',
  ),
});

export const revokeNoticeLinkInputSchema = z.strictObject({
  reason: text(2000).describe('Why the link must stop opening the notice page (e.g. the user says it was forwarded or leaked).'),
});

export const preservationActionSchema = z.strictObject({}).optional();

export const REMOVAL_ACTIONS = ['removed', 'restricted', 'kept'] as const;
export const removalInputSchema = z.strictObject({
  items: z
    .array(
      z.strictObject({
        targetId: z.uuid(),
        action: z.enum(REMOVAL_ACTIONS).describe('removed; restricted (withheld in `countries`); kept (left up, with the reasons).'),
        countries: z
          .array(z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code'))
          .min(1)
          .max(60)
          .optional()
          .describe('restricted: where it is withheld; by default the requesting country.'),
        reasons: text(10_000).describe('The statement of reasons the author is given: the facts, and the legal or contractual ground.'),
      }),
    )
    .min(1)
    .max(10_000),
});
export type RemovalInput = z.infer<typeof removalInputSchema>;
