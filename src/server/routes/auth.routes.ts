/** Login, logout, who am I, and API tokens for agency systems. */
import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ROLES } from '../../core/actor.ts';
import {
  changePasswordInputSchema,
  createTokenInputSchema,
  listUsersQuerySchema,
  loginInputSchema,
  passkeyEnrolInputSchema,
  passkeyLoginInputSchema,
  resetSecondFactorInputSchema,
  securityEventsQuerySchema,
  totpConfirmInputSchema,
  userStatusInputSchema,
} from '../../core/schemas.ts';
import { USER_STATUSES } from '../../core/model.ts';
import { confirmRegistrationInputSchema, registerInputSchema } from '../../core/registration.ts';
import { confirmRegistration, register } from '../../services/register.ts';
import { listUsers, resetSecondFactor, setUserStatus } from '../../services/suspend-user.ts';
import { changePassword, listOwnSessions, revokeOwnSession, signOutEverywhere } from '../../services/sessions.ts';
import { listOwnTokens, revokeOwnToken } from '../../services/api-tokens.ts';
import { listSecurityEvents } from '../../services/security-events.ts';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../services/second-factor.ts';
import { createApiToken } from '../../services/create-api-token.ts';
import { login, logout, type Session } from '../../services/login.ts';
import { finishPasskeyEnrolment, listPasskeys, passkeyLogin, startPasskeyEnrolment, startPasskeyLogin } from '../../services/passkeys.ts';
import type { AppContext } from '../context.ts';
import { actor } from '../http.ts';

export const SESSION_COOKIE = 'writ_session';

const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  roles: z.array(z.string()),
  status: z
    .enum(USER_STATUSES)
    .describe('pending: the address is confirmed and the account waits for approval; it can enrol a second factor, nothing else.'),
  organisation: z.object({ id: z.uuid(), kind: z.enum(['platform', 'agency']), name: z.string() }),
});

export type SignInVia = 'password' | 'passkey' | 'demo';

/** Sets the session cookie and answers who signed in. */
export function answerSignIn(context: AppContext, reply: FastifyReply, session: Session, via: SignInVia) {
  reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: context.config.WRIT_COOKIE_SECURE,
    expires: new Date(session.expiresAt),
  });
  const user = session.user;
  return {
    user: {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      roles: [...user.roles],
      status: user.status,
      organisation: { id: user.organisationId, kind: user.organisationKind, name: user.organisationName },
    },
    expiresAt: session.expiresAt,
    secondFactor:
      via === 'passkey' ? ('passkey' as const) : via === 'demo' || user.totp.enabled ? ('verified' as const) : ('not_enrolled' as const),
  };
}

export const sessionSchema = z.object({
  user: userSchema,
  expiresAt: z.string(),
  secondFactor: z
    .enum(['verified', 'passkey', 'not_enrolled'])
    .describe(
      'verified: a TOTP code was checked; passkey: a passkey (both factors in one); not_enrolled: enrol one (POST /api/v1/auth/mfa/totp or /api/v1/auth/passkeys/options) before anything else, where a second factor is required.',
    ),
});

