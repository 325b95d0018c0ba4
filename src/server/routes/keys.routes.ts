/** The platform's public signing keys: what an agency checks a production's signature against. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { loadSigningKeys } from '../../evidence/signing-key.ts';
import type { AppContext } from '../context.ts';

export const keyRoutes =
  (context: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    // Every key that ever signed stays published, newest (the one signing now) first.
    app.get('/.well-known/writ/signing-key.pem', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
      const keys = await loadSigningKeys(context.keysDir);
      reply.type('application/x-pem-file').header('cache-control', 'public, max-age=300');
      return keys.map((key) => key.publicKeyPem).join('');
    });

    app.get(
      '/api/v1/signing-keys',
      {
        config: { public: true },
        schema: {
          tags: ['keys'],
          summary: 'The platform’s Ed25519 signing keys with their fingerprints; the first signs new productions.',
          security: [],
          response: {
            200: z
              .array(z.object({ id: z.string(), fingerprint: z.string(), publicKeyPem: z.string(), current: z.boolean() }).readonly())
              .readonly(),
          },
        },
      },
      async () => {
        const keys = await loadSigningKeys(context.keysDir);
        return keys.map((key, index) => ({
          id: key.id,
          fingerprint: key.fingerprint,
          publicKeyPem: key.publicKeyPem,
          current: index === 0,
        }));
      },
    );
  };
