/** Response shapes, for the OpenAPI document and the serializer. They mirror the records in core/model.ts. */
import { z } from 'zod';
import { DATA_CATEGORIES, IDENTIFIER_KINDS, INSTRUMENT_TYPES, REQUEST_KINDS, REQUEST_STATES } from '../core/request.ts';
import { REQUEST_EVENTS } from '../core/transitions.ts';
import { HOLD_CODES } from '../core/anomalies.ts';
import { OUTCOMES } from '../core/review/rule-pack.ts';
import { CHANNEL_IDS } from '../core/review/vocabulary.ts';

const range = z.object({ from: z.string(), to: z.string() });

export const requestSchema = z.object({
  id: z.uuid(),
  trackingNumber: z.string(),
  agencyId: z.uuid(),
  agencyName: z.string(),
  officerId: z.uuid(),
  kind: z.enum(REQUEST_KINDS),
  state: z.enum(REQUEST_STATES),
  version: z.number().int(),
  jurisdiction: z.string(),
  caseReference: z.string().nullable(),
  summary: z.string().nullable(),
  legalProcess: z.object({
    instrumentType: z.enum(INSTRUMENT_TYPES),
    issuingAuthority: z.string().nullable(),
    reference: z.string().nullable(),
    issuedOn: z.string().nullable(),
  }),
  categories: z.array(z.enum(DATA_CATEGORIES)).readonly(),
  dateRange: range.nullable(),
  offence: z.object({ description: z.string(), maximumPenaltyYears: z.number().optional() }).nullable(),
  nonDisclosure: z.object({ ordered: z.boolean(), until: z.string().nullable() }),
  deadline: z.string().nullable(),
  emergency: z.object({ dangerDescription: z.string(), attestation: z.literal(true) }).nullable(),
  followUp: z
    .object({ due: z.string().nullable(), receivedAt: z.string().nullable() })
    .describe('Emergency requests: when the promised legal process is due (set on approval) and when the desk recorded it.'),
  due: z
    .object({ at: z.string(), basis: z.string().describe('`agency` (the date it gave) or the id of the rule of law that sets it.') })
    .nullable()
    .describe('The deadline that binds, worked out at verification: the earliest of the agency’s date and the law’s.'),
  payloadSha256: z.string(),
  receivedAt: z.string(),
  updatedAt: z.string(),
});

export const receiptSchema = z.object({
  trackingNumber: z.string().describe('Quote it in every later message: WR-YYYY-NNNNNN.'),
  state: z.enum(REQUEST_STATES),
  payloadSha256: z.string().describe('SHA-256 of the submitted JSON in canonical form (RFC 8785 style).'),
  receivedAt: z.string(),
  documents: z.array(z.object({ id: z.uuid(), sha256: z.string() })).readonly(),
});

export const documentSchema = z.object({
  id: z.uuid(),
  requestId: z.uuid().nullable(),
  fileName: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  createdAt: z.string(),
});

export const messageSchema = z.object({
  id: z.uuid(),
  authorName: z.string(),
  side: z.enum(['agency', 'desk']),
  body: z.string(),
  createdAt: z.string(),
});
export const noteSchema = z.object({ id: z.uuid(), authorName: z.string(), body: z.string(), createdAt: z.string() });

export const requestViewSchema = z.object({
  request: requestSchema,
  targets: z
    .array(
      z.object({
        id: z.uuid(),
        position: z.number().int(),
        kind: z.enum(IDENTIFIER_KINDS),
        value: z.string(),
        note: z.string().nullable(),
      }),
    )
    .readonly(),
  documents: z.array(documentSchema).readonly(),
  messages: z.array(messageSchema).readonly(),
  decisions: z
    .array(
      z.object({
        id: z.uuid(),
        outcome: z.enum(['approved', 'partially_approved', 'rejected']),
        reason: z.string().nullable(),
        items: z
          .array(
            z.object({
              targetId: z.uuid(),
              category: z.enum(DATA_CATEGORIES),
              approved: z.boolean(),
              reason: z.string().optional(),
              dateRange: range.optional(),
            }),
          )
          .readonly(),
        decidedByName: z.string(),
        createdAt: z.string(),
      }),
    )
    .readonly(),
  notes: z.array(noteSchema).readonly().optional().describe('Desk only.'),
  holds: z
    .array(z.object({ code: z.enum(HOLD_CODES), detail: z.string() }))
    .readonly()
    .optional()
    .describe('Desk only: why verification held the request for the desk to confirm its requester.'),
  timeline: z
    .array(
      z.object({
        id: z.string(),
        type: z.string(),
        occurredAt: z.string(),
        side: z.enum(['agency', 'desk', 'system']),
        data: z.record(z.string(), z.unknown()),
      }),
    )
    .readonly(),
  allowedEvents: z.array(z.enum(REQUEST_EVENTS)).readonly(),
});

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item).readonly(), nextCursor: z.string().nullable() });

