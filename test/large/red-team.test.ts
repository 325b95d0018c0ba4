/**
 * The red team: forged and suspicious requests, each of which must end held for the desk or refused — and, at the
 * end, not one byte released: no production and no download for any request this suite made. Spoofed and lookalike
 * domains, new and bursting accounts, forged emergencies, hijacked officer accounts, suspended agencies, replayed
 * credentials, and guessing at another agency's tracking numbers.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI_ACTOR, type Actor } from '../../src/core/actor.ts';
import type { HoldCode } from '../../src/core/anomalies.ts';
import { WritError } from '../../src/core/errors.ts';
import { addUser } from '../../src/services/add-user.ts';
import { updateAgency } from '../../src/services/agency-directory.ts';
import { approveRequest } from '../../src/services/approve-request.ts';
import { actorOf } from '../../src/services/authenticate.ts';
import { recordCallback } from '../../src/services/callbacks.ts';
import { createApiToken } from '../../src/services/create-api-token.ts';
import { getRequest } from '../../src/services/get-request.ts';
import { startProduction } from '../../src/services/production.ts';
import { submitRequest } from '../../src/services/submit-request.ts';
import { confirmRequester, verifyRequest } from '../../src/services/verify-request.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { startJobs } from '../../src/server/context.ts';
import { HOUR, testClock } from '../support/clock.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import {
  buildWorld,
  multipartBody,
  PDF_BYTES,
  requestPayload,
  sessionFor,
  submitted,
  uploadPdf,
  type World,
} from '../support/factories.ts';

const PASSWORD = 'correct horse battery staple';
const DANGER = { dangerDescription: 'He posted that he will shoot his former partner tonight, with a photo of a gun.', attestation: true };
const EMERGENCY = {
  kind: 'emergency' as const,
  legalProcess: { instrumentType: 'emergency_request' as const, issuingAuthority: 'Seoul Police', documentIds: [] },
  categories: ['subscriber' as const],
  emergency: { ...DANGER, attestation: true as const },
};

const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WritError) return error.code;
    throw error;
  }
  return 'OK';
};

describeOnEachDatabase('red team', (db) => {
  let app: App;
  let world: World;
  let officialDomain: string;
  const made: string[] = [];
  const strict = { newAccountDays: 7, burstPerHour: 3, newNetworkDays: 3 };

  beforeAll(async () => {
    const { context } = db();
    world = await buildWorld(context);
    app = await buildApp(context);
    // A plain official domain to imitate, beside the generated one the world's officers use.
    const generated = (await context.store.read.organisations.find(world.agencyA))!.emailDomains;
    officialDomain = 'police.example.kr';
    await updateAgency(context, world.admin, { id: world.agencyA, body: { emailDomains: [...generated, officialDomain] } });
  });
  afterAll(async () => {
    await app.close();
  });

  let counter = 0;
  /** An officer of agency A with an address at `domain`, whose account is `ageDays` old. */
  const officerAt = async (domain: string, ageDays = 30, organisationId = world.agencyA): Promise<Actor> => {
    const { context } = db();
    const email = `officer${(counter += 1)}.${Date.now()}@${domain}`;
    const { id } = await addUser(context, CLI_ACTOR, {
      organisationId,
      email,
      displayName: 'Officer',
      roles: ['officer'],
      password: PASSWORD,
    });
    await sql`UPDATE users SET created_at = now() - make_interval(days => ${ageDays}) WHERE id = ${id}`.execute(context.database.db);
    return actorOf((await context.store.read.users.findActive(id))!, 'session');
  };
  const submit = async (officer: Actor, overrides: Parameters<typeof submitted>[2] = {}) => {
    const tracking = await submitted(db().context, officer, overrides);
    made.push(tracking);
    return tracking;
  };
  /** Verification as the job runs it, with strict limits; returns the state and the hold codes the desk sees. */
  const verify = async (tracking: string) => {
    const { context } = db();
    const request = await context.store.read.requests.find({ kind: 'desk' }, tracking);
    await verifyRequest({ ...context, holdLimits: strict }, { requestId: request!.id });
    const view = await getRequest(context, world.reviewer, { reference: tracking });
    return { state: view.request.state, holds: (view.holds ?? []).map((hold) => hold.code) };
  };
  /** Held, for `code` (or, where two reasons fit the case, for either of them). */
  const expectHeld = async (tracking: string, code: HoldCode | readonly HoldCode[]) => {
    const result = await verify(tracking);
    expect(result.state).toBe('verifying');
    const codes: readonly HoldCode[] = typeof code === 'string' ? [code] : code;
    expect(result.holds.some((hold) => codes.includes(hold))).toBe(true);
    // Nothing can be approved while held (an emergency request is refused even earlier, for want of a callback).
    const refusal = await codeOf(approveRequest(db().context, world.counsel, { reference: tracking, body: { reason: 'x' } }));
    expect(['INVALID_TRANSITION', 'CALLBACK_REQUIRED']).toContain(refusal);
    expect((await db().context.store.read.requests.find({ kind: 'desk' }, tracking))?.state).toBe('verifying');
  };
  /** An emergency request from a seasoned officer of agency A, past verification and into review. */
  const emergencyInReview = async (officer: Actor = world.officerA) => {
    const tracking = await submit(officer, EMERGENCY);
    const { state } = await verify(tracking);
    if (state === 'verifying') await confirmRequester(db().context, world.reviewer, { reference: tracking });
    return tracking;
  };
  const cookie = async (actor: Actor, mfa = true) => ({ cookie: `writ_session=${await sessionFor(db().context, actor, mfa)}` });
  const login = (email: string, password: string, extra: Record<string, string> = {}, ip = '203.0.113.9') =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password, ...extra }, remoteAddress: ip });

  // Spoofed and lookalike senders: held for the desk, with the reason.
  it('1. an address at a free-mail domain is held', async () => {
    await expectHeld(await submit(await officerAt('gmail.com')), 'DOMAIN_NOT_IN_DIRECTORY');
  });
  it('2. a digit-for-letter lookalike of the official domain is held', async () => {
    await expectHeld(await submit(await officerAt(officialDomain.replace(/o/, '0'))), 'LOOKALIKE_DOMAIN');
  });
  it('3. an address with a Cyrillic homoglyph in its domain cannot even become an account', async () => {
    const email = `kim@${officialDomain.replace(/e/, 'е')}`;
    const added = addUser(db().context, CLI_ACTOR, {
      organisationId: world.agencyA,
      email,
      displayName: 'K',
      roles: ['officer'],
      password: PASSWORD,
    });
    expect(await codeOf(added)).toBe('VALIDATION_FAILED');
  });
  it('4. the official domain used as the prefix of another is held', async () => {
    await expectHeld(await submit(await officerAt(`${officialDomain}.secure-mail.example.com`)), 'LOOKALIKE_DOMAIN');
  });
  it('5. a punycode domain is held', async () => {
    await expectHeld(await submit(await officerAt('xn--80ak6aa92e.example.test')), 'LOOKALIKE_DOMAIN');
  });
  it('6. a domain one letter longer than the official one is held', async () => {
    await expectHeld(await submit(await officerAt(`x${officialDomain}`)), 'LOOKALIKE_DOMAIN');
  });
  it("7. another agency's official domain in this agency's account is held", async () => {
    const otherDomain = (await db().context.store.read.organisations.find(world.agencyB))!.emailDomains[0]!;
    // The test world's generated domains can be one letter apart, so this may also read as a lookalike.
    await expectHeld(await submit(await officerAt(otherDomain)), ['DOMAIN_NOT_IN_DIRECTORY', 'LOOKALIKE_DOMAIN']);
  });

  // Accounts that behave unlike an established officer.
  it('8. a request from a day-old account is held', async () => {
    await expectHeld(await submit(await officerAt(officialDomain, 1)), 'NEW_ACCOUNT');
  });
  it("9. an officer's first emergency request is held", async () => {
    const tracking = await submit(await officerAt(officialDomain), EMERGENCY);
    await expectHeld(tracking, 'FIRST_EMERGENCY');
  });
  it('10. a burst of requests from one officer holds the ones past the limit', async () => {
    const officer = await officerAt(officialDomain);
    const numbers = [];
    for (let index = 0; index < 4; index += 1) numbers.push(await submit(officer));
    const states = [];
    for (const tracking of numbers) states.push((await verify(tracking)).state);
    expect(states.slice(0, 3)).toEqual(['in_review', 'in_review', 'in_review']);
    await expectHeld(numbers[3]!, 'BURST');
  });
  it("11. a request invoking another country's law than the agency's is held", async () => {
    await expectHeld(await submit(await officerAt(officialDomain), { jurisdiction: 'US' }), 'JURISDICTION_MISMATCH');
  });
  it('12. a request from an agency the directory has only pending is held', async () => {
    const { context } = db();
    const pending = await context.store.transaction((r) =>
      r.organisations.insert({
        kind: 'agency',
        name: `Pending ${Date.now()}`,
        jurisdiction: 'KR',
        emailDomains: ['pending.example.kr'],
        verificationStatus: 'pending',
      }),
    );
    await expectHeld(await submit(await officerAt('pending.example.kr', 30, pending.id)), 'AGENCY_NOT_VERIFIED');
  });

  // Forged emergencies: no release without a confirmed call to the directory number and a second person.
  it('13. an emergency request without the danger facts is refused at the door', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      headers: await cookie(world.officerA),
      payload: { ...requestPayload({ documentIds: [await uploadPdf(db().context, world.officerA)] }), kind: 'emergency' },
    });
    expect(response.statusCode).toBe(400);
  });
  it('14. an emergency request with no callback cannot be approved', async () => {
    const tracking = await emergencyInReview();
    expect(await codeOf(approveRequest(db().context, world.counsel, { reference: tracking, body: { reason: 'x' } }))).toBe(
      'CALLBACK_REQUIRED',
    );
  });
  it('15. an emergency request the agency did not confirm on the phone cannot be approved', async () => {
    const tracking = await emergencyInReview();
    await recordCallback(db().context, world.reviewer, { reference: tracking, body: { outcome: 'not_confirmed', note: 'No such case.' } });
    expect(await codeOf(approveRequest(db().context, world.counsel, { reference: tracking, body: { reason: 'x' } }))).toBe(
      'CALLBACK_REQUIRED',
    );
  });
  it('16. an emergency request whose callback went unanswered cannot be approved', async () => {
    const tracking = await emergencyInReview();
    await recordCallback(db().context, world.reviewer, { reference: tracking, body: { outcome: 'no_answer' } });
    expect(await codeOf(approveRequest(db().context, world.counsel, { reference: tracking, body: { reason: 'x' } }))).toBe(
      'CALLBACK_REQUIRED',
    );
  });
  it('17. a callback cannot be pointed at a number of the sender’s choosing', async () => {
    const tracking = await emergencyInReview();
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/requests/${tracking}/callbacks`,
      headers: await cookie(world.reviewer),
      payload: { outcome: 'confirmed', phone: '+15555550123' },
    });
    expect(response.statusCode).toBe(400);
  });
  it('18. an agency with no verification number in the directory cannot be "confirmed" at all', async () => {
    const officerB = await officerAt(
      (await db().context.store.read.organisations.find(world.agencyB))!.emailDomains[0]!,
      30,
      world.agencyB,
    );
    const tracking = await submit(officerB, { ...EMERGENCY, jurisdiction: 'US' });
    await confirmRequester(db().context, world.reviewer, { reference: tracking }).catch(() => undefined);
    expect(await codeOf(recordCallback(db().context, world.reviewer, { reference: tracking, body: { outcome: 'confirmed' } }))).toBe(
      'DIRECTORY_PHONE_MISSING',
    );
  });
  it('19. the person who made the confirming call cannot also approve', async () => {
    const tracking = await emergencyInReview();
    await recordCallback(db().context, world.counsel, { reference: tracking, body: { outcome: 'confirmed' } });
    expect(await codeOf(approveRequest(db().context, world.counsel, { reference: tracking, body: { reason: 'x' } }))).toBe(
      'SECOND_PERSON_REQUIRED',
    );
  });
  it('20. a reviewer cannot approve an emergency request on their own', async () => {
    const tracking = await emergencyInReview();
    await recordCallback(db().context, world.counsel, { reference: tracking, body: { outcome: 'confirmed' } });
    expect(await codeOf(approveRequest(db().context, world.reviewer, { reference: tracking, body: { reason: 'x' } }))).toBe('FORBIDDEN');
  });
  it('21. a confirmation withdrawn after approval stops the production', async () => {
    const tracking = await emergencyInReview();
    await recordCallback(db().context, world.reviewer, { reference: tracking, body: { outcome: 'confirmed' } });
    await approveRequest(db().context, world.counsel, { reference: tracking, body: { reason: 'Danger to life.' } });
    await recordCallback(db().context, world.reviewer, {
      reference: tracking,
      body: { outcome: 'not_confirmed', note: 'The agency disowns it.' },
    });
    expect(await codeOf(startProduction(db().context, world.counsel, { reference: tracking }))).toBe('CALLBACK_REQUIRED');
  });

  // A hijacked real officer account.
  it('22. a stolen password without the second factor submits nothing', async () => {
    const form = multipartBody(Buffer.concat([PDF_BYTES, Buffer.from('22')]));
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      headers: { ...(await cookie(world.officerA, false)), ...form.headers },
      payload: form.payload,
    });
    expect(response.json()).toMatchObject({ code: 'MFA_ENROLMENT_REQUIRED' });
  });
  it('23. a one-time code seen once cannot be replayed', async () => {
    const { context } = db();
    const email = `replay.${Date.now()}@${officialDomain}`;
    const { id } = await addUser(context, CLI_ACTOR, {
      organisationId: world.agencyA,
      email,
      displayName: 'R',
      roles: ['officer'],
      password: PASSWORD,
    });
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    await context.store.transaction(async (r) => {
      await r.users.setPendingTotp(id, secret);
      await r.users.enableTotp(id, new Date());
    });
    const code = context.secondFactor.code(secret, new Date());
    expect((await login(email, PASSWORD, { code }, '203.0.113.23')).statusCode).toBe(200);
    expect((await login(email, PASSWORD, { code }, '203.0.113.24')).statusCode).toBe(401);
  });
  it("24. guessing an officer's password locks the account, against the right password and from another address too", async () => {
    const email = `guess.${Date.now()}@${officialDomain}`;
    await addUser(db().context, CLI_ACTOR, {
      organisationId: world.agencyA,
      email,
      displayName: 'G',
      roles: ['officer'],
      password: PASSWORD,
    });
    for (let attempt = 0; attempt < 5; attempt += 1)
      expect((await login(email, `password${attempt}`, {}, '203.0.113.24')).statusCode).toBe(401);
    const locked = await login(email, PASSWORD, {}, '203.0.113.25');
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('60');
  });

  // Suspended agencies and spent credentials.
  it("25. suspending an agency ends its officers' sessions and tokens on the next call", async () => {
    const { context } = db();
    const fresh = await buildWorld(context);
    const session = await cookie(fresh.officerA);
    const token = (await createApiToken(context, { ...fresh.officerA, mfa: true }, { name: 'case system' })).token;
    await updateAgency(context, fresh.admin, { id: fresh.agencyA, body: { status: 'suspended', reason: 'Compromised mailbox.' } });
    app.actors.clear();
    expect((await app.inject({ method: 'GET', url: '/api/v1/requests', headers: session })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/requests', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(
      401,
    );
  });
  it('26. a blocklisted agency cannot log in, and the answer is the one for an unknown address', async () => {
    const { context } = db();
    const fresh = await buildWorld(context);
    const email = `blocked.${Date.now()}@${(await context.store.read.organisations.find(fresh.agencyA))!.emailDomains[0]}`;
    await addUser(context, CLI_ACTOR, { organisationId: fresh.agencyA, email, displayName: 'B', roles: ['officer'], password: PASSWORD });
    await updateAgency(context, fresh.admin, { id: fresh.agencyA, body: { status: 'blocklisted', reason: 'Fraudulent requests.' } });
    const blocked = await login(email, PASSWORD, {}, '203.0.113.26');
    const unknown = await login(`nobody.${Date.now()}@example.test`, PASSWORD, {}, '203.0.113.27');
    expect(blocked.statusCode).toBe(401);
    expect(blocked.json()).toEqual(unknown.json());
  });
  it('27. a session cookie replayed after logout is refused', async () => {
    const session = await cookie(world.officerA);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: session })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/requests', headers: session })).statusCode).toBe(401);
  });
  it('28. an expired session is refused', async () => {
    const { context } = db();
    const token = context.secrets.newToken('writ_s');
    await context.store.transaction((r) =>
      r.credentials.insertSession({
        userId: world.officerA.userId,
        tokenSha256: context.secrets.sha256Hex(token),
        expiresAt: new Date(Date.now() - 1000),
        mfa: true,
      }),
    );
    expect((await app.inject({ method: 'GET', url: '/api/v1/requests', headers: { cookie: `writ_session=${token}` } })).statusCode).toBe(
      401,
    );
  });

  // Guessing at another agency's requests: every answer is the one for a request that does not exist.
  it("29-32. another agency's request, document, package and thread answer exactly like missing ones", async () => {
    const theirs = await submit(world.officerA);
    const theirDocument = await uploadPdf(db().context, world.officerA);
    const mine = await cookie(world.officerB);
    const pairs: Array<[string, string, 'GET' | 'POST', object?]> = [
      [`/api/v1/requests/${theirs}`, '/api/v1/requests/WR-2026-999998', 'GET'],
      [`/api/v1/documents/${theirDocument}`, '/api/v1/documents/00000000-0000-4000-8000-00000000abcd', 'GET'],
      [`/api/v1/requests/${theirs}/production/download`, '/api/v1/requests/WR-2026-999998/production/download', 'GET'],
      [`/api/v1/requests/${theirs}/messages`, '/api/v1/requests/WR-2026-999998/messages', 'POST', { body: 'Is this yours?' }],
    ];
    for (const [other, missing, method, payload] of pairs) {
      const a = await app.inject({ method, url: other, headers: mine, ...(payload ? { payload } : {}) });
      const b = await app.inject({ method, url: missing, headers: mine, ...(payload ? { payload } : {}) });
      expect([other, a.statusCode, a.body]).toEqual([other, 404, b.body]);
    }
  });

  // People acting outside their role.
  it('33. an officer cannot approve their own request', async () => {
    const tracking = await submit(world.officerA);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/v1/requests/${tracking}/approve`,
          headers: await cookie(world.officerA),
          payload: {},
        })
      ).statusCode,
    ).toBe(403);
  });
  it('34. an officer cannot start a production', async () => {
    const tracking = await submit(world.officerA);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/v1/requests/${tracking}/produce`,
          headers: await cookie(world.officerA),
          payload: {},
        })
      ).statusCode,
    ).toBe(403);
  });
  it('35. an agency admin cannot verify their own agency or change its number', async () => {
    const response = await app.inject({
      method: 'PATCH',
      url: `/api/v1/agencies/${world.agencyA}`,
      headers: await cookie(world.agencyAdminA),
      payload: { verificationPhone: { number: '+82 2-0000-0113', source: 'us' } },
    });
    expect(response.statusCode).toBe(403);
    expect((await db().context.store.read.organisations.find(world.agencyA))?.verificationPhone).toBe('+82200000112');
  });

  it('36. an officer their agency admin suspends is shut out at once, session and token alike', async () => {
    const { context } = db();
    const officer = await officerAt(officialDomain);
    const session = await cookie(officer);
    const token = (await createApiToken(context, { ...officer, mfa: true }, { name: 'case system' })).token;
    expect((await app.inject({ method: 'GET', url: '/api/v1/requests', headers: session })).statusCode).toBe(200);
    const suspended = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${officer.userId}`,
      headers: await cookie(world.agencyAdminA),
      payload: { status: 'disabled', reason: 'The officer reported their mailbox compromised.' },
    });
    expect(suspended.json()).toMatchObject({ status: 'disabled', sessionsEnded: 1, tokensEnded: 1 });
    expect((await app.inject({ method: 'GET', url: '/api/v1/requests', headers: session })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/requests', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(
      401,
    );
  });
  it("37. an agency admin cannot suspend another agency's officer, who answers as nobody", async () => {
    const headers = await cookie(world.agencyAdminA);
    const payload = { status: 'disabled', reason: 'x' };
    const theirs = await app.inject({ method: 'PATCH', url: `/api/v1/users/${world.officerB.userId}`, headers, payload });
    const nobody = await app.inject({ method: 'PATCH', url: '/api/v1/users/00000000-0000-4000-8000-0000000000ff', headers, payload });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).toBe(nobody.body);
    expect((await db().context.store.read.users.findActive(world.officerB.userId))?.status).toBe('active');
  });

  it('38. a stranger registering with a lookalike of the official domain gets no account and no code', async () => {
    const { context } = db();
    const email = `chief.${Date.now()}@${officialDomain.replace('l', '1')}`;
    const answer = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email, displayName: 'Chief Inspector', password: 'a long passphrase nobody guesses 42' },
      remoteAddress: '203.0.113.38',
    });
    expect(answer.statusCode).toBe(202);
    expect(await context.store.read.users.findByEmail(email)).toBeUndefined();
    const codes = await context.database.db.selectFrom('outbox').select('id').where('topic', '=', 'user.send_confirmation').execute();
    expect(codes).toEqual([]);
  });
  it('39. a registered officer whose address is confirmed but who is not yet approved cannot submit, even an emergency', async () => {
    const { context } = db();
    const { id } = await context.store.transaction((r) =>
      r.users.insert({
        organisationId: world.agencyA,
        email: `new.${Date.now()}@${officialDomain}`,
        displayName: 'New Officer',
        roles: ['officer'],
        passwordHash: null,
        status: 'pending',
      }),
    );
    const headers = await cookie({ ...world.officerA, userId: id });
    const emergency = await app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      headers,
      payload: requestPayload({ ...EMERGENCY, targets: [{ kind: 'username', value: 'minjun.kim' }] }),
    });
    expect(emergency.statusCode).toBe(403);
    expect(emergency.json()).toMatchObject({ code: 'APPROVAL_PENDING' });
    const form = multipartBody(PDF_BYTES);
    const upload = await app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      headers: { ...headers, ...form.headers },
      payload: form.payload,
    });
    expect(upload.json()).toMatchObject({ code: 'APPROVAL_PENDING' });
  });

  it("40. a real officer's account, password and second factor used from a network it never used before is held", async () => {
    const { context } = db();
    const email = `travel.${Date.now()}@${officialDomain}`;
    const { id } = await addUser(context, CLI_ACTOR, {
      organisationId: world.agencyA,
      email,
      displayName: 'T',
      roles: ['officer'],
      password: PASSWORD,
    });
    const secret = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
    const longAgo = new Date(Date.now() - 40 * 86_400_000);
    await sql`UPDATE users SET created_at = ${longAgo} WHERE id = ${id}`.execute(context.database.db);
    await context.store.transaction(async (r) => {
      await r.users.setPendingTotp(id, secret);
      await r.users.enableTotp(id, longAgo);
      // Months of sign-ins from the agency's own network.
      await r.users.usedNetwork(id, '198.51.100.0/24', longAgo, true);
    });
    const signedIn = await login(email, PASSWORD, { code: context.secondFactor.code(secret, new Date()) }, '203.0.113.40');
    expect(signedIn.statusCode).toBe(200);
    const headers = { cookie: `writ_session=${signedIn.cookies.find((c) => c.name === 'writ_session')!.value}` };
    const officer = actorOf((await context.store.read.users.findActive(id))!, 'session');
    const documentId = await uploadPdf(context, officer);
    const sent = await app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      headers,
      remoteAddress: '203.0.113.40',
      payload: requestPayload({ documentIds: [documentId] }),
    });
    expect(sent.statusCode).toBe(201);
    const tracking = sent.json<{ trackingNumber: string }>().trackingNumber;
    made.push(tracking);
    await expectHeld(tracking, 'NEW_NETWORK');
    const { holds } = await verify(tracking);
    expect(holds).toEqual(['NEW_NETWORK']);
    // The same officer from the agency's network passes: the hold is about the network, not the officer.
    const home = await submit({ ...officer, ip: '198.51.100.7' });
    expect(await verify(home)).toEqual({ state: 'in_review', holds: [] });
  });
  it('41. a flood of requests past the hourly limit is refused before anything is stored, and a retry of one already sent still gets its receipt', async () => {
    const { context } = db();
    const limited = { ...context, submissionsPerHour: 3 };
    const officer = await officerAt(officialDomain);
    const firstPayload = requestPayload({ documentIds: [await uploadPdf(context, officer)] });
    const first = await submitRequest(limited, officer, { payload: firstPayload, idempotencyKey: 'flood-1' });
    made.push(first.trackingNumber);
    for (let sent = 1; sent < 3; sent += 1)
      made.push(
        (await submitRequest(limited, officer, { payload: requestPayload({ documentIds: [await uploadPdf(context, officer)] }) }))
          .trackingNumber,
      );
    const documentId = await uploadPdf(context, officer);
    const count = async () => (await context.store.read.requests.sentSince(officer.userId, new Date(Date.now() - 3_600_000), 1000)).count;
    const before = await count();
    const floodApp = await buildApp(limited);
    try {
      const refused = await floodApp.inject({
        method: 'POST',
        url: '/api/v1/requests',
        headers: await cookie(officer),
        payload: requestPayload({ documentIds: [documentId] }),
      });
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
    } finally {
      await floodApp.close();
    }
    expect(await count()).toBe(before);
    const retry = await submitRequest(limited, officer, { payload: firstPayload, idempotencyKey: 'flood-1' });
    expect(retry).toMatchObject({ replayed: true, trackingNumber: first.trackingNumber });
    expect(await codeOf(submitRequest(limited, officer, { payload: firstPayload, idempotencyKey: 'flood-2' }))).toBe('RATE_LIMITED');
  });

  it('an auditor sees every kind of failed and suspicious attempt above, newest first, with where it came from', async () => {
    const auditor = await cookie(world.auditor);
    expect((await app.inject({ method: 'GET', url: '/api/v1/security-events', headers: await cookie(world.officerA) })).statusCode).toBe(
      403,
    );
    const seen = new Set<string>();
    let url: string | undefined = '/api/v1/security-events?limit=200';
    let ids: number[] = [];
    while (url) {
      const page: Awaited<ReturnType<App['inject']>> = await app.inject({ method: 'GET', url, headers: auditor });
      expect(page.statusCode).toBe(200);
      const body: { items: Array<{ id: string; type: string }>; nextCursor: string | null } = page.json();
      for (const item of body.items) seen.add(item.type);
      ids = [...ids, ...body.items.map((item) => Number(item.id))];
      url = body.nextCursor ? `/api/v1/security-events?limit=200&cursor=${body.nextCursor}` : undefined;
    }
    expect([...seen].sort()).toEqual(
      [
        'access.denied',
        'agency.directory_updated',
        'auth.credential_rejected',
        'auth.login_failed',
        'auth.login_throttled',
        'auth.registration_requested',
        'request.held',
        'request.submission_throttled',
        'user.status_changed',
      ].sort(),
    );
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const failed = await app.inject({ method: 'GET', url: '/api/v1/security-events?type=auth.login_failed', headers: auditor });
    const items = failed.json<{ items: Array<{ type: string; data: { ip?: string } }> }>().items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((item) => item.type === 'auth.login_failed' && typeof item.data.ip === 'string')).toBe(true);
  });

  it('released nothing: no production and no download for any request of this suite', async () => {
    const { context } = db();
    expect(made.length).toBeGreaterThanOrEqual(25);
    const rows = await sql<{ productions: string; downloads: string }>`
      SELECT (SELECT count(*) FROM productions p JOIN requests r ON r.id = p.request_id WHERE r.tracking_number = ANY(${made}))::text AS productions,
             (SELECT count(*) FROM production_downloads d JOIN productions p ON p.id = d.production_id
                JOIN requests r ON r.id = p.request_id WHERE r.tracking_number = ANY(${made}))::text AS downloads
    `.execute(context.database.db);
    expect(rows.rows[0]).toEqual({ productions: '0', downloads: '0' });
  });
});

