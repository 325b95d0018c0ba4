/**
 * The authorization matrix, generated from the app's route table: every route × every role (and anonymous) × the
 * caller's own resource, another agency's, and one that does not exist. What each route needs is what it declares
 * (`config.permission`), judged by the one permission table in core; another agency's resource must answer byte for
 * byte like a missing one; a session opened with a password only reaches nothing but the routes that enrol a second
 * factor; a registered officer awaiting approval reaches nothing but their own account. A route added without a sample
 * below fails this test.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { can, type Actor, type Permission } from '../../src/core/actor.ts';
import { buildApp, type App, type RouteEntry } from '../../src/server/app.ts';
import { processIntakeMessage } from '../../src/services/process-intake-message.ts';
import { receiveIntakeMessage } from '../../src/services/receive-intake-message.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildMessage } from '../support/mail.ts';
import { buildWorld, multipartBody, PDF_BYTES, sessionFor, submitted, uploadPdf, type World } from '../support/factories.ts';

type Resource = 'request' | 'document' | 'agency' | 'user' | 'session' | 'token' | 'intake_message' | 'draft' | 'deadLetter' | 'none';
interface Sample {
  readonly resource: Resource;
  /** The path to call, when the route's own has a parameter that is not a resource. */
  readonly path?: string;
  readonly body?: unknown;
  readonly multipart?: boolean;
}

