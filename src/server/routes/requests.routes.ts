/** Requests: submit, list, read, talk, and move through the lifecycle. */
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { WritError } from '../../core/errors.ts';
import {
  draftRequestSchema,
  answerInputSchema,
  approveInputSchema,
  askInfoInputSchema,
  closeInputSchema,
  listRequestsQuerySchema,
  messageInputSchema,
  noteInputSchema,
  rejectInputSchema,
  removalInputSchema,
  submitRequestSchema,
  withdrawInputSchema,
} from '../../core/schemas.ts';
import { addNote } from '../../services/add-note.ts';
import { answerRequest } from '../../services/answer-request.ts';
import { approveRequest } from '../../services/approve-request.ts';
import { askForInformation } from '../../services/ask-for-information.ts';
import { closeRequest } from '../../services/close-request.ts';
import { getRequest, getRequestStatus } from '../../services/get-request.ts';
import { listRequests } from '../../services/list-requests.ts';
import { postMessage } from '../../services/post-message.ts';
import { downloadProduction, getDeliveryReceipt, getProduction, startProduction } from '../../services/production.ts';
import { rejectRequest } from '../../services/reject-request.ts';
import { extendPreservation, releasePreservation, startPreservation } from '../../services/preservation.ts';
import { actOnRemoval } from '../../services/removal.ts';
import { getFindings } from '../../services/review-request.ts';
import { submitRequest } from '../../services/submit-request.ts';
import { confirmRequester } from '../../services/verify-request.ts';
import { previewFindings } from '../../services/preview-findings.ts';
import { reviewWithoutStoring } from '../../services/dry-run-review.ts';
import { reviewInputSchema } from '../../core/review/dry-run.ts';
import { RESOLVE_AT_ONCE, resolveTargets } from '../../services/resolve-targets.ts';
import { IDENTIFIER_KINDS } from '../../core/request.ts';
import { withdrawRequest } from '../../services/withdraw-request.ts';
import type { AppContext } from '../context.ts';
import { actor, expectedVersion, idempotencyKey } from '../http.ts';
import { downloadQuerySchema } from '../../core/schemas.ts';
import {
  deliveryReceiptSchema,
  findingsSchema,
  dryRunSchema,
  messageSchema,
  noteSchema,
  pageSchema,
  problemSchema,
  productionSchema,
  receiptSchema,
  requestSchema,
  requestViewSchema,
  statusSchema,
} from '../responses.ts';

const params = z.object({ reference: z.string().max(64).describe('Tracking number (WR-YYYY-NNNNNN) or id.') });
const idempotencyHeader = z.object({
  'idempotency-key': z.string().max(200).optional().describe('A retry with the same key returns the first result.'),
});
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 422: problemSchema };

declare module 'fastify' {
  interface FastifyRequest {
    sentPayload?: unknown;
  }
}