/** Issue 17 (c): uploads judged by their signature, with safe names; reads that left no trace; uploads kept forever. */
const uploadsClock = testClock();
describeOnEachDatabase(
  'red team: uploads and unaudited reads',
  (db) => {
    let app: App;
    let world: World;
    let officer: Record<string, string>;

    beforeAll(async () => {
      const { context } = db();
      // One clock for both databases' runs: the first run moved it on by days.
      uploadsClock.set(new Date());
      world = await buildWorld(context);
      app = await buildApp(context);
      await startJobs(context);
      officer = { cookie: `writ_session=${await sessionFor(context, world.officerA)}` };
    });
    afterAll(async () => {
      await app.close();
    });

    const upload = (bytes: Buffer, fileName: string) => {
      const form = multipartBody(bytes, fileName);
      return app.inject({ method: 'POST', url: '/api/v1/documents', headers: { ...officer, ...form.headers }, payload: form.payload });
    };
    const documentCount = async () =>
      Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM documents`.execute(db().context.database.db)).rows[0]?.n ?? 'NaN');

    it('stored a Windows program with %PDF- at 0x200, named warrant.exe, as a PDF', async () => {
      const polyglot = Buffer.alloc(0x400);
      polyglot.write('MZ\x90\x00', 0, 'latin1');
      polyglot.write('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n', 0x200, 'latin1');
      const before = await documentCount();
      const refused = await upload(polyglot, 'warrant.exe');
      expect(refused.statusCode).toBe(415);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json<{ code: string }>().code).toBe('DOCUMENT_TYPE_NOT_ALLOWED');
      for (const archive of [Buffer.from('PK\x03\x04%PDF-1.4', 'latin1'), Buffer.from('\n#!/bin/sh\n%PDF-1.4', 'latin1')]) {
        expect((await upload(archive, 'warrant.pdf')).statusCode).toBe(415);
      }
      expect(await documentCount()).toBe(before);
      // A real PDF named like a program is stored and served under the PDF's extension.
      const stored = await upload(Buffer.concat([PDF_BYTES, Buffer.from('exe-named')]), 'warrant.exe');
      expect(stored.statusCode).toBe(201);
      const document = stored.json<{ id: string; fileName: string; mediaType: string }>();
      expect(document).toMatchObject({ fileName: 'warrant.pdf', mediaType: 'application/pdf' });
      const download = await app.inject({ method: 'GET', url: `/api/v1/documents/${document.id}`, headers: officer });
      expect(download.headers['content-disposition']).toBe(`attachment; filename="warrant.pdf"; filename*=UTF-8''warrant.pdf`);
    });

    it('kept U+202E (right-to-left override) in a name, so warrant[U+202E]fdp.exe read as "warrantexe.pdf"', async () => {
      const stored = await upload(Buffer.concat([PDF_BYTES, Buffer.from('rlo')]), 'warrant\u202Efdp.exe');
      expect(stored.statusCode).toBe(201);
      const document = stored.json<{ id: string; fileName: string }>();
      expect(document.fileName).toBe('warrantfdp.pdf');
      const download = await app.inject({ method: 'GET', url: `/api/v1/documents/${document.id}`, headers: officer });
      const disposition = String(download.headers['content-disposition']);
      expect(disposition).not.toMatch(/%E2%80%AE|\u202E/i);
      expect(disposition).toContain("filename*=UTF-8''warrantfdp.pdf");
      // A name stored before names were cleaned is cleaned again as it is served.
      await sql`UPDATE documents SET file_name = ${'old\u2067gpj.exe\u2069.pdf'} WHERE id = ${document.id}`.execute(
        db().context.database.db,
      );
      const old = await app.inject({ method: 'GET', url: `/api/v1/documents/${document.id}`, headers: officer });
      expect(String(old.headers['content-disposition'])).toContain("filename*=UTF-8''oldgpj.exe.pdf");
      expect(String(old.headers['content-disposition'])).not.toMatch(/%E2%81%A7|%E2%81%A9/i);
    });

    it('left no trace of a status read on the request’s trail', async () => {
      const { context } = db();
      const tracking = await submitted(context, world.officerA);
      const request = await context.store.read.requests.find({ kind: 'desk' }, tracking);
      const reads = async () =>
        (await context.store.read.audit.timeline(request!.id)).filter(
          (entry) => entry.type === 'request.viewed' && entry.data.part === 'status',
        ).length;
      expect(await reads()).toBe(0);
      const status = await app.inject({ method: 'GET', url: `/api/v1/requests/${tracking}/status`, headers: officer });
      expect(status.statusCode).toBe(200);
      expect(await reads()).toBe(1);
    });

    it('kept uploads that no request ever named, forever', async () => {
      const { context } = db();
      const orphan = await uploadPdf(context, world.officerA);
      const tracking = await submitted(context, world.officerA);
      const attached = (
        await context.store.read.documents.listForRequest((await context.store.read.requests.find({ kind: 'desk' }, tracking))!.id)
      )[0]!;
      const orphanRecord = (await context.store.read.documents.find({ kind: 'desk' }, orphan))!;
      await context.jobs!.drain();
      expect(await context.store.read.documents.find({ kind: 'desk' }, orphan)).toBeDefined();
      uploadsClock.advance(73 * HOUR);
      await context.jobs!.drain();
      expect(await context.store.read.documents.find({ kind: 'desk' }, orphan)).toBeUndefined();
      expect(await context.store.read.documents.find({ kind: 'desk' }, attached.id)).toBeDefined();
      expect(await context.store.read.documents.fileInUse(orphanRecord.sha256)).toBe(false);
      await expect(async () => {
        for await (const _chunk of context.files.open(orphanRecord.sha256)) break;
      }).rejects.toThrow();
      const events = await context.database.db
        .selectFrom('audit_events')
        .select(['data'])
        .where('type', '=', 'document.orphan_deleted')
        .execute();
      const deleted = events.map((event) => event.data as { documentId: string; sha256: string; fileRemoved: boolean });
      expect(deleted.find((event) => event.documentId === orphan)).toMatchObject({ sha256: orphanRecord.sha256, fileRemoved: true });
      expect(deleted.some((event) => event.documentId === attached.id)).toBe(false);
    });
  },
  { WRIT_ORPHAN_UPLOAD_HOURS: '72' },
  { clock: uploadsClock },
);
