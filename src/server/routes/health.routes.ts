/** Liveness and readiness. */
import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';

export const healthRoutes =
  (context: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));
    app.get('/readyz', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
      try {
        await sql`SELECT 1 FROM schema_migrations LIMIT 1`.execute(context.database.db);
        return { status: 'ready', database: context.database.kind };
      } catch {
        return reply
          .code(503)
          .type('application/problem+json')
          .send({ status: 503, code: 'INTERNAL', title: 'Not ready', detail: 'The database is not reachable.' });
      }
    });
  };
