/** Callbacks to an agency's directory number, and the follow-up legal process an emergency request promises. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CALLBACK_OUTCOMES } from '../../core/emergency.ts';
import { callbackInputSchema, followUpInputSchema } from '../../core/schemas.ts';
import { listCallbacks, recordCallback, recordFollowUp } from '../../services/callbacks.ts';
import type { AppContext } from '../context.ts';
import { actor } from '../http.ts';
import { problemSchema, requestSchema } from '../responses.ts';

const params = z.object({ reference: z.string().max(64).describe('Tracking number (WR-YYYY-NNNNNN) or id.') });
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

export const callbackSchema = z.object({
  id: z.uuid(),
  calledBy: z.uuid(),
  phone: z.string().describe('The directory number as dialled (E.164), copied from the directory at the time.'),
  outcome: z.enum(CALLBACK_OUTCOMES),
  spokeWith: z.string().nullable(),
  note: z.string().nullable(),
  calledAt: z.string(),
});

export const emergencyRoutes =
  (context: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/requests/:reference/callbacks',
      {
        config: { permission: 'request.callback' },
        schema: {
          tags: ['desk'],
          summary:
            "Desk: record a call to the agency's verification number from the directory (never one from the request). An emergency request releases nothing until the latest callback confirmed it.",
          params,
          body: callbackInputSchema,
          response: { 201: callbackSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await recordCallback(context, actor(request), { reference: request.params.reference, body: request.body })),
    );

    app.get(
      '/requests/:reference/callbacks',
      {
        config: { permission: 'request.read_notes' },
        schema: {
          tags: ['desk'],
          summary: 'Desk: the callbacks recorded for a request, oldest first.',
          params,
          response: { 200: z.object({ items: z.array(callbackSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listCallbacks(context, actor(request), { reference: request.params.reference }) }),
    );

    app.post(
      '/requests/:reference/follow-up',
      {
        config: { permission: 'request.decide' },
        schema: {
          tags: ['desk'],
          summary: 'Desk: record that the legal process an approved emergency request promised has come (its due date is set on approval).',
          params,
          body: followUpInputSchema,
          response: { 200: requestSchema, ...errors },
        },
      },
      async (request) => recordFollowUp(context, actor(request), { reference: request.params.reference, body: request.body }),
    );
  };
