/** The Fastify application: auth, problem+json errors, OpenAPI, and the routes. Routes are thin: parse, call, present. */
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { can, isSystem, SYSTEM_ACTOR, type Actor, type Permission } from '../core/actor.ts';
import { isWritError, type ErrorCode } from '../core/errors.ts';
import { refusedStringPath } from '../core/safe-strings.ts';
import { runInAgencyScope } from '../db/agency-scope.ts';
import { authenticate } from '../services/authenticate.ts';
import type { AppContext } from './context.ts';
import { actorCache, type ActorCache } from './actor-cache.ts';
import { problem } from './problem.ts';
import { agencyRoutes } from './routes/agency.routes.ts';
import { auditRoutes } from './routes/audit.routes.ts';
import { transparencyRoutes } from './routes/transparency.routes.ts';
import { authRoutes, SESSION_COOKIE } from './routes/auth.routes.ts';
import { documentRoutes } from './routes/documents.routes.ts';
import { emergencyRoutes } from './routes/emergency.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { intakeRoutes } from './routes/intake.routes.ts';
import { keyRoutes } from './routes/keys.routes.ts';
import { obligationRoutes } from './routes/obligations.routes.ts';
import { requestRoutes } from './routes/requests.routes.ts';
import { demoRoutes } from './routes/demo.routes.ts';
import { isApiPath, loadWebApp, type WebApp } from './web.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Who credentials belong to, cached briefly; logout drops its entry. */
    actors: ActorCache;
    /** Every route with what it needs: the authorization matrix test is generated from it. */
    routeTable: RouteEntry[];
  }
  interface FastifyRequest {
    actor: Actor | undefined;
  }
  interface FastifyContextConfig {
    /** Routes anyone may call without logging in. */
    public?: boolean;
    /**
     * What a caller needs: a permission from the one table in core, or just to be signed in. Every route that is not
     * public declares one (the app refuses to start otherwise), and it is checked before the route runs; the use case
     * checks again.
     */
    permission?: Permission | 'signed_in';
    /** Open to a session without a second factor yet: logging out, who am I, enrolling one. */
    mfaExempt?: boolean;
    /**
     * The use case validates the body itself (the route sets attachValidation), because a malformed attempt must be
     * counted and audited there: login.
     */
    countsInvalidInput?: boolean;
  }
}

export type App = FastifyInstance;

const hostOf = (origin: string): string | undefined => {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
};

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Sent by a page of another site: its Origin names another host, is opaque (`null`), or the browser says cross-site. */
function isCrossSite(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  const site = request.headers['sec-fetch-site'];
  const foreignOrigin = typeof origin === 'string' && origin !== 'null' && hostOf(origin) !== request.headers.host;
  return foreignOrigin || origin === 'null' || site === 'cross-site';
}

export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly public: boolean;
  readonly permission: Permission | 'signed_in' | undefined;
  readonly mfaExempt: boolean;
}