/** One entry per route: what it acts on and a valid body, so a refusal can only come from who is asking. */
const SAMPLES: Readonly<Record<string, Sample>> = {
  'POST /api/v1/auth/logout': { resource: 'none' },
  'GET /api/v1/me': { resource: 'none' },
  'POST /api/v1/auth/mfa/totp': { resource: 'none' },
  'POST /api/v1/auth/mfa/totp/confirm': { resource: 'none', body: { code: '123456' } },
  'POST /api/v1/auth/passkeys/options': { resource: 'none' },
  'POST /api/v1/auth/passkeys': { resource: 'none', body: { name: 'matrix', response: { id: 'AAAAAAAAAAAAAAAAAAAAAA' } } },
  'GET /api/v1/auth/passkeys': { resource: 'none' },
  'POST /api/v1/tokens': { resource: 'none', body: { name: 'matrix' } },
  'GET /api/v1/tokens': { resource: 'none' },
  'DELETE /api/v1/tokens/:id': { resource: 'token' },
  'POST /api/v1/auth/sessions/revoke-all': { resource: 'none' },
  'POST /api/v1/auth/password': { resource: 'none', body: { currentPassword: 'not the password', newPassword: 'a long new passphrase' } },
  'POST /api/v1/requests': {
    resource: 'none',
    body: {
      kind: 'preservation',
      jurisdiction: 'KR',
      legalProcess: { instrumentType: 'preservation_order', documentIds: [] },
      targets: [{ kind: 'username', value: 'matrix.user' }],
      categories: ['subscriber'],
    },
  },
  'GET /api/v1/requests': { resource: 'none' },
  'POST /api/v1/requests/preview-findings': {
    resource: 'none',
    body: { kind: 'disclosure', jurisdiction: 'KR', legalProcess: { instrumentType: 'search_warrant' }, targets: [], categories: [] },
  },
  'POST /api/v1/review': {
    resource: 'none',
    body: { kind: 'disclosure', jurisdiction: 'KR', targets: ['matrix.user'], categories: ['subscriber'] },
  },
  'GET /api/v1/requests/:reference/resolution': { resource: 'request' },
  'GET /api/v1/settings': { resource: 'none' },
  'GET /api/v1/requests/:reference': { resource: 'request' },
  'GET /api/v1/requests/:reference/status': { resource: 'request' },
  'POST /api/v1/requests/:reference/messages': { resource: 'request', body: { body: 'A question about the case.' } },
  'POST /api/v1/requests/:reference/notes': { resource: 'request', body: { body: 'Checked the warrant.' } },
  'POST /api/v1/requests/:reference/confirm-requester': { resource: 'request', body: {} },
  'POST /api/v1/requests/:reference/ask-info': { resource: 'request', body: { question: 'Which account exactly?' } },
  'POST /api/v1/requests/:reference/answer': { resource: 'request', body: { body: 'The first one.' } },
  'POST /api/v1/requests/:reference/approve': { resource: 'request', body: { reason: 'Within the warrant.' } },
  'POST /api/v1/requests/:reference/reject': { resource: 'request', body: { reasons: 'Outside the warrant.' } },
  'POST /api/v1/requests/:reference/produce': { resource: 'request', body: {} },
  'POST /api/v1/requests/:reference/close': { resource: 'request', body: {} },
  'POST /api/v1/requests/:reference/withdraw': { resource: 'request', body: {} },
  'POST /api/v1/requests/:reference/:action': { resource: 'request', body: {} },
  'GET /api/v1/requests/:reference/production': { resource: 'request' },
  'GET /api/v1/requests/:reference/findings': { resource: 'request' },
  'GET /api/v1/requests/:reference/production/download': { resource: 'request' },
  'POST /api/v1/requests/:reference/callbacks': { resource: 'request', body: { outcome: 'no_answer' } },
  'GET /api/v1/requests/:reference/callbacks': { resource: 'request' },
  'POST /api/v1/requests/:reference/follow-up': { resource: 'request', body: {} },
  'POST /api/v1/documents': { resource: 'none', multipart: true },
  'GET /api/v1/documents/:id': { resource: 'document' },
  'GET /api/v1/agency': { resource: 'none' },
  'PUT /api/v1/agency/encryption-key': { resource: 'none', body: { recipient: null } },
  'GET /api/v1/agencies': { resource: 'none' },
  'GET /api/v1/agencies/:id': { resource: 'agency' },
  'PATCH /api/v1/agencies/:id': { resource: 'agency', body: { jurisdiction: 'KR' } },
  'GET /api/v1/security-events': { resource: 'none' },
  'GET /api/v1/auth/sessions': { resource: 'none' },
  'DELETE /api/v1/auth/sessions/:id': { resource: 'session' },
  'PATCH /api/v1/users/:id': { resource: 'user', body: { status: 'active', reason: 'Reinstated after review.' } },
  'POST /api/v1/users/:id/reset-second-factor': { resource: 'user', body: { reason: 'Lost phone; confirmed by video call.' } },
  'GET /api/v1/users': { resource: 'none' },
  'GET /api/v1/intake/messages': { resource: 'none' },
  'GET /api/v1/intake/messages/:id': { resource: 'intake_message' },
  'GET /api/v1/intake/messages/:id/raw': { resource: 'intake_message' },
  'GET /api/v1/intake/drafts': { resource: 'none' },
  'GET /api/v1/intake/drafts/:reference': { resource: 'draft' },
  'PATCH /api/v1/intake/drafts/:reference': { resource: 'draft', body: { version: 1, corrections: { kind: 'removal' } } },
  'POST /api/v1/intake/drafts/:reference/confirm': { resource: 'draft', body: {} },
  'POST /api/v1/intake/drafts/:reference/discard': { resource: 'draft', body: { reason: 'Not a request.' } },
  'POST /api/v1/intake/drafts/:reference/accept': {
    resource: 'draft',
    body: { messageId: '00000000-0000-4000-8000-000000000005', field: 'targets.usernames' },
  },
  'POST /api/v1/requests/:reference/preserve': { resource: 'request', body: {} },
  'POST /api/v1/requests/:reference/extend': { resource: 'request', body: {} },
  'POST /api/v1/requests/:reference/release': { resource: 'request', body: {} },
  'POST /api/v1/requests/:reference/act': {
    resource: 'request',
    body: { items: [{ targetId: '00000000-0000-4000-8000-000000000008', action: 'kept', reasons: 'Lawful opinion.' }] },
  },
  'GET /api/v1/requests/:reference/preservation': { resource: 'request' },
  'GET /api/v1/requests/:reference/removal': { resource: 'request' },
  'GET /api/v1/requests/:reference/notices': { resource: 'request' },
  'POST /api/v1/requests/:reference/non-disclosure': { resource: 'request', body: { ordered: false, reason: 'No order stands.' } },
  'POST /api/v1/requests/:reference/notices/:noticeId/release': { resource: 'request', body: { reason: 'The agency notified.' } },
  'POST /api/v1/requests/:reference/notices/:noticeId/revoke-link': { resource: 'request', body: { reason: 'The link was forwarded.' } },
  'GET /api/v1/deadlines': { resource: 'none' },
  'GET /api/v1/jobs/dead-letters': { resource: 'none' },
  'POST /api/v1/jobs/dead-letters/:id/retry': { resource: 'deadLetter', body: {} },
  'GET /api/v1/requests/:reference/production/receipt': { resource: 'request' },
  'GET /api/v1/audit/events/:leafIndex': { resource: 'none', path: '/api/v1/audit/events/0' },
  'GET /api/v1/transparency/dsa-statements': { resource: 'none' },
};