export const problemSchema = z
  .object({ type: z.string(), title: z.string(), status: z.number().int(), code: z.string(), detail: z.string() })
  .loose()
  .describe('application/problem+json (RFC 9457)');

export const statusSchema = z.object({
  trackingNumber: z.string(),
  kind: z.enum(REQUEST_KINDS),
  state: z.enum(REQUEST_STATES),
  version: z.number().int(),
  receivedAt: z.string(),
  updatedAt: z.string(),
});

export const productionSchema = z.object({
  id: z.uuid(),
  requestId: z.uuid(),
  decisionId: z.uuid(),
  state: z.enum(['running', 'completed', 'failed']),
  attempts: z.number().int(),
  tagManifestSha256: z.string().nullable(),
  keyFingerprint: z.string().nullable(),
  payloadBytes: z.number().int().nullable(),
  outcomes: z
    .array(
      z.object({
        targetId: z.uuid(),
        target: z.string(),
        category: z.enum(DATA_CATEGORIES),
        status: z.enum(['produced', 'not_found', 'not_held', 'end_to_end_encrypted', 'outside_retention', 'no_records']),
        accounts: z.array(z.string()).readonly(),
        records: z.number().int(),
        detail: z.string(),
      }),
    )
    .readonly(),
  failure: z.string().nullable(),
  availableUntil: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  part: z.number().int().describe('0 for a one-off production; a prospective order counts its parts up.'),
  window: range.nullable().describe('A prospective order’s part: the window of its authorised period it covers.'),
  progress: z
    .object({
      steps: z.number().int().describe('The approved target × category pairs it produces.'),
      stepsDone: z.number().int().describe('How many of them are finished.'),
      records: z.number().int().describe('Records written so far.'),
      at: z.string().describe('When the production reported this (every few seconds while it runs).'),
    })
    .nullable()
    .describe('How far the production has got, as it last reported; null before its first report.'),
  get receipt() {
    return deliveryReceiptSchema.nullable().describe('Once delivered: the tree head at delivery and the inclusion proof of its event.');
  },
});

export const deadlineSchema = z.object({
  requestId: z.uuid(),
  trackingNumber: z.string(),
  kind: z.enum(REQUEST_KINDS),
  state: z.enum(REQUEST_STATES),
  jurisdiction: z.string(),
  agencyName: z.string(),
  what: z
    .enum(['response', 'follow_up', 'preservation_expiry'])
    .describe('response: the answer is due; follow_up: an emergency request’s promised legal process; preservation_expiry.'),
  dueAt: z.string(),
  basis: z.string(),
  overdue: z.boolean(),
});

export const deadLetterSchema = z.object({
  id: z.string(),
  topic: z.string(),
  payload: z.record(z.string(), z.unknown()).describe('Identifiers only (request, task).'),
  reason: z.string(),
  attempts: z.number().int(),
  failedAt: z.string(),
  retriedAt: z.string().nullable(),
  retriedBy: z.string().nullable(),
});

const preservedItemSchema = z.object({
  id: z.uuid(),
  targetId: z.uuid(),
  category: z.enum(DATA_CATEGORIES),
  accountId: z.string().nullable().describe('Desk only (null for the agency): preserving is not disclosing.'),
  accountLabel: z.string().nullable().describe('Desk only.'),
  range,
  status: z.enum(['sealed', 'produced', 'not_found', 'not_held', 'end_to_end_encrypted', 'outside_retention', 'no_records']),
  records: z.number().int(),
  columns: z.array(z.string()).readonly(),
  sha256: z.string().nullable(),
  size: z.number().int().nullable(),
  detail: z.string(),
});

export const preservationSchema = z.object({
  id: z.uuid(),
  requestId: z.uuid(),
  decisionId: z.uuid(),
  expiresAt: z.string(),
  extensionHours: z.number().int().describe('What the one extension adds.'),
  basis: z.string().describe('The rule of law the period comes from, or `policy`.'),
  extendedAt: z.string().nullable(),
  copyState: z.enum(['sealing', 'sealed', 'released']),
  manifestSha256: z.string().nullable().describe('SHA-256 over the sealed files’ hashes.'),
  sealedAt: z.string().nullable(),
  releasedAt: z.string().nullable(),
  createdAt: z.string(),
  items: z.array(preservedItemSchema).readonly(),
});

