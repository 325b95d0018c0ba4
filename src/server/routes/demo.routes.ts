/**
 * The demo sign-in aid (services/demo-sign-in.ts): a link printed at start unlocks, in that browser, a switcher between
 * the seeded demo accounts. Off, or with a wrong key, every route here answers like a route that does not exist.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { demoSignIn, listDemoAccounts, unlockDemo } from '../../services/demo-sign-in.ts';
import type { AppContext } from '../context.ts';
import { problemSchema } from '../responses.ts';
import { answerSignIn, sessionSchema } from './auth.routes.ts';

export const DEMO_COOKIE = 'writ_demo';

export const demoRoutes =
  (context: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const deps = () => ({ ...context, sessionHours: context.config.WRIT_SESSION_HOURS, demoKey: context.demoKey });
    const demoOnly = 'Only on a demo installation, with the key `writ serve` printed at start; elsewhere 404.';

    app.post(
      '/demo/unlock',
      {
        config: { public: true },
        schema: {
          tags: ['demo'],
          summary: `Unlock the demo account switcher in this browser with the key from the link printed at start. ${demoOnly}`,
          security: [],
          body: z.strictObject({ key: z.string().min(1).max(200) }),
          response: { 204: z.null().describe('Unlocked: the switcher cookie is set.'), 404: problemSchema },
        },
      },
      async (request, reply) => {
        unlockDemo(deps(), { key: request.body.key });
        // Good until Writ stops (a new start makes a new key); sent only to these routes, never readable by scripts.
        reply.setCookie(DEMO_COOKIE, request.body.key, {
          path: '/api/v1/demo',
          httpOnly: true,
          sameSite: 'strict',
          secure: context.config.WRIT_COOKIE_SECURE,
        });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/demo/accounts',
      {
        config: { public: true },
        schema: {
          tags: ['demo'],
          summary: `The seeded demo accounts this browser can switch to. ${demoOnly}`,
          security: [],
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.uuid(),
                  role: z.string(),
                  email: z.string(),
                  displayName: z.string(),
                  organisation: z.string(),
                  side: z.enum(['agency', 'desk']),
                }),
              ),
            }),
            404: problemSchema,
          },
        },
      },
      async (request) => ({ items: await listDemoAccounts(deps(), { key: request.cookies[DEMO_COOKIE] }) }),
    );

    app.post(
      '/demo/sign-in',
      {
        config: { public: true },
        schema: {
          tags: ['demo'],
          summary: `Sign in as one seeded demo account (audited as a login by the demo aid); sets the session cookie. ${demoOnly}`,
          security: [],
          body: z.strictObject({ userId: z.uuid() }),
          response: { 200: sessionSchema, 404: problemSchema },
        },
      },
      async (request, reply) => {
        const session = await demoSignIn(deps(), { key: request.cookies[DEMO_COOKIE], userId: request.body.userId, ip: request.ip });
        return answerSignIn(context, reply, session, 'demo');
      },
    );
  };
