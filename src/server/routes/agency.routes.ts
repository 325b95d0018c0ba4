/** The caller's own agency, and the age recipient its packages may be encrypted to. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { encryptionKeyInputSchema } from '../../core/schemas.ts';
import { getOwnAgency, setAgencyEncryptionKey } from '../../services/agency-encryption-key.ts';
import type { AppContext } from '../context.ts';
import { actor } from '../http.ts';
import { problemSchema } from '../responses.ts';

const agencySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  jurisdiction: z.string().nullable(),
  verificationStatus: z.string(),
  ageRecipient: z.string().nullable().describe('The age X25519 recipient packages are encrypted to on request, or null.'),
});
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 422: problemSchema };

export const agencyRoutes =
  (context: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/agency',
      { schema: { tags: ['agency'], summary: "The caller's agency.", response: { 200: agencySchema, ...errors } } },
      async (request) => getOwnAgency(context, actor(request)),
    );

    app.put(
      '/agency/encryption-key',
      {
        schema: {
          tags: ['agency'],
          summary:
            'Register (or, with null, remove) the age X25519 recipient — the public key age-keygen prints — that packages may be encrypted to. Officers and agency admins.',
          body: encryptionKeyInputSchema,
          response: { 200: agencySchema, ...errors },
        },
      },
      async (request) => setAgencyEncryptionKey(context, actor(request), request.body),
    );
  };