export const noticeSchema = z.object({
  id: z.uuid(),
  requestId: z.uuid(),
  targetId: z.uuid(),
  purpose: z.enum(['disclosure', 'removal']),
  state: z.enum(['scheduled', 'withheld', 'sent', 'no_contact', 'cancelled']),
  basis: z.enum(['policy', 'gag', 'gag_without_end', 'law', 'emergency', 'desk']),
  basisDetail: z.string().nullable(),
  notBefore: z.string().nullable().describe('When it may go (scheduled).'),
  sentAt: z.string().nullable(),
  viewedAt: z.string().nullable(),
  linkRevokedAt: z
    .string()
    .nullable()
    .describe(
      'When the desk revoked the link to the notice page (POST …/revoke-link); a link also stops opening WRIT_NOTICE_LINK_DAYS after it was sent.',
    ),
  createdAt: z.string(),
});

export const removalActionSchema = z.object({
  id: z.uuid(),
  requestId: z.uuid(),
  targetId: z.uuid(),
  action: z.enum(['removed', 'restricted', 'kept']),
  countries: z.array(z.string()).readonly(),
  reasons: z.string().describe('The statement of reasons the author is given.'),
  decidedBy: z.uuid(),
  state: z
    .enum(['pending', 'done', 'not_found', 'not_supported'])
    .describe('not_supported: the connector cannot act on the platform; act there by hand.'),
  contentId: z.string().nullable(),
  authorAccount: z.string().nullable().describe('Desk only (null for the agency): who wrote the content is not disclosed.'),
  detail: z.string().nullable(),
  actedAt: z.string().nullable(),
});

export const noticeViewSchema = z.object({
  notifiedAt: z.string(),
  purpose: z.enum(['disclosure', 'removal']).describe('disclosure: data about you was disclosed; removal: content of yours was acted on.'),
  platform: z.string(),
  agency: z.object({ name: z.string(), jurisdiction: z.string() }).describe('Who asked.'),
  legalProcess: z
    .object({
      instrumentType: z.enum(INSTRUMENT_TYPES),
      issuingAuthority: z.string().nullable(),
      reference: z.string().nullable(),
      issuedOn: z.string().nullable(),
    })
    .describe('Under what process.'),
  requestKind: z.enum(REQUEST_KINDS),
  receivedAt: z.string(),
  account: z.string().describe('Your account as the platform names it.'),
  disclosed: z
    .array(
      z.object({
        category: z.enum(DATA_CATEGORIES),
        range: range.nullable(),
        records: z.number().int(),
        status: z.string(),
      }),
    )
    .readonly()
    .describe('What was disclosed about you: per category, the period and how many records.'),
  removal: z
    .object({
      action: z.enum(['removed', 'restricted', 'kept']),
      countries: z.array(z.string()).readonly(),
      content: z.string(),
      statementOfReasons: z.string(),
      actedAt: z.string().nullable(),
      automated: z.literal(false),
    })
    .nullable()
    .describe('For a removal: what was done with your content and why (DSA Art. 17 statement of reasons).'),
  challenge: z.object({ en: z.string(), ko: z.string() }).describe('How to challenge it.'),
  contact: z.string().nullable(),
});

export const findingSchema = z.object({
  ruleId: z.string(),
  pack: z.string().describe('The rule pack: a jurisdiction (kr, us, eu, ...), global, or policy.'),
  code: z.string(),
  severity: z.enum(['block', 'needs_info', 'warn', 'info']),
  audience: z.enum(['desk', 'both']).describe('both: the officer sees it too.'),
  categories: z.array(z.enum(DATA_CATEGORIES)).readonly(),
  message: z.object({ en: z.string(), ko: z.string() }),
  source: z.object({
    id: z.string(),
    cite: z.string(),
    status: z.enum(['confirmed', 'secondary', 'believed']).describe('How sure the source is: statute read, secondary source, or believed.'),
    url: z.string().optional(),
  }),
  due: z.string().optional().describe('A deadline this finding sets, counted from receipt.'),
  verdict: z.enum(OUTCOMES).optional().describe('The verdict the rule gives for the cells it applies to.'),
  channel: z.enum(CHANNEL_IDS).optional(),
});