export const requestRoutes =
  (context: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/requests',
      {
        config: { permission: 'request.submit' },
        schema: {
          tags: ['requests'],
          summary:
            'Submit a request. Answers 201 with a receipt only after it is stored; a retry with the same Idempotency-Key returns the same receipt.',
          headers: idempotencyHeader,
          body: submitRequestSchema,
          response: { 200: receiptSchema, 201: receiptSchema, ...errors },
        },
        // The receipt's hash is over what the agency sent, before defaults are filled in.
        preValidation: async (request) => {
          request.sentPayload = request.body;
        },
      },
      async (request, reply) => {
        const { replayed, ...receipt } = await submitRequest(context, actor(request), {
          payload: request.sentPayload,
          idempotencyKey: idempotencyKey(request),
        });
        reply.header('location', `/api/v1/requests/${receipt.trackingNumber}`);
        if (replayed) reply.header('idempotent-replayed', 'true');
        return reply.code(replayed ? 200 : 201).send(receipt);
      },
    );

    app.post(
      '/review',
      {
        config: { permission: 'request.read_notes' },
        schema: {
          tags: ['review'],
          summary:
            'Desk: review a request written by hand without storing it (dry run): its findings and the verdict per target × category with citations. The body is the submission payload plus facts, with defaults (docs/rules.md); the same code as `writ review`.',
          body: reviewInputSchema,
          querystring: z.strictObject({
            at: z.string().optional().describe("The instant to review at (default: the body's `at`, else now)."),
            explain: z
              .stringbool()
              .default(false)
              .describe('Also every rule and why it did or did not fire, and the facts as the rules saw them.'),
          }),
          response: { 200: dryRunSchema, ...errors },
        },
      },
      async (request) =>
        reviewWithoutStoring(context, actor(request), { body: request.body, at: request.query.at, explain: request.query.explain }),
    );

    app.post(
      '/requests/preview-findings',
      {
        config: { permission: 'request.submit' },
        schema: {
          tags: ['review'],
          summary:
            'Officer: the findings a request would get, for a draft as it stands (targets and categories may still be empty). Nothing is stored; other requests are not consulted.',
          body: draftRequestSchema,
          response: { 200: z.object({ findings: findingsSchema.shape.findings }), ...errors },
        },
      },
      async (request) => previewFindings(context, actor(request), { body: request.body }),
    );

    app.get(
      '/requests/:reference/resolution',
      {
        config: { permission: 'request.resolve' },
        schema: {
          tags: ['review'],
          summary: `Desk: look the request's targets up on the platform through the connector — which accounts each names, or none (at most ${RESOLVE_AT_ONCE} at once; name one with targetId). An audited view of user data; no records are read.`,
          params,
          querystring: z.strictObject({ targetId: z.uuid().optional() }),
          response: {
            200: z.object({
              connector: z.string(),
              truncated: z.boolean().describe(`More than ${RESOLVE_AT_ONCE} targets: the rest one at a time, with targetId.`),
              items: z
                .array(
                  z.object({
                    targetId: z.uuid(),
                    position: z.number().int(),
                    kind: z.enum(IDENTIFIER_KINDS),
                    value: z.string(),
                    lookedUp: z.object({ kind: z.enum(IDENTIFIER_KINDS), value: z.string() }),
                    status: z.enum(['found', 'not_found']),
                    accounts: z.array(z.object({ id: z.string(), label: z.string() })).readonly(),
                  }),
                )
                .readonly(),
            }),
            ...errors,
          },
        },
      },
      async (request) => resolveTargets(context, actor(request), { reference: request.params.reference, targetId: request.query.targetId }),
    );

    app.get(
      '/requests',
      {
        config: { permission: 'request.read' },
        schema: {
          tags: ['requests'],
          summary:
            'List requests, newest first: an agency sees its own, the desk sees the queue. Each page read (searches too) is one audit event naming the requests it showed.',
          querystring: listRequestsQuerySchema,
          response: { 200: pageSchema(requestSchema), ...errors },
        },
      },
      async (request) => listRequests(context, actor(request), request.query),
    );

    app.get(
      '/requests/:reference',
      {
        config: { permission: 'request.read' },
        schema: {
          tags: ['requests'],
          summary: 'Read a request with its targets, documents, thread, decisions and timeline.',
          params,
          response: { 200: requestViewSchema, ...errors },
        },
      },
      async (request, reply) => {
        const view = await getRequest(context, actor(request), { reference: request.params.reference });
        reply.header('etag', `"${view.request.version}"`);
        return view;
      },
    );

    app.get(
      '/requests/:reference/status',
      {
        config: { permission: 'request.read' },
        schema: {
          tags: ['requests'],
          summary:
            'Where a request stands: its state and version, without the rest (for polling). Each read is recorded on the request’s trail; the same person’s repeat within a minute, with nothing else in between, is covered by the first.',
          params,
          response: { 200: statusSchema, ...errors },
        },
      },
      async (request, reply) => {
        const status = await getRequestStatus(context, actor(request), { reference: request.params.reference });
        reply.header('etag', `"${status.version}"`);
        return status;
      },
    );

    app.post(
      '/requests/:reference/messages',
      {
        config: { permission: 'request.message' },
        schema: {
          tags: ['requests'],
          summary: 'Post a message on the request’s thread.',
          params,
          headers: idempotencyHeader,
          body: messageInputSchema,
          response: { 201: messageSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(
          await postMessage(context, actor(request), {
            reference: request.params.reference,
            body: request.body,
            idempotencyKey: idempotencyKey(request),
          }),
        ),
    );

    app.post(
      '/requests/:reference/notes',
      {
        config: { permission: 'request.note' },
        schema: {
          tags: ['desk'],
          summary: 'Add a desk-internal note (never shown to the agency).',
          params,
          headers: idempotencyHeader,
          body: noteInputSchema,
          response: { 201: noteSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(
          await addNote(context, actor(request), {
            reference: request.params.reference,
            body: request.body,
            idempotencyKey: idempotencyKey(request),
          }),
        ),
    );

    // Lifecycle actions. Each answers the request as it now is; If-Match with its version guards against a stale read.
    const actions = [
      {
        path: 'confirm-requester',
        permission: 'request.decide',
        summary: 'Desk: confirm the requester of a request held in verification.',
        body: z.strictObject({}).optional(),
        run: confirmRequester,
      },
      {
        path: 'ask-info',
        permission: 'request.ask_info',
        summary: 'Desk: ask the agency for more information.',
        body: askInfoInputSchema,
        run: askForInformation,
      },
      {
        path: 'answer',
        permission: 'request.answer',
        summary: 'Officer: answer the desk’s question; the request returns to review.',
        body: answerInputSchema,
        run: answerRequest,
      },
      {
        path: 'approve',
        permission: 'request.decide',
        summary: 'Desk: approve, whole or per target and category.',
        body: approveInputSchema.optional(),
        run: approveRequest,
      },
      { path: 'reject', permission: 'request.decide', summary: 'Desk: reject, with reasons.', body: rejectInputSchema, run: rejectRequest },
      {
        path: 'produce',
        permission: 'request.produce',
        summary: 'Counsel: start producing the approved data.',
        body: z.strictObject({}).optional(),
        run: startProduction,
      },
      {
        path: 'preserve',
        permission: 'request.preserve',
        summary:
          'Desk: put an approved preservation request into force. The approved targets, categories and range are sealed; it expires on the date the law sets, with reminders.',
        body: z.strictObject({}).optional(),
        run: startPreservation,
      },
      {
        path: 'extend',
        permission: 'request.preserve',
        summary: 'Desk: extend a preservation in force, once, by what the law allows (18 U.S.C. 2703(f): 90 days; EU: 30).',
        body: z.strictObject({}).optional(),
        run: extendPreservation,
      },
      {
        path: 'release',
        permission: 'request.preserve',
        summary: 'Desk: release a preservation before it expires; its sealed copy is deleted.',
        body: z.strictObject({}).optional(),
        run: releasePreservation,
      },
      {
        path: 'act',
        permission: 'request.act',
        summary:
          'Desk: act on a removal order (from review or approval): per item of content remove, restrict in the requesting country, or keep, each with the statement of reasons for its author. The platform acts at once.',
        body: removalInputSchema,
        run: actOnRemoval,
      },
      {
        path: 'close',
        permission: 'request.close',
        summary: 'Desk: close a finished request.',
        body: closeInputSchema.optional(),
        run: closeRequest,
      },
      {
        path: 'withdraw',
        permission: 'request.withdraw',
        summary: 'Officer: withdraw an open request.',
        body: withdrawInputSchema.optional(),
        run: withdrawRequest,
      },
    ] as const;
    for (const action of actions) {
      app.post(
        `/requests/:reference/${action.path}`,
        {
          config: { permission: action.permission },
          schema: {
            tags: ['requests'],
            summary: action.summary,
            params,
            headers: z.object({ 'if-match': z.string().max(20).optional() }),
            body: action.body,
            response: { 200: requestSchema, ...errors },
          },
        },
        async (request, reply) => {
          const changed = await action.run(context, actor(request), {
            reference: request.params.reference,
            body: request.body,
            expectedVersion: expectedVersion(request),
          });
          reply.header('etag', `"${changed.version}"`);
          return changed;
        },
      );
    }
    app.get(
      '/requests/:reference/production',
      {
        config: { permission: 'request.read' },
        schema: {
          tags: ['productions'],
          summary: 'The production of an approved request: its state, what was found per target and category, and the package hashes.',
          params,
          response: { 200: productionSchema, ...errors },
        },
      },
      async (request) => getProduction(context, actor(request), { reference: request.params.reference }),
    );

    app.get(
      '/requests/:reference/production/receipt',
      {
        config: { permission: 'request.read' },
        schema: {
          tags: ['productions'],
          summary:
            'The delivery receipt: the audit log’s signed tree head at delivery and the inclusion proof of the production’s event (also delivered beside the bag in the download). `writ audit verify --receipt` checks it offline.',
          params,
          response: { 200: deliveryReceiptSchema, ...errors },
        },
      },
      async (request) => getDeliveryReceipt(context, actor(request), { reference: request.params.reference }),
    );

    app.get(
      '/requests/:reference/findings',
      {
        config: { permission: 'request.read' },
        schema: {
          tags: ['review'],
          summary:
            'The findings on a request, worked out now from the rule packs and the platform policy: what blocks it, what is missing, what to watch, each with its source. Officers see the findings meant for them.',
          params,
          querystring: z.strictObject({
            explain: z.stringbool().default(false).describe('Desk only: also list every rule and why it did or did not fire.'),
          }),
          response: { 200: findingsSchema, ...errors },
        },
      },
      async (request) => getFindings(context, actor(request), { reference: request.params.reference, explain: request.query.explain }),
    );

    app.get(
      '/requests/:reference/production/download',
      {
        config: { permission: 'production.download' },
        schema: {
          tags: ['productions'],
          summary:
            'Download the signed package (a tar of the BagIt folder), or with encrypted=true the same tar encrypted with age to the recipient the agency registered (.tar.age). Each download is recorded; the link expires.',
          params,
          querystring: downloadQuerySchema,
          produces: ['application/x-tar', 'application/octet-stream'],
        },
      },
      async (request, reply) => {
        const { production, trackingNumber, encrypted, content } = await downloadProduction(context, actor(request), {
          reference: request.params.reference,
          encrypted: request.query.encrypted,
          part: request.query.part,
        });
        const name = `${trackingNumber}-${production.part > 0 ? `part${production.part}-` : ''}${production.id.slice(0, 8)}.tar${encrypted ? '.age' : ''}`;
        reply.type(encrypted ? 'application/octet-stream' : 'application/x-tar');
        reply.header('content-disposition', `attachment; filename="${name}"`);
        if (production.tagManifestSha256) reply.header('x-writ-tagmanifest-sha256', production.tagManifestSha256);
        return reply.send(Readable.from(content));
      },
    );

    // Any other action names a transition that does not exist.
    app.post('/requests/:reference/:action', { config: { permission: 'signed_in' }, schema: { hide: true } }, async () => {
      throw new WritError('UNKNOWN_TRANSITION', 'No such action on a request.');
    });
  };
