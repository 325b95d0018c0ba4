/**
 * The second factor over HTTP, with real RFC 6238 codes: a new account logs in with a password, can do nothing but
 * enrol an authenticator, confirms it with a code, and from then on logs in with password and code; a code is good
 * once, a wrong one fails like a wrong password and counts toward the lock.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI_ACTOR } from '../../src/core/actor.ts';
import { addUser } from '../../src/services/add-user.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, type World } from '../support/factories.ts';

const PASSWORD = 'correct horse battery staple';

describeOnEachDatabase('second factor', (db) => {
  let app: App;
  let world: World;
  beforeAll(async () => {
    world = await buildWorld(db().context);
    app = await buildApp(db().context);
  });
  afterAll(async () => {
    await app.close();
  });

  const code = (secret: string, offsetSeconds = 0) => db().context.secondFactor.code(secret, new Date(Date.now() + offsetSeconds * 1000));
  const login = (email: string, extra: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: PASSWORD, ...extra },
      remoteAddress: '198.51.100.7',
    });
  const cookieOf = (response: { headers: Record<string, unknown> }) =>
    /writ_session=[^;]+/.exec(String(response.headers['set-cookie']))![0];

  it('takes an officer from a password-only login through enrolment to sessions and tokens that need the code', async () => {
    const email = `mfa.${Date.now()}@example.test`;
    await addUser(db().context, CLI_ACTOR, {
      organisationId: world.agencyA,
      email,
      displayName: 'MFA Test',
      roles: ['officer'],
      password: PASSWORD,
    });

    const first = await login(email);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ secondFactor: 'not_enrolled' });
    const cookie = cookieOf(first);
    const held = await app.inject({ method: 'GET', url: '/api/v1/requests', headers: { cookie } });
    expect(held.statusCode).toBe(403);
    expect(held.json()).toMatchObject({ code: 'MFA_ENROLMENT_REQUIRED' });
    expect((await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie }, payload: { name: 'x' } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);

    const enrolment = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa/totp', headers: { cookie } });
    expect(enrolment.statusCode).toBe(200);
    const { secret, uri } = enrolment.json<{ secret: string; uri: string }>();
    expect(uri).toMatch(/^otpauth:\/\/totp\/Writ:.+\?.*secret=/);
    const confirm = (value: string) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/mfa/totp/confirm', headers: { cookie }, payload: { code: value } });
    const wrongDigit = String((Number(code(secret)) + 1) % 1_000_000).padStart(6, '0');
    expect((await confirm(wrongDigit)).json()).toMatchObject({ code: 'MFA_CODE_INVALID' });
    expect((await confirm(code(secret))).statusCode).toBe(204);
    // The same session now counts as opened with both factors.
    expect((await app.inject({ method: 'GET', url: '/api/v1/requests', headers: { cookie } })).statusCode).toBe(200);
    const token = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie }, payload: { name: 'case system' } });
    expect(token.statusCode).toBe(201);
    const bearer = { authorization: `Bearer ${token.json<{ token: string }>().token}` };
    expect((await app.inject({ method: 'GET', url: '/api/v1/requests', headers: bearer })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/mfa/totp', headers: { cookie } })).json()).toMatchObject({
      code: 'MFA_ALREADY_ENROLLED',
    });

    // From now on a login needs the code; each code works once.
    expect((await login(email)).json()).toMatchObject({ code: 'MFA_REQUIRED' });
    expect((await login(email, { code: wrongDigit })).json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    const next = code(secret, 30);
    const withCode = await login(email, { code: next });
    expect(withCode.statusCode).toBe(200);
    expect(withCode.json()).toMatchObject({ secondFactor: 'verified' });
    expect((await app.inject({ method: 'GET', url: '/api/v1/requests', headers: { cookie: cookieOf(withCode) } })).statusCode).toBe(200);
    const replayed = await login(email, { code: next });
    expect(replayed.statusCode).toBe(401);
    expect(replayed.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    // An older code than the last one used is refused as well.
    expect((await login(email, { code: code(secret) })).statusCode).toBe(401);

    const reasons = await db()
      .context.database.db.selectFrom('audit_events')
      .select('data')
      .where('type', '=', 'auth.login_failed')
      .execute();
    const seen = reasons.map((row) => (row.data as { reason: string }).reason);
    expect(seen).toContain('wrong_code');
    expect(seen).toContain('code_reused');
  });
});