const citationSchema = z.object({
  id: z.string(),
  pack: z.string(),
  cite: z.string().describe('As shown; Korean law by its Korean name first.'),
  status: z.enum(['confirmed', 'secondary', 'believed']),
  url: z.string().optional(),
  pinpoint: z
    .object({ instrument: z.string(), article: z.string().optional(), paragraph: z.string().optional(), point: z.string().optional() })
    .optional(),
  case: z.object({ court: z.string(), number: z.string(), date: z.string() }).optional(),
});

const verdictReasonSchema = z.object({
  ruleId: z.string(),
  pack: z.string(),
  outcome: z.enum(OUTCOMES),
  channel: z.enum(CHANNEL_IDS).optional(),
  message: z.object({ en: z.string(), ko: z.string() }),
  source: citationSchema,
});

export const verdictSchema = z
  .object({
    target: z.string().describe('The target as the request names it.'),
    targetIndex: z.number().int(),
    category: z.enum(DATA_CATEGORIES),
    outcome: z
      .enum(OUTCOMES)
      .describe('The strictest outcome any rule gives: block > hold_for_counsel > route_elsewhere > needs_info > allow.'),
    channel: z.enum(CHANNEL_IDS).optional().describe('For route_elsewhere: where the request must go.'),
    basis: z.array(verdictReasonSchema).readonly().describe('The rules that gave this outcome; for allow, the lawful basis.'),
    overruled: z.array(verdictReasonSchema).readonly().describe('Rules whose outcome a stricter one overruled.'),
  })
  .describe('The verdict for one target × category, with its basis and citations.');

export const findingsSchema = z.object({
  findings: z.array(findingSchema).readonly(),
  verdicts: z.array(verdictSchema).readonly().describe('The verdict per target × category (officers see only the reasons meant for them).'),
  rules: z
    .array(
      z.object({
        ruleId: z.string(),
        pack: z.string(),
        fired: z.boolean(),
        failed: z.string().optional().describe('The first clause that did not hold, or "unless" when the exception applied.'),
        undetermined: z.string().optional().describe('A fact the rule needed and the request lacks.'),
        cells: z.number().int().optional().describe('How many target × category cells it fired for.'),
      }),
    )
    .readonly()
    .optional()
    .describe('With explain=true (desk only): every rule that applies, whether it fired, and the first condition that did not hold.'),
});

export const dryRunSchema = z.object({
  at: z.string().describe('The instant the review is for.'),
  packs: z.array(z.string()).readonly().describe('The packs that applied.'),
  findings: findingsSchema.shape.findings,
  verdicts: findingsSchema.shape.verdicts,
  clocks: z.array(z.string()).readonly().describe('Instants after `at` when a verdict may change by time alone.'),
  rules: findingsSchema.shape.rules,
  facts: z.unknown().optional().describe('With explain: the facts as the rules saw them (docs/facts.schema.json).'),
});

export const treeHeadSchema = z
  .object({
    treeSize: z.number().int().describe('How many events the tree holds.'),
    rootHash: z.string().describe('The Merkle tree root (RFC 9162), hex.'),
    signedAt: z.string(),
    checkpoint: z
      .string()
      .describe('The signed text (C2SP tlog-checkpoint): origin, size, base64 root hash and the signing time, one per line.'),
    signature: z.string().describe('Base64 of the Ed25519 signature over `checkpoint`, by the platform key `keyFingerprint`.'),
    keyFingerprint: z.string(),
  })
  .describe('A signed tree head of the audit log.');

export const deliveryReceiptSchema = z
  .object({
    format: z.literal('writ-delivery-receipt/1'),
    trackingNumber: z.string(),
    productionId: z.uuid(),
    tagManifestSha256: z.string().describe('The SHA-256 of the package’s tagmanifest-sha256.txt, as its event records it.'),
    event: z.object({
      leafIndex: z.number().int(),
      entry: z.string().describe('The production’s audit event, exactly the bytes its leaf hash is over.'),
      leafHash: z.string(),
    }),
    inclusionProof: z.array(z.string()).readonly().describe('RFC 9162 inclusion proof of the event in the tree of `treeHead`.'),
    treeHead: treeHeadSchema,
    publicKeyPem: z.string(),
  })
  .describe('Goes with every delivery: the tree head at delivery and the proof that the production’s event is in it.');

export const inclusionProofSchema = z.object({
  leafIndex: z.number().int(),
  leafHash: z.string(),
  proof: z.array(z.string()).readonly(),
  treeHead: treeHeadSchema,
});

export const consistencyProofSchema = z.object({
  first: treeHeadSchema,
  second: treeHeadSchema,
  proof: z.array(z.string()).readonly().describe('RFC 9162 consistency proof from the first tree to the second.'),
});
