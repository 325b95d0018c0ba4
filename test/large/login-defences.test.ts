/**
 * Login defences over HTTP: failures lock an email address (known or not, alike) and a network address, with
 * Retry-After and an audit event; every answer, errors included, carries the security headers.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI_ACTOR } from '../../src/core/actor.ts';
import { addUser } from '../../src/services/add-user.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, sessionFor, type World } from '../support/factories.ts';

const PASSWORD = 'correct horse battery staple';

describeOnEachDatabase(
  'login defences',
  (db) => {
    let app: App;
    let world: World;
    beforeAll(async () => {
      world = await buildWorld(db().context);
      app = await buildApp(db().context);
    });
    afterAll(async () => {
      await app.close();
    });

    let counter = 0;
    const newAccount = async () => {
      const email = `throttle.${Date.now()}.${(counter += 1)}@example.test`;
      await addUser(db().context, CLI_ACTOR, {
        organisationId: world.agencyA,
        email,
        displayName: 'Throttle Test',
        roles: ['officer'],
        password: PASSWORD,
      });
      return email;
    };
    // Each test logs in from its own address, so the network lock of one does not reach another.
    const login = (email: string, password: string, ip: string) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip });

    it('locks an account after five failures, even against the right password, and an unknown address exactly alike', async () => {
      const email = await newAccount();
      const unknown = `nobody.${Date.now()}@example.test`;
      for (let attempt = 1; attempt <= 5; attempt += 1) {
        expect((await login(email, 'wrong password here', '192.0.2.10')).statusCode).toBe(401);
        expect((await login(unknown, 'wrong password here', '192.0.2.11')).statusCode).toBe(401);
      }
      const locked = await login(email, PASSWORD, '192.0.2.10');
      const lockedUnknown = await login(unknown, PASSWORD, '192.0.2.11');
      expect(locked.statusCode).toBe(429);
      expect(locked.headers['retry-after']).toBe('60');
      expect(locked.json()).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 60 });
      expect(lockedUnknown.statusCode).toBe(429);
      expect(lockedUnknown.json()).toEqual(locked.json());
      const throttled = await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_events WHERE type = 'auth.login_throttled'`.execute(
        db().context.database.db,
      );
      expect(Number(throttled.rows[0]?.n)).toBeGreaterThanOrEqual(2);
    });

    it('forgets the failures of an account that logs in', async () => {
      const email = await newAccount();
      for (let attempt = 1; attempt <= 4; attempt += 1) await login(email, 'wrong password here', '192.0.2.20');
      expect((await login(email, PASSWORD, '192.0.2.20')).statusCode).toBe(200);
      // From another address: this one's own count (eight here) is not reset by a login.
      for (let attempt = 1; attempt <= 4; attempt += 1) await login(email, 'wrong password here', '192.0.2.21');
      expect((await login(email, PASSWORD, '192.0.2.21')).statusCode).toBe(200);
    });

    it('locks a network address that tries many accounts', async () => {
      const emails = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(() => newAccount()));
      for (const email of emails) expect((await login(email, 'wrong password here', '192.0.2.30')).statusCode).toBe(401);
      const fresh = await newAccount();
      expect((await login(fresh, PASSWORD, '192.0.2.30')).statusCode).toBe(429);
      expect((await login(fresh, PASSWORD, '192.0.2.31')).statusCode).toBe(200);
    });

    it('behind a trusted reverse proxy, takes the caller from X-Forwarded-For, and otherwise ignores it', async () => {
      const { context } = db();
      const proxied = await buildApp({ ...context, config: { ...context.config, WRIT_TRUST_PROXY: '127.0.0.1' } });
      const email = await newAccount();
      const from = (target: App) =>
        target.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email, password: 'wrong password here' },
          remoteAddress: '127.0.0.1',
          headers: { 'x-forwarded-for': '203.0.113.77' },
        });
      const networks = async () =>
        (
          await sql<{ network: string }>`SELECT n.network FROM user_networks n JOIN users u ON u.id = n.user_id
            WHERE u.email = ${email} ORDER BY n.network`.execute(context.database.db)
        ).rows.map((row) => row.network);
      try {
        expect((await from(proxied)).statusCode).toBe(401);
        expect((await from(app)).statusCode).toBe(401);
        const seen = await sql<{ ip: string }>`SELECT data->>'ip' AS ip FROM audit_events
          WHERE type = 'auth.login_failed' AND actor_user_id = (SELECT id FROM users WHERE email = ${email}) ORDER BY id`.execute(
          context.database.db,
        );
        expect(seen.rows.map((row) => row.ip)).toEqual(['203.0.113.77', '127.0.0.1']);
        // A signed-in person's network is kept as its /24, never the whole address.
        const signIn = { method: 'POST' as const, url: '/api/v1/auth/login', payload: { email, password: PASSWORD } };
        expect(
          (await proxied.inject({ ...signIn, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.77' } })).statusCode,
        ).toBe(200);
        expect(
          (await app.inject({ ...signIn, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.77' } })).statusCode,
        ).toBe(200);
        expect(await networks()).toEqual(['127.0.0.0/24', '203.0.113.0/24']);
      } finally {
        await proxied.close();
      }
    });

    it('refuses a breached password when an account is made, and stores nothing', async () => {
      const email = `weak.${Date.now()}@example.test`;
      const attempt = addUser(db().context, CLI_ACTOR, {
        organisationId: world.agencyA,
        email,
        displayName: 'Weak',
        roles: ['officer'],
        password: 'Qwerty123456',
      });
      await expect(attempt).rejects.toMatchObject({ code: 'VALIDATION_FAILED', detail: expect.stringMatching(/breached/) });
      expect(await db().context.store.read.users.findByEmail(email)).toBeUndefined();
    });

    it('refuses a change sent with the session cookie from another site, and allows it from this one', async () => {
      const cookie = `writ_session=${await sessionFor(db().context, world.officerA)}`;
      const post = (headers: Record<string, string>) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/tokens',
          headers: { cookie, host: 'writ.example.org', ...headers },
          payload: { name: 'x' },
        });
      expect((await post({ origin: 'https://evil.example.com' })).statusCode).toBe(403);
      expect((await post({ origin: 'null' })).statusCode).toBe(403);
      expect((await post({ 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
      expect((await post({ origin: 'https://writ.example.org' })).statusCode).toBe(201);
      expect((await post({})).statusCode).toBe(201);
      // A bearer token is not sent by browsers on their own: no origin rule applies to it.
      const token = (await post({})).json<{ token: string }>().token;
      const withToken = await app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { authorization: `Bearer ${token}`, origin: 'https://elsewhere.example.com' },
        payload: { name: 'y' },
      });
      expect(withToken.statusCode).toBe(201);
    });

    it('lists your sessions, ends one elsewhere at once, and ends a session left idle', async () => {
      const { context } = db();
      const here = `writ_session=${await sessionFor(context, world.officerA2)}`;
      const elsewhere = `writ_session=${await sessionFor(context, world.officerA2)}`;
      const listed = await app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: { cookie: here } });
      const items = listed.json<{ items: Array<{ id: string; current: boolean }> }>().items;
      expect(items).toHaveLength(2);
      expect(items.filter((item) => item.current)).toHaveLength(1);
      const other = items.find((item) => !item.current)!;
      expect((await app.inject({ method: 'GET', url: '/api/v1/requests', headers: { cookie: elsewhere } })).statusCode).toBe(200);
      expect((await app.inject({ method: 'DELETE', url: `/api/v1/auth/sessions/${other.id}`, headers: { cookie: here } })).statusCode).toBe(
        204,
      );
      expect((await app.inject({ method: 'GET', url: '/api/v1/requests', headers: { cookie: elsewhere } })).statusCode).toBe(401);
      // Someone else's session is not yours to end, and answers as one that does not exist.
      const theirs = await app.inject({
        method: 'GET',
        url: '/api/v1/auth/sessions',
        headers: { cookie: `writ_session=${await sessionFor(context, world.officerB)}` },
      });
      const theirId = theirs.json<{ items: Array<{ id: string }> }>().items[0]!.id;
      expect((await app.inject({ method: 'DELETE', url: `/api/v1/auth/sessions/${theirId}`, headers: { cookie: here } })).statusCode).toBe(
        404,
      );

      // Thirty-one minutes without a call (the default allows thirty): the session is over.
      await context.database.db
        .updateTable('sessions')
        .set({ last_seen_at: new Date(Date.now() - 31 * 60_000), created_at: new Date(Date.now() - 40 * 60_000) })
        .where('token_sha256', '=', context.secrets.sha256Hex(here.slice('writ_session='.length)))
        .execute();
      app.actors.clear();
      expect((await app.inject({ method: 'GET', url: '/api/v1/requests', headers: { cookie: here } })).statusCode).toBe(401);
    });

    it('sends the security headers on every answer, errors included', async () => {
      const cookie = `writ_session=${await sessionFor(db().context, world.officerA)}`;
      const answers = [
        await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } }),
        await app.inject({ method: 'GET', url: '/api/v1/me' }),
        await app.inject({ method: 'GET', url: '/api/v1/requests/WR-2026-999999', headers: { cookie } }),
        // Outside /api an unknown path is a page of the web app, with a CSP of its own (test/large/web-and-demo.test.ts).
        await app.inject({ method: 'GET', url: '/api/no/such/path' }),
        await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: '{not json',
          headers: { 'content-type': 'application/json' },
        }),
        await app.inject({ method: 'GET', url: '/healthz' }),
      ];
      expect(answers.map((answer) => answer.statusCode)).toEqual([200, 401, 404, 404, 400, 200]);
      for (const answer of answers) {
        expect(answer.headers['content-security-policy']).toBe(
          "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        );
        expect(answer.headers['x-content-type-options']).toBe('nosniff');
        expect(answer.headers['x-frame-options']).toBe('DENY');
        expect(answer.headers['referrer-policy']).toBe('no-referrer');
        expect(answer.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      }
    });
  },
  { WRIT_LOGIN_NETWORK_LOCK_AFTER: '8', WRIT_COOKIE_SECURE: 'true' },
);
