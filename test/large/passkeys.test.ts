/**
 * Passkeys over HTTP: an officer adds one from a password-only session (which then counts as both factors), logs in
 * with it alone and submits; an answer made for a look-alike site, a replayed answer, a cloned key's lagging counter, an
 * unknown key and malformed bodies are all refused alike, audited, and counted toward the network's login limit.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/server/app.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, requestPayload, sessionFor, uploadPdf, type World } from '../support/factories.ts';
import { softAuthenticator, type SoftAuthenticator } from '../support/soft-authenticator.ts';

const ORIGIN = 'http://localhost:8080';

describeOnEachDatabase('passkeys', (db) => {
  let app: App;
  let world: World;
  let device: SoftAuthenticator;

  beforeAll(async () => {
    world = await buildWorld(db().context);
    app = await buildApp(db().context);
    device = softAuthenticator(ORIGIN);
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (url: string, payload: object, headers: Record<string, string> = {}, ip = '198.51.100.60') =>
    app.inject({ method: 'POST', url, payload, headers, remoteAddress: ip });
  const loginOptions = async (ip?: string) => (await post('/api/v1/auth/passkey/options', {}, {}, ip)).json<Record<string, unknown>>();
  const failures = async () =>
    (
      await sql<{
        n: string;
      }>`SELECT count(*)::text AS n FROM audit_events WHERE type = 'auth.login_failed' AND data->>'reason' IN ('passkey_not_verified', 'unknown_account')`.execute(
        db().context.database.db,
      )
    ).rows[0]!.n;

  it('adds a passkey from a password-only session, which then counts as both factors', async () => {
    const cookie = { cookie: `writ_session=${await sessionFor(db().context, world.officerA, false)}` };
    expect((await app.inject({ method: 'GET', url: '/api/v1/requests', headers: cookie })).json()).toMatchObject({
      code: 'MFA_ENROLMENT_REQUIRED',
    });
    const options = (await post('/api/v1/auth/passkeys/options', {}, cookie)).json<Record<string, unknown>>();
    expect(options).toMatchObject({ rp: { id: 'localhost', name: 'Writ' }, authenticatorSelection: { userVerification: 'required' } });
    // An answer made on a look-alike site is refused and stores nothing.
    const phished = await post(
      '/api/v1/auth/passkeys',
      { name: 'phished', response: device.create(options, { origin: 'http://writ-login.example' }) },
      cookie,
    );
    expect(phished.statusCode).toBe(422);
    expect(phished.json()).toMatchObject({ code: 'PASSKEY_INVALID' });
    // That challenge is spent: even the right answer to it is refused now; a fresh one goes through.
    expect((await post('/api/v1/auth/passkeys', { name: 'late', response: device.create(options) }, cookie)).statusCode).toBe(422);
    const fresh = (await post('/api/v1/auth/passkeys/options', {}, cookie)).json<Record<string, unknown>>();
    const added = await post('/api/v1/auth/passkeys', { name: 'work laptop', response: device.create(fresh) }, cookie);
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ name: 'work laptop' });
    app.actors.clear();
    expect((await app.inject({ method: 'GET', url: '/api/v1/requests', headers: cookie })).statusCode).toBe(200);
    const listed = await app.inject({ method: 'GET', url: '/api/v1/auth/passkeys', headers: cookie });
    expect(listed.json<{ items: Array<{ name: string }> }>().items.map((item) => item.name)).toEqual(['work laptop']);
    // The same device cannot be added twice.
    const again = (await post('/api/v1/auth/passkeys/options', {}, cookie)).json<Record<string, unknown>>();
    expect(again.excludeCredentials).toEqual([expect.objectContaining({ id: device.credentialId })]);
    expect((await post('/api/v1/auth/passkeys', { name: 'twice', response: device.create(again) }, cookie)).statusCode).toBe(422);
  });

  it('logs in with the passkey alone, with both factors, and the officer can submit', async () => {
    const options = await loginOptions();
    expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'required' });
    const signedIn = await post('/api/v1/auth/passkey/login', { response: device.get(options) });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json()).toMatchObject({ secondFactor: 'passkey', user: { id: world.officerA.userId } });
    const cookie = { cookie: `writ_session=${signedIn.cookies.find((c) => c.name === 'writ_session')!.value}` };
    const documentId = await uploadPdf(db().context, world.officerA);
    const sent = await app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      headers: cookie,
      payload: requestPayload({ documentIds: [documentId] }),
    });
    expect(sent.statusCode).toBe(201);
    const used = await app.inject({ method: 'GET', url: '/api/v1/auth/passkeys', headers: cookie });
    expect(used.json<{ items: Array<{ lastUsedAt: string | null }> }>().items[0]?.lastUsedAt).not.toBeNull();
  });

  it('refuses a look-alike origin, a replay, a lagging counter and an unknown key alike, and audits each', async () => {
    const before = Number(await failures());
    const refusals = [];
    // An answer a phishing page relayed: signed for its own origin.
    refusals.push(
      await post('/api/v1/auth/passkey/login', { response: device.get(await loginOptions(), { origin: 'http://writ-login.example' }) }),
    );
    // A good answer, sent twice: the challenge is used up by the first.
    const good = device.get(await loginOptions());
    expect((await post('/api/v1/auth/passkey/login', { response: good })).statusCode).toBe(200);
    refusals.push(await post('/api/v1/auth/passkey/login', { response: good }));
    // A copy of the key whose counter lags behind the one Writ saw last.
    refusals.push(await post('/api/v1/auth/passkey/login', { response: device.get(await loginOptions(), { counter: 1 }) }));
    // A key Writ never saw.
    refusals.push(await post('/api/v1/auth/passkey/login', { response: softAuthenticator(ORIGIN).get(await loginOptions()) }));
    for (const refused of refusals) {
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toEqual(refusals[0]!.json());
    }
    expect(Number(await failures()) - before).toBe(refusals.length);
  });

  it('answers malformed bodies with a problem, never a crash, and locks a network that keeps failing', async () => {
    for (const payload of [
      {},
      { response: 'x' },
      { response: { id: 42 } },
      { response: { id: 'a'.repeat(40), response: null } },
      { response: {}, extra: 1 },
    ]) {
      const answer = await post('/api/v1/auth/passkey/login', payload, {}, '198.51.100.61');
      expect([400, 401]).toContain(answer.statusCode);
      expect(answer.headers['content-type']).toContain('application/problem+json');
    }
    const ip = '198.51.100.62';
    let last = await post('/api/v1/auth/passkey/login', { response: softAuthenticator(ORIGIN).get(await loginOptions()) }, {}, ip);
    for (let attempt = 0; attempt < 25 && last.statusCode === 401; attempt += 1) {
      last = await post('/api/v1/auth/passkey/login', { response: softAuthenticator(ORIGIN).get(await loginOptions()) }, {}, ip);
    }
    expect(last.statusCode).toBe(429);
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
  });

  it("lets the agency's admin take away a lost passkey: it no longer logs in, and every session ends", async () => {
    const session = (
      await post(
        '/api/v1/auth/passkey/login',
        { response: device.get(await loginOptions('198.51.100.63'), { counter: 1000 }) },
        {},
        '198.51.100.63',
      )
    ).cookies.find((c) => c.name === 'writ_session')!.value;
    const admin = { cookie: `writ_session=${await sessionFor(db().context, world.agencyAdminA)}` };
    const reason = { reason: 'Lost laptop; confirmed by phone with the unit chief.' };
    // Another agency's officer answers exactly like nobody.
    const other = await post(`/api/v1/users/${world.officerB.userId}/reset-second-factor`, reason, admin);
    const missing = await post('/api/v1/users/00000000-0000-4000-8000-00000000abcd/reset-second-factor', reason, admin);
    expect(other.statusCode).toBe(404);
    expect(other.body).toBe(missing.body);
    const reset = await post(`/api/v1/users/${world.officerA.userId}/reset-second-factor`, reason, admin);
    expect(reset.statusCode).toBe(200);
    expect(reset.json()).toMatchObject({ passkeysRemoved: 1 });
    expect(reset.json<{ sessionsEnded: number }>().sessionsEnded).toBeGreaterThan(0);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `writ_session=${session}` } })).statusCode).toBe(401);
    const again = await post(
      '/api/v1/auth/passkey/login',
      { response: device.get(await loginOptions('198.51.100.64')) },
      {},
      '198.51.100.64',
    );
    expect(again.statusCode).toBe(401);
    const events = await sql<{ data: { userId: string; reason: string } }>`
      SELECT data FROM audit_events WHERE type = 'user.second_factor_reset' AND actor_user_id = ${world.agencyAdminA.userId}`.execute(
      db().context.database.db,
    );
    expect(events.rows.map((row) => row.data)).toEqual([expect.objectContaining({ userId: world.officerA.userId, reason: reason.reason })]);
  });
});
