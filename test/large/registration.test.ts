/**
 * Officer registration over HTTP, with the real job queue and real RFC 6238 codes: an address at an agency's official
 * domain gets a one-time code by mail (here the .eml folder Writ writes when no SMTP server is set), confirms it, logs
 * in, enrols an authenticator, waits for approval, and only then submits. Every other address gets the same answer and
 * no account; codes work once and expire; a network that registers too often must wait.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REGISTRATION_ANSWER } from '../../src/services/register.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { startJobs } from '../../src/server/context.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, multipartBody, PDF_BYTES, requestPayload, sessionFor, type World } from '../support/factories.ts';

const PASSWORD = 'a long passphrase nobody guesses 42';

describeOnEachDatabase(
  'officer registration',
  (db) => {
    let app: App;
    let world: World;
    let domainA = '';
    let domainB = '';
    let network = 10;
    beforeAll(async () => {
      const { context } = db();
      world = await buildWorld(context);
      app = await buildApp(context);
      await startJobs(context);
      domainA = (await context.store.read.organisations.find(world.agencyA))!.emailDomains[0]!;
      domainB = (await context.store.read.organisations.find(world.agencyB))!.emailDomains[0]!;
    });
    afterAll(async () => {
      await app.close();
    });

    /** Each test calls from its own network address, so one test's attempts never count against another's. */
    const newNetwork = () => `203.0.113.${(network += 1)}`;
    const register = (email: string, ip: string, password = PASSWORD) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email, displayName: 'Kim Investigator', password },
        remoteAddress: ip,
      });
    const confirm = (code: string, ip: string) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/register/confirm', payload: { code }, remoteAddress: ip });
    const mailFolder = () => path.join(db().context.config.WRIT_DATA_DIR, 'mail', 'outgoing');
    const mails = (): string[] => {
      try {
        return readdirSync(mailFolder())
          .filter((name) => name.endsWith('.eml'))
          .map((name) => readFileSync(path.join(mailFolder(), name), 'utf8'));
      } catch {
        return [];
      }
    };
    const mailTo = (email: string) => mails().filter((mail) => mail.includes(`To: ${email}`));
    const codeIn = (mail: string) => /writ_c_[A-Za-z0-9_-]+/.exec(mail)![0];
    const userRow = (email: string) =>
      db()
        .context.database.db.selectFrom('users')
        .select(['id', 'status', 'roles', 'organisation_id', 'email_code_sha256'])
        .where('email', '=', email)
        .executeTakeFirst();
    const auditTypes = async (userId: string) =>
      (
        await db()
          .context.database.db.selectFrom('audit_events')
          .select(['type', 'data'])
          .where(sql<boolean>`actor_user_id = ${userId} OR data->>'userId' = ${userId}`)
          .execute()
      ).map((row) => row.type);

    it('takes a new officer from registration to an approved, MFA-protected submission', async () => {
      const { context } = db();
      const ip = newNetwork();
      const email = `kim.${Date.now()}@${domainA}`;
      const registered = await register(email, ip);
      expect(registered.statusCode).toBe(202);
      expect(registered.json()).toEqual({ message: REGISTRATION_ANSWER });
      expect(await userRow(email)).toMatchObject({ status: 'unconfirmed', roles: ['officer'], organisation_id: world.agencyA });
      // An unconfirmed account cannot log in.
      const early = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password: PASSWORD },
        remoteAddress: ip,
      });
      expect(early.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });

      await context.jobs!.drain();
      const [mail] = mailTo(email);
      expect(mail).toBeDefined();
      expect(mail).toContain('Subject: Confirm your address for Writ');
      const code = codeIn(mail!);
      // Only the code's SHA-256 is stored.
      expect((await userRow(email))!.email_code_sha256).toBe(context.secrets.sha256Hex(code));
      const confirmed = await confirm(code, ip);
      expect(confirmed.statusCode).toBe(200);
      expect(confirmed.json()).toMatchObject({ status: 'pending' });

      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password: PASSWORD },
        remoteAddress: ip,
      });
      expect(login.statusCode).toBe(200);
      expect(login.json()).toMatchObject({ secondFactor: 'not_enrolled', user: { status: 'pending' } });
      const cookie = /writ_session=[^;]+/.exec(String(login.headers['set-cookie']))![0];
      const as = (method: 'GET' | 'POST', url: string, payload?: object) =>
        app.inject({ method, url, headers: { cookie }, remoteAddress: ip, ...(payload ? { payload } : {}) });
      expect((await as('GET', '/api/v1/requests')).json()).toMatchObject({ code: 'MFA_ENROLMENT_REQUIRED' });
      const { secret } = (await as('POST', '/api/v1/auth/mfa/totp')).json<{ secret: string }>();
      expect((await as('POST', '/api/v1/auth/mfa/totp/confirm', { code: context.secondFactor.code(secret, new Date()) })).statusCode).toBe(
        204,
      );
      // Both factors, but not yet approved: nothing beyond their own account.
      const waiting = await as('POST', '/api/v1/requests', requestPayload());
      expect(waiting.statusCode).toBe(403);
      expect(waiting.json()).toMatchObject({ code: 'APPROVAL_PENDING' });
      expect((await as('GET', '/api/v1/requests')).json()).toMatchObject({ code: 'APPROVAL_PENDING' });
      expect((await as('GET', '/api/v1/me')).json()).toMatchObject({ email, status: 'pending' });

      // The agency's admin sees them in the approval queue and approves them.
      const adminCookie = `writ_session=${await sessionFor(context, world.agencyAdminA)}`;
      const queue = await app.inject({ method: 'GET', url: '/api/v1/users?status=pending', headers: { cookie: adminCookie } });
      expect(queue.statusCode).toBe(200);
      const waitingPerson = queue
        .json<{ items: Array<{ id: string; email: string; secondFactor: boolean }> }>()
        .items.find((u) => u.email === email);
      expect(waitingPerson).toMatchObject({ secondFactor: true });
      const approved = await app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${waitingPerson!.id}`,
        headers: { cookie: adminCookie },
        payload: { status: 'active', reason: 'Confirmed by phone with the unit chief.' },
      });
      expect(approved.statusCode).toBe(200);
      app.actors.clear();

      const form = multipartBody(Buffer.concat([PDF_BYTES, Buffer.from(email)]));
      const upload = await app.inject({
        method: 'POST',
        url: '/api/v1/documents',
        headers: { cookie, ...form.headers },
        payload: form.payload,
      });
      expect(upload.statusCode).toBe(201);
      const submitted = await as('POST', '/api/v1/requests', requestPayload({ documentIds: [upload.json<{ id: string }>().id] }));
      expect(submitted.statusCode).toBe(201);
      // Verification (the job) passes it to review: a known agency, its official domain, no anomaly.
      await context.jobs!.drain();
      const stored = await context.store.read.requests.find({ kind: 'desk' }, submitted.json<{ trackingNumber: string }>().trackingNumber);
      expect(stored?.state).toBe('in_review');
      expect(await auditTypes(waitingPerson!.id)).toEqual(
        expect.arrayContaining(['auth.registration_requested', 'user.email_confirmed', 'user.approved', 'request.submitted']),
      );
    });

    it('answers every address alike, and sends a code only to an official domain of an agency that is not shut out', async () => {
      const { context } = db();
      const ip = newNetwork();
      const stamp = Date.now();
      const existing = (await context.store.read.users.find(world.officerA.userId))!.email;
      await context.store.transaction((r) =>
        r.organisations.changeStatus({
          organisationId: world.agencyB,
          from: 'verified',
          to: 'suspended',
          reason: 'Test',
          changedBy: world.admin.userId,
          at: new Date(),
        }),
      );
      const addresses = [
        `nobody.${stamp}@unknown-police.example`,
        `lookalike.${stamp}@${domainA.replace('.', 'x.')}`,
        `sub.${stamp}@mail.${domainA}`,
        existing,
        `shut.${stamp}@${domainB}`,
      ];
      const usersBefore = Number(
        (
          await context.database.db
            .selectFrom('users')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      for (const email of addresses) {
        const answer = await register(email, ip);
        expect(answer.statusCode, email).toBe(202);
        expect(answer.json(), email).toEqual({ message: REGISTRATION_ANSWER });
      }
      await context.jobs!.drain();
      for (const email of addresses) expect(mailTo(email), email).toEqual([]);
      const usersAfter = Number(
        (
          await context.database.db
            .selectFrom('users')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      expect(usersAfter).toBe(usersBefore);
      const outcomes = await context.database.db
        .selectFrom('audit_events')
        .select(sql<string>`data->>'outcome'`.as('outcome'))
        .where('type', '=', 'auth.registration_requested')
        .where(sql<boolean>`data->>'ip' = ${ip}`)
        .execute();
      expect(outcomes.map((row) => row.outcome).sort()).toEqual(
        ['account_exists', 'not_in_directory', 'not_in_directory', 'not_in_directory', 'not_in_directory'].sort(),
      );
      await context.store.transaction((r) =>
        r.organisations.changeStatus({
          organisationId: world.agencyB,
          from: 'suspended',
          to: 'verified',
          reason: 'Test over',
          changedBy: world.admin.userId,
          at: new Date(),
        }),
      );

      // A weak password is refused before anything is stored or sent.
      const weak = await register(`weak.${stamp}@${domainA}`, ip, 'password1234');
      expect(weak.statusCode).toBe(400);
      expect(await userRow(`weak.${stamp}@${domainA}`)).toBeUndefined();
    });

    it('takes a code once and only before it expires, keeps approval for confirmed addresses of the approver’s own agency', async () => {
      const { context } = db();
      const ip = newNetwork();
      const email = `lee.${Date.now()}@${domainA}`;
      expect((await register(email, ip)).statusCode).toBe(202);
      await context.jobs!.drain();
      const code = codeIn(mailTo(email)[0]!);
      const adminCookie = `writ_session=${await sessionFor(context, world.admin)}`;
      const unconfirmed = (await userRow(email))!;
      const approveEarly = await app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${unconfirmed.id}`,
        headers: { cookie: adminCookie },
        payload: { status: 'active', reason: 'Too early.' },
      });
      expect(approveEarly.json()).toMatchObject({ code: 'ADDRESS_NOT_CONFIRMED' });

      expect((await confirm('writ_c_not-a-code-anyone-was-sent', ip)).json()).toMatchObject({ code: 'CONFIRMATION_CODE_INVALID' });
      // Expired: the code stops working after WRIT_CONFIRMATION_HOURS.
      await context.database.db
        .updateTable('users')
        .set({ email_code_expires_at: new Date(Date.now() - 1000) })
        .where('id', '=', unconfirmed.id)
        .execute();
      expect((await confirm(code, ip)).json()).toMatchObject({ code: 'CONFIRMATION_CODE_INVALID' });
      // Registering again sends a fresh code; the fresh one works once.
      expect((await register(email, ip)).statusCode).toBe(202);
      await context.jobs!.drain();
      const fresh = mailTo(email)
        .map(codeIn)
        .find((value) => value !== code)!;
      expect((await confirm(fresh, ip)).statusCode).toBe(200);
      // That was this network's fifth attempt in the hour (the limit here): the rest come from another.
      const ip2 = newNetwork();
      expect((await confirm(fresh, ip2)).json()).toMatchObject({ code: 'CONFIRMATION_CODE_INVALID' });
      expect((await userRow(email))!.status).toBe('pending');

      // Another agency's pending person is invisible to agency A's admin, in the queue and by id.
      const otherEmail = `park.${Date.now()}@${domainB}`;
      expect((await register(otherEmail, ip2)).statusCode).toBe(202);
      await context.jobs!.drain();
      expect((await confirm(codeIn(mailTo(otherEmail)[0]!), ip2)).statusCode).toBe(200);
      const other = (await userRow(otherEmail))!;
      const agencyAdmin = `writ_session=${await sessionFor(context, world.agencyAdminA)}`;
      const queue = await app.inject({ method: 'GET', url: '/api/v1/users?status=pending', headers: { cookie: agencyAdmin } });
      expect(queue.json<{ items: Array<{ email: string }> }>().items.map((u) => u.email)).not.toContain(otherEmail);
      const crossApproval = await app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${other.id}`,
        headers: { cookie: agencyAdmin },
        payload: { status: 'active', reason: 'Not mine to approve.' },
      });
      const missing = await app.inject({
        method: 'PATCH',
        url: '/api/v1/users/00000000-0000-4000-8000-00000000abcd',
        headers: { cookie: agencyAdmin },
        payload: { status: 'active', reason: 'Not mine to approve.' },
      });
      expect(crossApproval.statusCode).toBe(404);
      expect(crossApproval.body).toBe(missing.body);
      expect((await userRow(otherEmail))!.status).toBe('pending');
      expect(
        (
          await context.database.db
            .selectFrom('audit_events')
            .select('type')
            .where(sql<boolean>`data->>'ip' IN (${ip}, ${ip2})`)
            .where('type', '=', 'auth.confirmation_failed')
            .execute()
        ).length,
      ).toBe(3);
    });

    it('makes a network that registers too often wait, and lets other networks through', async () => {
      const ip = newNetwork();
      const stamp = Date.now();
      const answers: number[] = [];
      for (let attempt = 0; attempt < 6; attempt += 1)
        answers.push((await register(`flood.${stamp}.${attempt}@nowhere.example`, ip)).statusCode);
      expect(answers).toEqual([202, 202, 202, 202, 202, 429]);
      const limited = await register(`flood.${stamp}.last@nowhere.example`, ip);
      expect(limited.headers['retry-after']).toMatch(/^\d+$/);
      expect((await confirm('writ_c_anything', ip)).statusCode).toBe(429);
      expect((await register(`calm.${stamp}@nowhere.example`, newNetwork())).statusCode).toBe(202);
    });
  },
  { WRIT_REGISTRATIONS_PER_HOUR: '5' },
);
