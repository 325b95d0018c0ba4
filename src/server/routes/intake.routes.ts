/**
 * The desk's email intake: messages that came in, and the draft requests made of them — read, corrected, confirmed
 * into a request or discarded. Desk roles only; every read of a message or a draft is audited.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DRAFT_STATUSES, INTAKE_FLAGS, INTAKE_MESSAGE_STATUSES, INTAKE_SOURCES, TRUST_LEVELS } from '../../core/intake.ts';
import {
  acceptDraftFieldInputSchema,
  confirmDraftInputSchema,
  DRAFT_FIELD_NAMES,
  correctDraftInputSchema,
  discardDraftInputSchema,
  listDraftsQuerySchema,
  listIntakeMessagesQuerySchema,
} from '../../core/intake-schemas.ts';
import {
  acceptDraftField,
  confirmDraft,
  correctDraft,
  discardDraft,
  getDraft,
  getIntakeMessage,
  listDrafts,
  listIntakeMessages,
  readRawIntakeMessage,
} from '../../services/intake-desk.ts';
import type { AppContext } from '../context.ts';
import { actor } from '../http.ts';
import { pageSchema, problemSchema } from '../responses.ts';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 422: problemSchema };
const messageParams = z.object({ id: z.string().max(64).describe('The stored message id.') });
const draftParams = z.object({ reference: z.string().max(64).describe("The draft's tracking number (WR-YYYY-NNNNNN) or id.") });

const authResult = z.string().nullable();
const trustSchema = z
  .object({
    level: z.enum(TRUST_LEVELS),
    fromAddress: z.string().nullable(),
    authentication: z.object({
      authservId: z.string().optional(),
      spf: authResult.optional(),
      dkim: authResult.optional(),
      dmarc: authResult.optional(),
      aligned: z.boolean(),
    }),
    agencyId: z.string().nullable(),
    agencyName: z.string().nullable(),
    officerId: z.string().nullable(),
    reasons: z.array(z.string()).readonly(),
  })
  .describe(
    "How far the sender is trusted: verified_officer (authenticated, an active officer of a verified agency), agency_domain (authenticated at an agency's official domain, no account), unverified, suspicious (a lookalike domain, failed authentication for an official one, a suspended agency).",
  );

const documentPageSchema = z.object({
  page: z.number().int(),
  source: z
    .enum(['text_layer', 'ocr', 'none'])
    .describe("text_layer: the PDF's own text; ocr: read from the page's image; none: nothing read."),
  characters: z.number().int(),
  confidence: z.number().nullable().describe("OCR's mean word confidence, 0–1."),
  needsManualReading: z.boolean(),
  note: z.string().nullable(),
});

const attachmentSchema = z.object({
  fileName: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  textCharacters: z.number().int(),
  needsManualReading: z.boolean(),
  note: z.string().nullable(),
  document: z.boolean().optional().describe("A PDF or an image kept as the draft's document; the request gets it on confirmation."),
  pages: z.array(documentPageSchema).readonly().optional(),
});

const segmentSchema = z.object({
  start: z.number().int(),
  end: z.number().int(),
  attachment: z.number().int().nullable().describe('null: the message itself; else the index of the document in attachments.'),
  page: z.number().int().nullable(),
});

const messageBase = {
  id: z.uuid(),
  sha256: z.string().describe('SHA-256 of the bytes as they arrived (GET …/raw gives them).'),
  size: z.number().int(),
  messageId: z.string().nullable(),
  duplicateOf: z.uuid().nullable().describe('A message stored earlier with the same Message-ID and other bytes.'),
  source: z.enum(INTAKE_SOURCES),
  sourceRef: z.string().nullable(),
  receivedAt: z.string(),
  status: z.enum(INTAKE_MESSAGE_STATUSES),
  fromAddress: z.string().nullable(),
  fromName: z.string().nullable(),
  subject: z.string().nullable(),
  sentAt: z.string().nullable(),
  inReplyTo: z.string().nullable(),
  referenceIds: z.array(z.string()).readonly(),
  flags: z
    .array(z.enum(INTAKE_FLAGS))
    .readonly()
    .describe('What was wrong or unusual: MALFORMED_MIME, NEEDS_MANUAL_READING, AUTO_REPLY, …'),
  trust: trustSchema.nullable(),
  draftId: z.uuid().nullable(),
  requestId: z.uuid().nullable(),
  processedAt: z.string().nullable(),
  acknowledgement: z
    .object({ state: z.enum(['sending', 'sent']), kind: z.string(), at: z.string() })
    .nullable()
    .describe('receipt_verified (with a portal link) or receipt_unverified (how to register, what a request needs); never data.'),
};

export const intakeMessageSummarySchema = z.object({ ...messageBase, attachments: z.number().int() });
export const intakeMessageSchema = z.object({
  ...messageBase,
  attachments: z.array(attachmentSchema).readonly(),
  reading: z.string().nullable().describe('Subject, body and attachment text as read: every span indexes into it.'),
  readingSegments: z
    .array(segmentSchema)
    .readonly()
    .describe('Where each stretch of the reading text came from: the message, or a page of a document.'),
  fields: z.unknown().describe('What extraction found in this message (DraftFields): each value with its span and confidence.'),
});

const extractedSchema = z
  .object({
    value: z.unknown(),
    span: z.object({ start: z.number().int(), end: z.number().int() }).nullable(),
    excerpt: z.string().nullable().describe('The words of the message the value was read from.'),
    place: z
      .object({
        document: z.object({ index: z.number().int(), fileName: z.string(), sha256: z.string() }).nullable(),
        page: z.number().int().nullable(),
        before: z.string(),
        text: z.string(),
        after: z.string(),
      })
      .nullable()
      .describe(
        'Where the value was read: the message (document null) or a page of a document, with the words before and after it in that part (up to 300 characters each) and the words themselves, to show the value marked in its place.',
      ),
    confidence: z.number(),
    source: z
      .object({ messageId: z.uuid(), trust: z.enum(TRUST_LEVELS).nullable() })
      .describe(
        "The message the value came from (the draft's first, an authenticated follow-up merged in, or a follow-up the desk accepted it from) and how far its sender was trusted.",
      ),
  })
  .nullable();
const fieldSchema = z.object({
  value: z.unknown().describe('The value now: extracted, or as the desk corrected it.'),
  extracted: z.union([extractedSchema, z.array(extractedSchema).readonly()]),
  corrected: z.boolean(),
});
const draftBase = {
  id: z.uuid(),
  trackingNumber: z.string().describe("The number the sender's receipt quotes; the request keeps it."),
  firstMessageId: z.uuid(),
  status: z.enum(DRAFT_STATUSES),
  version: z.number().int(),
  agencyId: z.uuid().nullable(),
  requestId: z.uuid().nullable(),
  discardReason: z.string().nullable(),
  closedBy: z.uuid().nullable(),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
};
export const draftSummarySchema = z.object({ ...draftBase, summary: z.record(z.string(), z.unknown()) });
export const draftViewSchema = z.object({
  draft: z.object(draftBase),
  language: z.string(),
  fields: z.record(z.string(), fieldSchema),
  messages: z.array(intakeMessageSummarySchema).readonly(),
  trust: trustSchema.nullable().describe("The trust of the draft's first message; each field's source names its own."),
  followUps: z
    .array(
      z.object({
        messageId: z.uuid(),
        trust: z.enum(TRUST_LEVELS).nullable(),
        heldApart: z
          .boolean()
          .describe('THREAD_TRUST_DOWNGRADE: trusted less than the draft (or not authenticated), so it changed nothing.'),
        offers: z
          .partialRecord(z.enum(DRAFT_FIELD_NAMES), z.unknown())
          .describe(
            'What it would bring, by field: a value that differs, or the list entries the draft lacks. Accept each with POST …/accept.',
          ),
      }),
    )
    .readonly(),
  documents: z
    .array(
      z.object({
        messageId: z.uuid(),
        index: z.number().int(),
        fileName: z.string(),
        mediaType: z.string(),
        size: z.number().int(),
        sha256: z.string(),
        needsManualReading: z.boolean(),
        note: z.string().nullable(),
        pages: z.array(documentPageSchema).readonly(),
      }),
    )
    .readonly()
    .describe("The PDFs and images that came with the draft's messages, page by page; confirming gives them to the request."),
});

export const intakeRoutes =
  (context: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/intake/messages',
      {
        config: { permission: 'intake.read' },
        schema: {
          tags: ['intake'],
          summary: 'Desk: the messages that came in by email or import, newest first (no text; see one for it).',
          querystring: listIntakeMessagesQuerySchema,
          response: { 200: pageSchema(intakeMessageSummarySchema), ...errors },
        },
      },
      async (request) => listIntakeMessages(context, actor(request), request.query),
    );

    app.get(
      '/intake/messages/:id',
      {
        config: { permission: 'intake.read' },
        schema: {
          tags: ['intake'],
          summary: 'Desk: one message as read — sender trust, marks, attachments, the reading text and what was extracted.',
          params: messageParams,
          response: { 200: intakeMessageSchema, ...errors },
        },
      },
      async (request) => getIntakeMessage(context, actor(request), { id: request.params.id }),
    );

    app.get(
      '/intake/messages/:id/raw',
      {
        config: { permission: 'intake.read' },
        schema: { tags: ['intake'], summary: 'Desk: the message exactly as it arrived (message/rfc822).', params: messageParams },
      },
      async (request, reply) => {
        const raw = await readRawIntakeMessage(context, actor(request), { id: request.params.id });
        reply.type('message/rfc822');
        reply.header('content-disposition', `attachment; filename="${raw.sha256}.eml"`);
        reply.header('digest', `sha-256=${Buffer.from(raw.sha256, 'hex').toString('base64')}`);
        return reply.send(raw.bytes);
      },
    );

    app.get(
      '/intake/drafts',
      {
        config: { permission: 'intake.read' },
        schema: {
          tags: ['intake'],
          summary: 'Desk: draft requests made of email, newest first.',
          querystring: listDraftsQuerySchema,
          response: { 200: pageSchema(draftSummarySchema), ...errors },
        },
      },
      async (request) => listDrafts(context, actor(request), request.query),
    );

    app.get(
      '/intake/drafts/:reference',
      {
        config: { permission: 'intake.read' },
        schema: {
          tags: ['intake'],
          summary:
            'Desk: a draft with each field — its value, where it was read (span, excerpt), how sure, whether corrected — and its messages.',
          params: draftParams,
          response: { 200: draftViewSchema, ...errors },
        },
      },
      async (request) => getDraft(context, actor(request), { reference: request.params.reference }),
    );

    app.patch(
      '/intake/drafts/:reference',
      {
        config: { permission: 'intake.manage' },
        schema: {
          tags: ['intake'],
          summary: 'Desk: correct fields of an open draft (null clears one; a list replaces the extracted list).',
          params: draftParams,
          body: correctDraftInputSchema,
          response: { 200: draftViewSchema, ...errors },
        },
      },
      async (request) => correctDraft(context, actor(request), { reference: request.params.reference, body: request.body }),
    );

    app.post(
      '/intake/drafts/:reference/confirm',
      {
        config: { permission: 'intake.manage' },
        schema: {
          tags: ['intake'],
          summary:
            'Desk: confirm a draft into a request of the agency it names (same tracking number). The request waits in verification, held as come by email, for the desk to confirm the requester through the directory.',
          params: draftParams,
          body: confirmDraftInputSchema,
          response: { 201: z.object({ trackingNumber: z.string(), requestId: z.uuid(), draft: draftViewSchema }), ...errors },
        },
      },
      async (request, reply) => {
        const confirmed = await confirmDraft(context, actor(request), { reference: request.params.reference, body: request.body });
        reply.header('location', `/api/v1/requests/${confirmed.trackingNumber}`);
        return reply.code(201).send(confirmed);
      },
    );

    app.post(
      '/intake/drafts/:reference/accept',
      {
        config: { permission: 'intake.manage' },
        schema: {
          tags: ['intake'],
          summary:
            'Desk: take one field of an open draft from one of its follow-ups (one held apart as THREAD_TRUST_DOWNGRADE, typically): a single value replaces the draft’s, a list gains the entries it lacks; the field then names that message and its trust. Audited.',
          params: draftParams,
          body: acceptDraftFieldInputSchema,
          response: { 200: draftViewSchema, ...errors },
        },
      },
      async (request) => acceptDraftField(context, actor(request), { reference: request.params.reference, body: request.body }),
    );

    app.post(
      '/intake/drafts/:reference/discard',
      {
        config: { permission: 'intake.manage' },
        schema: {
          tags: ['intake'],
          summary: 'Desk: discard a draft that is not a request (spam, a duplicate, the wrong platform), with the reason.',
          params: draftParams,
          body: discardDraftInputSchema,
          response: { 200: draftViewSchema, ...errors },
        },
      },
      async (request) => discardDraft(context, actor(request), { reference: request.params.reference, body: request.body }),
    );
  };