export async function buildApp(context: AppContext, options: { web?: WebApp | undefined } = {}): Promise<FastifyInstance> {
  const web = 'web' in options ? options.web : loadWebApp();
  const app = Fastify({
    logger: false,
    bodyLimit: context.config.WRIT_MAX_BODY_BYTES,
    trustProxy: context.config.WRIT_TRUST_PROXY ?? false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Writ',
        version: '1',
        description: 'Receive, verify, review and answer government requests about a platform’s users.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(cookie);
  await app.register(multipart, { limits: { files: 1, fields: 5, fileSize: context.config.WRIT_MAX_UPLOAD_BYTES + 1, parts: 6 } });

  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { public?: boolean; permission?: Permission | 'signed_in'; mfaExempt?: boolean };
    if (!config.public && !config.permission) throw new Error(`route ${String(route.method)} ${route.url} declares no permission`);
    // An agency's person is served inside their agency's scope: on PostgreSQL, row-level security then hides every
    // other agency's rows from whatever the handler asks of the database (src/db/agency-scope.ts).
    const handler = route.handler;
    route.handler = function scoped(this: FastifyInstance, request, reply) {
      const actor = request.actor;
      return actor?.organisationKind === 'agency' && !isSystem(actor)
        ? runInAgencyScope(actor.organisationId, () => handler.call(this, request, reply))
        : handler.call(this, request, reply);
    };
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routeTable.push({
        method,
        url: route.url,
        public: config.public === true,
        permission: config.permission,
        mfaExempt: config.mfaExempt === true,
      });
    }
  });

  const actors = actorCache(context.config.WRIT_AUTH_CACHE_MS);
  app.decorate('actors', actors);
  app.decorateRequest('actor', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const session = request.cookies[SESSION_COOKIE];
    const ip = request.ip;
    const credential = bearer
      ? { kind: 'token' as const, secret: bearer }
      : session
        ? { kind: 'session' as const, secret: session }
        : undefined;
    if (credential) {
      const cached = await actors.get(`${credential.kind}:${credential.secret}`, () => authenticate(context, credential));
      request.actor = cached && { ...cached, ip };
    }
    const { config } = request.routeOptions;
    if (request.routeOptions.url === undefined) return;
    // The cookie-less public changes too (login, registration, passkey login): a page on another site must not make a
    // visitor's browser log in, register or spend their network's login attempts.
    if (config.public) {
      if (!SAFE_METHODS.has(request.method) && isCrossSite(request)) {
        await context.store.read.audit.append(
          { ...SYSTEM_ACTOR, via: 'session', ...(ip ? { ip } : {}) },
          { type: 'access.denied', data: { method: request.method, route: request.routeOptions.url, reason: 'cross_site' } },
        );
        return reply.code(403).type('application/problem+json').send(problem('FORBIDDEN', 'A change sent from another site is refused.'));
      }
      return;
    }
    if (!request.actor) {
      // A credential that was sent but is no good is an attempt the auditor sees; no credential at all is not.
      if (credential) {
        await context.store.read.audit.append(
          { ...SYSTEM_ACTOR, via: credential.kind, ip },
          { type: 'auth.credential_rejected', data: { kind: credential.kind } },
        );
      }
      return reply.code(401).type('application/problem+json').send(problem('UNAUTHENTICATED', 'Log in, or send a bearer token.'));
    }
    const denied = (reason: 'permission' | 'second_factor' | 'cross_site' | 'approval') =>
      context.store.read.audit.append(request.actor!, {
        type: 'access.denied',
        data: { method: request.method, route: request.routeOptions.url ?? '', reason },
      });
    // A cookie rides along on requests other sites make; a change sent with one must come from this site. (The cookie
    // is SameSite=Strict as well: this is the second wall.)
    if (request.actor.via === 'session' && !SAFE_METHODS.has(request.method)) {
      if (isCrossSite(request)) {
        await denied('cross_site');
        return reply.code(403).type('application/problem+json').send(problem('FORBIDDEN', 'A change sent from another site is refused.'));
      }
    }
    if (context.config.WRIT_REQUIRE_MFA && request.actor.via === 'session' && !request.actor.mfa && !config.mfaExempt) {
      await denied('second_factor');
      return reply
        .code(403)
        .type('application/problem+json')
        .send(
          problem(
            'MFA_ENROLMENT_REQUIRED',
            'This account needs a second factor: enrol an authenticator (POST /api/v1/auth/mfa/totp, then /confirm), or log in with its code.',
          ),
        );
    }
    if (request.actor.awaitingApproval && config.permission !== 'signed_in') {
      await denied('approval');
      return reply
        .code(403)
        .type('application/problem+json')
        .send(
          problem(
            'APPROVAL_PENDING',
            "This account waits for approval by its agency's admin or the platform. Meanwhile it can enrol a second factor and read /me.",
          ),
        );
    }
    if (config.permission !== 'signed_in' && (!config.permission || !can(request.actor, config.permission))) {
      await denied('permission');
      return reply.code(403).type('application/problem+json').send(problem('FORBIDDEN', 'Your role does not allow this.'));
    }
  });
  // Strings PostgreSQL cannot store (NUL, unpaired surrogates) are refused here, once for every route, in the body, the
  // query string and the path, before any schema or use case sees them (issue 17: a NUL in any string was a 500).
  app.addHook('preValidation', async (request, reply) => {
    if (request.routeOptions.config.countsInvalidInput) return;
    for (const [part, value] of [
      ['body', request.body],
      ['querystring', request.query],
      ['params', request.params],
    ] as const) {
      const path = refusedStringPath(value);
      if (path === undefined) continue;
      return reply
        .code(400)
        .type('application/problem+json')
        .send(
          problem('VALIDATION_FAILED', 'The input is not valid.', {
            errors: [{ path: path ? `${part}.${path}` : part, message: 'holds a NUL character or an unpaired surrogate' }],
          }),
        );
    }
  });
  // Every answer, errors included: the API serves data, never a page, so nothing may run, frame or be fetched from it.
  // The web app's pages set a strict policy of their own (server/web.ts).
  const secure = context.config.WRIT_COOKIE_SECURE;
  app.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    }
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    if (secure) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    reply.header('cache-control', reply.getHeader('cache-control') ?? 'no-store');
  });

  // The access log names the route pattern, never the URL: paths and query strings can carry identifiers.
  app.addHook('onResponse', async (request, reply) => {
    context.log.info(
      {
        reqId: request.id,
        method: request.method,
        route: request.routeOptions.url ?? '(none)',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  app.setNotFoundHandler((request, reply) => {
    // The web app: its built files, and its page for every other address outside the API (its router shows the rest).
    const urlPath = request.url.split('?')[0] ?? '/';
    if (web && (request.method === 'GET' || request.method === 'HEAD') && !isApiPath(urlPath)) {
      const file = web.file(urlPath);
      if (file) {
        reply.header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
        return reply.type(file.type).send(file.body);
      }
      if (!urlPath.startsWith('/assets/')) {
        const page = web.page();
        reply.header('content-security-policy', page.csp);
        return reply.type('text/html; charset=utf-8').send(page.html);
      }
    }
    return reply.code(404).type('application/problem+json').send(problem('NOT_FOUND', 'No such resource.'));
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const send = (code: ErrorCode, detail: string, extra?: Record<string, unknown>) => {
      const body = problem(code, detail, extra);
      return reply.code(body.status).type('application/problem+json').send(body);
    };
    if (isWritError(error)) {
      const retryAfter = error.extra.retryAfterSeconds;
      if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
      return send(error.code, error.detail, error.extra);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.map((issue) => ({
        path: `${error.validationContext ?? 'body'}${issue.instancePath.replaceAll('/', '.')}`,
        message: issue.message ?? 'invalid',
      }));
      return send('VALIDATION_FAILED', 'The input is not valid.', { errors });
    }
    const status = error.statusCode ?? 500;
    if (status === 413 || error.code === 'FST_REQ_FILE_TOO_LARGE') return send('PAYLOAD_TOO_LARGE', 'The body is too large.');
    if (status === 415) return send('UNSUPPORTED_MEDIA_TYPE', 'This content type is not accepted here.');
    if (status === 400 && (error instanceof SyntaxError || error.code?.startsWith('FST_ERR_CTP'))) {
      return send('MALFORMED_JSON', 'The body could not be parsed.');
    }
    if (status >= 400 && status < 500) return send('VALIDATION_FAILED', 'The request is not valid.');
    // Only the error's class and code: its message may quote bound parameters, which can be personal data.
    context.log.error({ reqId: request.id, route: request.routeOptions.url, error: error.name, code: error.code }, 'unhandled error');
    return send('INTERNAL', 'Something went wrong; the request changed nothing. Try again later.');
  });

  await app.register(healthRoutes(context));
  await app.register(keyRoutes(context));
  await app.register(authRoutes(context), { prefix: '/api/v1' });
  await app.register(requestRoutes(context), { prefix: '/api/v1' });
  await app.register(documentRoutes(context), { prefix: '/api/v1' });
  await app.register(agencyRoutes(context), { prefix: '/api/v1' });
  await app.register(emergencyRoutes(context), { prefix: '/api/v1' });
  await app.register(intakeRoutes(context), { prefix: '/api/v1' });
  await app.register(demoRoutes(context), { prefix: '/api/v1' });
  await app.register(obligationRoutes(context), { prefix: '/api/v1' });
  await app.register(auditRoutes(context), { prefix: '/api/v1' });
  await app.register(transparencyRoutes(context), { prefix: '/api/v1' });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  return app;
}