const NOT_FOUND_CODES = new Set(['REQUEST_NOT_FOUND', 'DOCUMENT_NOT_FOUND', 'ORGANISATION_NOT_FOUND', 'NOT_FOUND']);
const MISSING = {
  request: 'WR-2026-999999',
  document: '00000000-0000-4000-8000-000000000001',
  agency: '00000000-0000-4000-8000-000000000002',
  user: '00000000-0000-4000-8000-000000000003',
  session: '00000000-0000-4000-8000-000000000004',
  token: '00000000-0000-4000-8000-000000000006',
  intake_message: '00000000-0000-4000-8000-000000000005',
  draft: 'WR-2026-999998',
  deadLetter: '999999999',
};

describeOnEachDatabase('authorization matrix', (db) => {
  let app: App;
  let world: World;
  let principals: Array<{ name: string; actor: Actor | undefined; agency: boolean; passwordOnly?: boolean; awaitingApproval?: boolean }>;
  const own = { request: '', document: '', agency: '', user: '', session: '', token: '', intake_message: '', draft: '', deadLetter: '' };
  // Intake is the desk's alone: an agency's people are refused it whatever they name.
  const other = {
    request: '',
    document: '',
    user: '',
    session: '',
    token: '',
    intake_message: '',
    draft: '',
    deadLetter: MISSING.deadLetter,
  };

  beforeAll(async () => {
    const { context } = db();
    world = await buildWorld(context);
    app = await buildApp(context);
    own.request = await submitted(context, world.officerA);
    own.document = await uploadPdf(context, world.officerA);
    own.agency = world.agencyA;
    own.user = world.officerA.userId;
    other.user = world.officerB.userId;
    other.session = await sessionIdOf(world.officerB);
    other.token = await tokenIdOf(world.officerB);
    other.request = await submitted(context, world.officerB);
    other.document = await uploadPdf(context, world.officerB);
    const { message } = await receiveIntakeMessage(context, {
      bytes: buildMessage({ from: 'someone@elsewhere.test', text: 'Please remove https://example.org/post/1 at once.' }),
      source: 'import',
    });
    await processIntakeMessage(context, { messageId: message.id, acknowledge: false });
    own.intake_message = message.id;
    own.draft = (await context.store.read.intake.findMessage(message.id))!.draftId!;
    other.intake_message = own.intake_message;
    other.draft = own.draft;
    // A job that failed every attempt, for the admin's retry (dead letters belong to no agency).
    own.deadLetter = (
      await context.database.db
        .insertInto('dead_letters')
        .values({ outbox_id: null, topic: 'request.verify', payload: JSON.stringify({ requestId: 'none' }), reason: 'Error', attempts: 7 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    principals = [
      { name: 'anonymous', actor: undefined, agency: false },
      { name: 'officer', actor: world.officerA, agency: true },
      { name: 'officer with a password only', actor: world.officerA2, agency: true, passwordOnly: true },
      { name: 'registered officer awaiting approval', actor: await awaitingApproval(), agency: true, awaitingApproval: true },
      { name: 'agency_admin', actor: world.agencyAdminA, agency: true },
      { name: 'reviewer', actor: world.reviewer, agency: false },
      { name: 'counsel', actor: world.counsel, agency: false },
      { name: 'admin', actor: world.admin, agency: false },
      { name: 'auditor', actor: world.auditor, agency: false },
    ];
  });
  afterAll(async () => {
    await app.close();
  });

  const key = (route: RouteEntry) => `${route.method} ${route.url}`;
  /** An officer of agency A who confirmed their address and waits for approval (roles as stored: officer). */
  async function awaitingApproval(): Promise<Actor> {
    const { context } = db();
    const person = await context.store.transaction((r) =>
      r.users.insert({
        organisationId: world.agencyA,
        email: `waiting.${Date.now()}@matrix.example.test`,
        displayName: 'Waiting',
        roles: ['officer'],
        passwordHash: null,
        status: 'pending',
      }),
    );
    return { ...world.officerA, userId: person.id };
  }
  /** The id of a new session of `actor` (sessions are their owner's own resource). */
  async function sessionIdOf(actor: Actor): Promise<string> {
    const { context } = db();
    const token = await sessionFor(context, actor);
    const row = await context.database.db
      .selectFrom('sessions')
      .select('id')
      .where('token_sha256', '=', context.secrets.sha256Hex(token))
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** The id of a new API token of `actor` (tokens, too, are their owner's own resource). */
  async function tokenIdOf(actor: Actor): Promise<string> {
    const { context } = db();
    const { id } = await context.store.read.credentials.insertToken({
      userId: actor.userId,
      name: 'matrix',
      tokenSha256: context.secrets.sha256Hex(context.secrets.newToken('writ_t')),
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    return id;
  }

  it('has a sample for every route, and none for a route that is gone', () => {
    const guarded = app.routeTable.filter((route) => !route.public).map(key);
    expect(guarded.filter((route) => !(route in SAMPLES))).toEqual([]);
    expect(Object.keys(SAMPLES).filter((route) => !guarded.includes(route))).toEqual([]);
    expect(app.routeTable.filter((route) => !route.public && route.permission === undefined)).toEqual([]);
  });

  it('answers every route × role × own / other / missing resource as the permission table says', async () => {
    const { context } = db();
    const call = async (route: RouteEntry, actor: Actor | undefined, id: string | undefined, passwordOnly: boolean) => {
      const sample = SAMPLES[key(route)]!;
      // Logging out ends the session it is sent with: give it one of its own.
      const headers: Record<string, string> = actor ? { cookie: `writ_session=${await sessionFor(context, actor, !passwordOnly)}` } : {};
      const url =
        sample.path ??
        route.url
          .replace(/:(reference|id)/, id ?? '')
          .replace(':action', 'no-such-action')
          .replace(':noticeId', '00000000-0000-4000-8000-000000000009');
      if (sample.multipart) {
        const form = multipartBody(Buffer.concat([PDF_BYTES, Buffer.from(String(Math.random()))]));
        return app.inject({ method: 'POST', url, headers: { ...headers, ...form.headers }, payload: form.payload });
      }
      return app.inject({
        method: route.method as 'GET',
        url,
        headers,
        ...(sample.body !== undefined ? { payload: sample.body as object } : {}),
      });
    };
    const failures: string[] = [];
    let checked = 0;
    for (const route of app.routeTable.filter((entry) => !entry.public)) {
      const sample = SAMPLES[key(route)]!;
      for (const principal of principals) {
        const held = principal.passwordOnly === true && !route.mfaExempt;
        const waiting = principal.awaitingApproval === true && route.permission !== 'signed_in';
        const allowed =
          principal.actor !== undefined &&
          !held &&
          !waiting &&
          (route.permission === 'signed_in' || can(principal.actor, route.permission as Permission));
        const cases: Array<['own' | 'other' | 'missing', string | undefined]> =
          sample.resource === 'none'
            ? [['own', undefined]]
            : [
                [
                  'own',
                  sample.resource === 'session' && principal.actor
                    ? await sessionIdOf(principal.actor)
                    : sample.resource === 'token' && principal.actor
                      ? await tokenIdOf(principal.actor)
                      : own[sample.resource],
                ],
                ['missing', MISSING[sample.resource]],
                ...(sample.resource !== 'agency' && principal.agency ? [['other', other[sample.resource]] as ['other', string]] : []),
              ];
        const answers = new Map<string, { status: number; body: string }>();
        for (const [which, id] of cases) {
          const response = await call(route, principal.actor, id, principal.passwordOnly === true);
          answers.set(which, { status: response.statusCode, body: response.body });
          const where = `${key(route)} as ${principal.name} on ${which}: ${response.statusCode} ${response.body.slice(0, 120)}`;
          checked += 1;
          const errorCode = response.statusCode >= 400 ? (response.json<{ code?: string }>().code ?? '') : '';
          if (!principal.actor) {
            if (response.statusCode !== 401) failures.push(`expected 401: ${where}`);
          } else if (held) {
            if (response.statusCode !== 403 || errorCode !== 'MFA_ENROLMENT_REQUIRED')
              failures.push(`expected MFA_ENROLMENT_REQUIRED: ${where}`);
          } else if (waiting) {
            if (response.statusCode !== 403 || errorCode !== 'APPROVAL_PENDING') failures.push(`expected APPROVAL_PENDING: ${where}`);
          } else if (!allowed) {
            if (response.statusCode !== 403 || errorCode !== 'FORBIDDEN') failures.push(`expected 403: ${where}`);
          } else if (which === 'missing') {
            if (response.statusCode !== 404) failures.push(`expected 404: ${where}`);
          } else if (which === 'own') {
            if ([401, 403].includes(response.statusCode) || NOT_FOUND_CODES.has(errorCode)) failures.push(`expected access: ${where}`);
          }
        }
        const otherAnswer = answers.get('other');
        const missingAnswer = answers.get('missing');
        if (allowed && otherAnswer && missingAnswer) {
          if (otherAnswer.status !== missingAnswer.status || otherAnswer.body !== missingAnswer.body) {
            failures.push(`another agency's resource answers unlike a missing one: ${key(route)} as ${principal.name}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(250);
  });
});