export const authRoutes =
  (context: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const deps = {
      ...context,
      sessionHours: context.config.WRIT_SESSION_HOURS,
      loginLockAfter: {
        account: context.config.WRIT_LOGIN_LOCK_AFTER,
        network: context.config.WRIT_LOGIN_NETWORK_LOCK_AFTER,
        subnet: context.config.WRIT_LOGIN_SUBNET_LOCK_AFTER,
      },
    };

    const signedIn = (reply: FastifyReply, session: Session, via: SignInVia = 'password') => answerSignIn(context, reply, session, via);

    app.post(
      '/auth/login',
      {
        // A malformed attempt is refused by the use case, which counts and audits it like a wrong password.
        config: { public: true, countsInvalidInput: true },
        attachValidation: true,
        schema: {
          tags: ['auth'],
          summary: 'Log in with email and password; sets the session cookie.',
          body: loginInputSchema,
          response: { 200: sessionSchema },
        },
      },
      async (request, reply) => signedIn(reply, await login(deps, { body: request.body, ip: request.ip })),
    );

    const passkeyDeps = { ...deps, passkeys: context.passkeys };
    app.post(
      '/auth/passkey/options',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary:
            'Start logging in with a passkey: options for the browser’s navigator.credentials.get(), with a challenge good once for five minutes.',
          response: { 200: z.record(z.string(), z.unknown()) },
        },
      },
      async () => startPasskeyLogin(passkeyDeps),
    );
    app.post(
      '/auth/passkey/login',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary:
            'Log in with the passkey the browser answered with; sets the session cookie. The device checks its PIN or biometric, so this alone is both factors.',
          body: passkeyLoginInputSchema,
          response: { 200: sessionSchema },
        },
      },
      async (request, reply) => signedIn(reply, await passkeyLogin(passkeyDeps, { body: request.body, ip: request.ip }), 'passkey'),
    );
    app.post(
      '/auth/passkeys/options',
      {
        config: { permission: 'signed_in', mfaExempt: true },
        schema: {
          tags: ['auth'],
          summary:
            'Start adding a passkey to your account: options for the browser’s navigator.credentials.create(), with a challenge good once for five minutes.',
          response: { 200: z.record(z.string(), z.unknown()) },
        },
      },
      async (request) => startPasskeyEnrolment(passkeyDeps, actor(request)),
    );
    app.post(
      '/auth/passkeys',
      {
        config: { permission: 'signed_in', mfaExempt: true },
        schema: {
          tags: ['auth'],
          summary:
            'Add the passkey the browser made; this session then counts as opened with both factors, and you can log in with the passkey alone.',
          body: passkeyEnrolInputSchema,
          response: { 201: z.object({ id: z.uuid(), name: z.string() }) },
        },
      },
      async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE] ?? '';
        const added = await finishPasskeyEnrolment(passkeyDeps, actor(request), { body: request.body, sessionToken: token });
        app.actors.drop(`session:${token}`);
        return reply.code(201).send(added);
      },
    );
    app.get(
      '/auth/passkeys',
      {
        config: { permission: 'signed_in', mfaExempt: true },
        schema: {
          tags: ['auth'],
          summary: 'Your passkeys: names, when added and when last used.',
          response: {
            200: z.object({
              items: z.array(z.object({ id: z.uuid(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() })),
            }),
          },
        },
      },
      async (request) => ({ items: await listPasskeys(passkeyDeps, actor(request)) }),
    );

    const registration = { ...context, registrationsPerHour: context.config.WRIT_REGISTRATIONS_PER_HOUR };
    app.post(
      '/auth/register',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary:
            "Register as an officer with an address at your agency's official domain. The answer is the same whatever the address: only an address at an agency in the directory is sent a code to confirm it.",
          body: registerInputSchema,
          response: { 202: z.object({ message: z.string() }) },
        },
      },
      async (request, reply) => reply.code(202).send(await register(registration, { body: request.body, ip: request.ip })),
    );

    app.post(
      '/auth/register/confirm',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary:
            "Confirm a registered address with the code mailed to it. The account then waits for its agency's admin or the platform to approve it; meanwhile it may log in and enrol a second factor.",
          body: confirmRegistrationInputSchema,
          response: { 200: z.object({ status: z.literal('pending'), message: z.string() }) },
        },
      },
      async (request) => confirmRegistration(registration, { body: request.body, ip: request.ip }),
    );

    app.post(
      '/auth/logout',
      { config: { permission: 'signed_in', mfaExempt: true }, schema: { tags: ['auth'], summary: 'End this session.' } },
      async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE];
        if (token) {
          await logout(deps, actor(request), { token });
          app.actors.drop(`session:${token}`);
        }
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send();
      },
    );

    app.get(
      '/me',
      {
        config: { permission: 'signed_in', mfaExempt: true },
        schema: { tags: ['auth'], summary: 'Who is logged in.', response: { 200: userSchema } },
      },
      async (request) => {
        const current = actor(request);
        const user = await context.store.read.users.find(current.userId);
        if (!user) throw new Error('authenticated user vanished');
        return {
          id: user.id,
          email: user.email,
          displayName: user.displayName,
          roles: [...user.roles],
          status: user.status,
          organisation: { id: user.organisationId, kind: user.organisationKind, name: user.organisationName },
        };
      },
    );

    app.post(
      '/auth/mfa/totp',
      {
        config: { permission: 'signed_in', mfaExempt: true },
        schema: {
          tags: ['auth'],
          summary:
            'Start enrolling an authenticator app: returns a TOTP secret and its otpauth:// URI (show it as a QR code). Confirm with a first code.',
          response: { 200: z.object({ secret: z.string(), uri: z.string() }) },
        },
      },
      async (request) => startTotpEnrolment(context, actor(request)),
    );

    app.post(
      '/auth/mfa/totp/confirm',
      {
        config: { permission: 'signed_in', mfaExempt: true },
        schema: {
          tags: ['auth'],
          summary: 'Confirm the authenticator with the code it shows; this session then counts as opened with both factors.',
          body: totpConfirmInputSchema,
        },
      },
      async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE] ?? '';
        await confirmTotpEnrolment(context, actor(request), { body: request.body, sessionToken: token });
        app.actors.drop(`session:${token}`);
        return reply.code(204).send();
      },
    );

    app.get(
      '/users',
      {
        config: { permission: 'user.suspend' },
        schema: {
          tags: ['auth'],
          summary:
            "People, newest first; `status=pending` is the approval queue. Platform admins: everyone (or one agency's); agency admins: their agency's people.",
          querystring: listUsersQuerySchema,
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.uuid(),
                  organisationId: z.uuid(),
                  organisationName: z.string(),
                  email: z.string(),
                  displayName: z.string(),
                  roles: z.array(z.string()),
                  status: z.enum(USER_STATUSES),
                  createdAt: z.string(),
                  emailConfirmedAt: z.string().nullable(),
                  secondFactor: z.boolean(),
                }),
              ),
              nextCursor: z.string().nullable(),
            }),
          },
        },
      },
      async (request) => {
        const page = await listUsers(context, actor(request), request.query);
        return { items: page.items.map((user) => ({ ...user, roles: [...user.roles] })), nextCursor: page.nextCursor };
      },
    );

    app.patch(
      '/users/:id',
      {
        config: { permission: 'user.suspend' },
        schema: {
          tags: ['auth'],
          summary:
            "Approve a pending person (status active), suspend (status disabled) or reinstate a person, with a reason. Suspension ends every session and token at once. Platform admins: anyone; agency admins: their agency's people.",
          params: z.object({ id: z.string().max(64) }),
          body: userStatusInputSchema,
          response: {
            200: z.object({
              id: z.uuid(),
              email: z.string(),
              displayName: z.string(),
              status: z.enum(['active', 'disabled']),
              sessionsEnded: z.number().int(),
              tokensEnded: z.number().int(),
            }),
          },
        },
      },
      async (request) => {
        const changed = await setUserStatus(context, actor(request), { id: request.params.id, body: request.body });
        app.actors.clear();
        return changed;
      },
    );

    app.post(
      '/users/:id/reset-second-factor',
      {
        config: { permission: 'user.suspend' },
        schema: {
          tags: ['auth'],
          summary:
            "For a person who lost their phone or key: removes their authenticator and passkeys and ends every session and token; they log in with their password and enrol again. Confirm who is asking through your own channel first. Platform admins: anyone; agency admins: their agency's people.",
          params: z.object({ id: z.string().max(64) }),
          body: resetSecondFactorInputSchema,
          response: {
            200: z.object({
              id: z.uuid(),
              passkeysRemoved: z.number().int(),
              sessionsEnded: z.number().int(),
              tokensEnded: z.number().int(),
            }),
          },
        },
      },
      async (request) => {
        const reset = await resetSecondFactor(context, actor(request), { id: request.params.id, body: request.body });
        app.actors.clear();
        return reset;
      },
    );

    app.get(
      '/auth/sessions',
      {
        config: { permission: 'signed_in' },
        schema: {
          tags: ['auth'],
          summary: 'Your live login sessions, newest first; `current` marks the one this call uses.',
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.uuid(),
                  createdAt: z.string(),
                  lastSeenAt: z.string(),
                  expiresAt: z.string(),
                  secondFactor: z.boolean(),
                  current: z.boolean(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => ({
        items: await listOwnSessions(context, actor(request), { currentToken: request.cookies[SESSION_COOKIE] }),
      }),
    );

    app.delete(
      '/auth/sessions/:id',
      {
        config: { permission: 'signed_in' },
        schema: { tags: ['auth'], summary: 'End one of your sessions (sign out elsewhere).', params: z.object({ id: z.string().max(64) }) },
      },
      async (request, reply) => {
        await revokeOwnSession(context, actor(request), { id: request.params.id });
        // Whoever holds that session is refused on their next call, not when the cache expires.
        app.actors.clear();
        return reply.code(204).send();
      },
    );

    app.get(
      '/security-events',
      {
        config: { permission: 'audit.security' },
        schema: {
          tags: ['audit'],
          summary:
            'Auditors and admins: failed and suspicious attempts (failed or throttled logins, rejected credentials, refused routes, held requests, directory and account changes), newest first.',
          querystring: securityEventsQuerySchema,
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  type: z.string(),
                  occurredAt: z.string(),
                  actorUserId: z.string().nullable(),
                  actorOrganisationId: z.string().nullable(),
                  via: z.string(),
                  requestId: z.string().nullable(),
                  data: z.record(z.string(), z.unknown()),
                }),
              ),
              nextCursor: z.string().nullable(),
            }),
          },
        },
      },
      async (request) => {
        const page = await listSecurityEvents(context, actor(request), request.query);
        return { items: [...page.items], nextCursor: page.nextCursor };
      },
    );

    app.post(
      '/tokens',
      {
        config: { permission: 'token.create' },
        schema: {
          tags: ['auth'],
          summary:
            'Issue a bearer token for an agency system; the token is shown once. It lives at most WRIT_TOKEN_MAX_DAYS and acts with the roles in `scope` (some or all of yours); minted with a token, it never outlives that token or holds a role it lacks, and is revoked with it.',
          body: createTokenInputSchema,
          response: {
            201: z.object({ id: z.uuid(), name: z.string(), token: z.string(), expiresAt: z.string(), scope: z.array(z.enum(ROLES)) }),
          },
        },
      },
      async (request, reply) => reply.code(201).send(await createApiToken(context, actor(request), request.body)),
    );

    app.get(
      '/tokens',
      {
        config: { permission: 'signed_in' },
        schema: {
          tags: ['auth'],
          summary:
            'Your live API tokens, newest first: name, when made, last used (to the minute) and ends, the roles each acts with, and the token it was minted with. Never a secret; `current` marks the token this call uses.',
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.uuid(),
                  name: z.string(),
                  createdAt: z.string(),
                  lastUsedAt: z.string().nullable(),
                  expiresAt: z.string(),
                  scope: z.array(z.enum(ROLES)).nullable().describe('null: a token made before scopes, acting with all your roles.'),
                  parentTokenId: z.uuid().nullable(),
                  current: z.boolean(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => ({
        items: (await listOwnTokens(context, actor(request))).map((token) => ({
          ...token,
          scope: token.scope ? [...token.scope] : null,
        })),
      }),
    );

    app.delete(
      '/tokens/:id',
      {
        config: { permission: 'signed_in' },
        schema: {
          tags: ['auth'],
          summary:
            'Revoke one of your API tokens, and every token minted with it. Refused on its next use (by another process of a cluster, within WRIT_AUTH_CACHE_MS).',
          params: z.object({ id: z.string().max(64) }),
        },
      },
      async (request, reply) => {
        await revokeOwnToken(context, actor(request), { id: request.params.id });
        app.actors.clear();
        return reply.code(204).send();
      },
    );

    app.post(
      '/auth/sessions/revoke-all',
      {
        config: { permission: 'signed_in' },
        schema: {
          tags: ['auth'],
          summary:
            'Sign out everywhere: end every one of your sessions, this one included, and every API token you hold. For when you fear your account was used by someone else.',
          response: { 200: z.object({ sessionsEnded: z.number().int(), tokensEnded: z.number().int() }) },
        },
      },
      async (request, reply) => {
        const ended = await signOutEverywhere(context, actor(request));
        app.actors.clear();
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return ended;
      },
    );

    app.post(
      '/auth/password',
      {
        config: { permission: 'signed_in' },
        schema: {
          tags: ['auth'],
          summary:
            'Change your password, with your current one. Every other session of yours and every API token you hold end; this session stays.',
          body: changePasswordInputSchema,
          response: { 200: z.object({ sessionsEnded: z.number().int(), tokensEnded: z.number().int() }) },
        },
      },
      async (request) => {
        const changed = await changePassword(deps, actor(request), { body: request.body, sessionToken: request.cookies[SESSION_COOKIE] });
        app.actors.clear();
        return changed;
      },
    );
  };
