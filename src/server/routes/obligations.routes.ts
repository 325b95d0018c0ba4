/**
 * What Writ owes and chases: the deadline view, the dead-letter list of jobs, preservations, removal actions, user
 * notices (the desk's side), and the public notice page's data.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  deadLettersQuerySchema,
  deadlinesQuerySchema,
  nonDisclosureInputSchema,
  releaseNoticeInputSchema,
  revokeNoticeLinkInputSchema,
} from '../../core/schemas.ts';
import { listDeadLetters, retryDeadLetter } from '../../services/dead-letters.ts';
import { listDeadlines } from '../../services/deadlines.ts';
import { listNotices, readNotice, recordNonDisclosure, releaseNotice, revokeNoticeLink } from '../../services/notices.ts';
import { getPreservation } from '../../services/preservation.ts';
import { getRemoval } from '../../services/removal.ts';
import type { AppContext } from '../context.ts';
import { actor } from '../http.ts';
import {
  deadLetterSchema,
  deadlineSchema,
  noticeSchema,
  noticeViewSchema,
  pageSchema,
  preservationSchema,
  problemSchema,
  removalActionSchema,
} from '../responses.ts';

const params = z.object({ reference: z.string().max(64).describe('Tracking number (WR-YYYY-NNNNNN) or id.') });
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

export const obligationRoutes =
  (context: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/deadlines',
      {
        config: { permission: 'deadline.read' },
        schema: {
          tags: ['desk'],
          summary:
            'Desk: what is due and not done, soonest first — response deadlines (the agency’s or the law’s), emergency follow-ups, preservation expiries; overdue=true for only what has passed.',
          querystring: deadlinesQuerySchema,
          response: { 200: z.object({ now: z.string(), items: z.array(deadlineSchema).readonly() }), ...errors },
        },
      },
      async (request) => listDeadlines(context, actor(request), request.query),
    );

    app.get(
      '/jobs/dead-letters',
      {
        config: { permission: 'jobs.read' },
        schema: {
          tags: ['admin'],
          summary:
            'Admins and auditors: background jobs that failed every attempt, newest first (all=true includes those sent round again).',
          querystring: deadLettersQuerySchema,
          response: { 200: pageSchema(deadLetterSchema), ...errors },
        },
      },
      async (request) => listDeadLetters(context, actor(request), request.query),
    );

    app.post(
      '/jobs/dead-letters/:id/retry',
      {
        config: { permission: 'jobs.retry' },
        schema: {
          tags: ['admin'],
          summary: 'Admin: send a dead job round again (once); its handler is safe to run twice.',
          params: z.object({ id: z.string().max(20) }),
          body: z.strictObject({}).optional(),
          response: { 200: deadLetterSchema, ...errors },
        },
      },
      async (request) => retryDeadLetter(context, actor(request), { id: request.params.id }),
    );

    app.get(
      '/requests/:reference/preservation',
      {
        config: { permission: 'request.read' },
        schema: {
          tags: ['requests'],
          summary:
            'A preservation in force: when it expires, what its one extension adds, and what it sealed (per target and category, with hashes).',
          params,
          response: { 200: preservationSchema, ...errors },
        },
      },
      async (request) => getPreservation(context, actor(request), { reference: request.params.reference }),
    );

    app.get(
      '/requests/:reference/removal',
      {
        config: { permission: 'request.read' },
        schema: {
          tags: ['requests'],
          summary: 'A removal order: what was decided for each item of content, with its statement of reasons, and what the platform did.',
          params,
          response: { 200: z.object({ items: z.array(removalActionSchema).readonly() }), ...errors },
        },
      },
      async (request) => ({ items: await getRemoval(context, actor(request), { reference: request.params.reference }) }),
    );

    app.get(
      '/requests/:reference/notices',
      {
        config: { permission: 'notice.read' },
        schema: {
          tags: ['desk'],
          summary: 'Desk: the user notices of a request, per target: whether and when each may go, and why.',
          params,
          response: { 200: z.object({ items: z.array(noticeSchema).readonly() }), ...errors },
        },
      },
      async (request) => ({ items: await listNotices(context, actor(request), { reference: request.params.reference }) }),
    );

    app.post(
      '/requests/:reference/non-disclosure',
      {
        config: { permission: 'notice.manage' },
        schema: {
          tags: ['desk'],
          summary:
            'Desk: record the non-disclosure order’s end date, that it has none, or that none stands. Notices not yet sent are planned again and go out by themselves when allowed.',
          params,
          body: nonDisclosureInputSchema,
          response: { 200: z.object({ items: z.array(noticeSchema).readonly() }), ...errors },
        },
      },
      async (request) => ({
        items: await recordNonDisclosure(context, actor(request), { reference: request.params.reference, body: request.body }),
      }),
    );

    app.post(
      '/requests/:reference/notices/:noticeId/release',
      {
        config: { permission: 'notice.release' },
        schema: {
          tags: ['desk'],
          summary: 'Counsel: release a notice the law left to the authority (no gag may stand); it goes at once.',
          params: params.extend({ noticeId: z.uuid() }),
          body: releaseNoticeInputSchema,
          response: { 200: noticeSchema, ...errors },
        },
      },
      async (request) =>
        releaseNotice(context, actor(request), {
          reference: request.params.reference,
          noticeId: request.params.noticeId,
          body: request.body,
        }),
    );

    app.post(
      '/requests/:reference/notices/:noticeId/revoke-link',
      {
        config: { permission: 'notice.manage' },
        schema: {
          tags: ['desk'],
          summary:
            'Desk: revoke the link of a sent notice (forwarded, leaked, or the user asks): the notice page then answers exactly as a wrong link does. Audited with the reason; revoking again changes nothing.',
          params: params.extend({ noticeId: z.uuid() }),
          body: revokeNoticeLinkInputSchema,
          response: { 200: noticeSchema, ...errors },
        },
      },
      async (request) =>
        revokeNoticeLink(context, actor(request), {
          reference: request.params.reference,
          noticeId: request.params.noticeId,
          body: request.body,
        }),
    );

    app.get(
      '/notices/:token',
      {
        config: { public: true },
        schema: {
          tags: ['public'],
          summary:
            'Public, no login: the notice page of a notified user, by the token in their mail — who asked, under what process, what was disclosed or done, and how to challenge it. A wrong token, a link older than WRIT_NOTICE_LINK_DAYS or one the desk revoked answers like a missing one. Each view is an audit event (notice.viewed).',
          params: z.object({ token: z.string().max(100) }),
          response: { 200: noticeViewSchema, 404: problemSchema },
        },
      },
      async (request) => readNotice(context, { token: request.params.token }),
    );
  };
