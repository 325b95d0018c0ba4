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

/**
 * Issue 17's login and token findings: parallel guesses past the lock, immortal and invisible tokens, NUL in JSON as a
 * 500, and public POSTs that skipped the Origin check. Each test failed against the code the red team tried (bfbc0c0).
 */
describeOnEachDatabase(
  'red team: logins and tokens',
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
    const account = async (roles: Array<'officer' | 'agency_admin'> = ['officer']) => {
      const email = `red.${Date.now()}.${(counter += 1)}@example.test`;
      const { id } = await addUser(db().context, CLI_ACTOR, {
        organisationId: world.agencyA,
        email,
        displayName: 'Red Team',
        roles,
        password: PASSWORD,
      });
      return { id, email, actor: actorOf((await db().context.store.read.users.findActive(id))!, 'session') };
    };
    const login = (target: App, email: string, password: string, ip: string) =>
      target.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip });
    const auditCount = async (type: string, reason?: string) => {
      const rows = await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_events
        WHERE type = ${type} AND (${reason ?? null}::text IS NULL OR data->>'reason' = ${reason ?? null}::text)`.execute(
        db().context.database.db,
      );
      return Number(rows.rows[0]?.n);
    };

    it('parallel failed logins bypassed the lock: after 100 parallel wrong passwords the right one is refused, per account and per network', async () => {
      // Per account: each guess from an address (and /24) of its own, so only the account's count can stop them.
      const target = await account();
      const guesses = await Promise.all(
        Array.from({ length: 100 }, (_, index) => login(app, target.email, `wrong password ${index}`, `10.${index}.0.1`)),
      );
      const statuses = guesses.map((answer) => answer.statusCode);
      expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
      // No more guesses reached the password check than the lock allows (WRIT_LOGIN_LOCK_AFTER, 5).
      expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
      const right = await login(app, target.email, PASSWORD, '10.200.0.1');
      expect(right.statusCode).toBe(429);
      expect(right.json()).toMatchObject({ code: 'RATE_LIMITED' });

      // Per network address: 100 parallel guesses at 100 addresses from one place, then a real person from there.
      const fromOne = await Promise.all(
        Array.from({ length: 100 }, (_, index) =>
          login(app, `nobody${index}.${Date.now()}@example.test`, 'wrong password', '198.51.100.7'),
        ),
      );
      expect(fromOne.filter((answer) => answer.statusCode === 401).length).toBeLessThanOrEqual(20);
      const colleague = await account();
      expect((await login(app, colleague.email, PASSWORD, '198.51.100.7')).statusCode).toBe(429);

      // Per network: an IPv6 caller changing address within its /48 on every guess is stopped all the same.
      const { context } = db();
      const narrow = await buildApp({ ...context, config: { ...context.config, WRIT_LOGIN_SUBNET_LOCK_AFTER: 10 } });
      try {
        const spread = await Promise.all(
          Array.from({ length: 100 }, (_, index) =>
            login(narrow, `spread${index}.${Date.now()}@example.test`, 'wrong password', `2001:db8:77:${index.toString(16)}::1`),
          ),
        );
        expect(spread.filter((answer) => answer.statusCode === 401).length).toBeLessThanOrEqual(10);
        const neighbour = await account();
        expect((await login(narrow, neighbour.email, PASSWORD, '2001:db8:77:ffff::9')).statusCode).toBe(429);
        expect((await login(narrow, neighbour.email, PASSWORD, '2001:db8:78::9')).statusCode).toBe(200);
      } finally {
        await narrow.close();
      }
    });

    it('API tokens were immortal and invisible: listed, revoked, bounded by their maker, and ended by signing out everywhere', async () => {
      const { context } = db();
      const owner = await account(['officer', 'agency_admin']);
      const session = { cookie: `writ_session=${await sessionFor(context, owner.actor)}` };
      const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
      const mint = (headers: Record<string, string>, body: Record<string, unknown>) =>
        app.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload: body });
      const me = async (token: string, target = app) =>
        (await target.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) })).statusCode;

      // A lifetime past the installation's maximum (WRIT_TOKEN_MAX_DAYS, 30 here) is refused.
      expect((await mint(session, { name: 'too long', expiresInDays: 31 })).statusCode).toBe(400);
      const parentAnswer = await mint(session, { name: 'case system', expiresInDays: 1, scope: ['officer'] });
      expect(parentAnswer.statusCode).toBe(201);
      const parent = parentAnswer.json<{ id: string; token: string; expiresAt: string; scope: string[] }>();
      expect(parent.scope).toEqual(['officer']);

      // The red team's 1-day token minted a 365-day one; now it cannot outlive its maker, nor hold a role it lacks.
      expect((await mint(bearer(parent.token), { name: 'forever', expiresInDays: 30 })).statusCode).toBe(400);
      expect((await mint(bearer(parent.token), { name: 'wider', scope: ['officer', 'agency_admin'] })).statusCode).toBe(403);
      const childAnswer = await mint(bearer(parent.token), { name: 'child' });
      expect(childAnswer.statusCode).toBe(201);
      const child = childAnswer.json<{ id: string; token: string; expiresAt: string; scope: string[] }>();
      expect(Date.parse(child.expiresAt)).toBeLessThanOrEqual(Date.parse(parent.expiresAt));
      expect(child.scope).toEqual(['officer']);
      // The token acts with its scope only: an agency admin's token scoped to officer cannot list the agency's people.
      expect((await app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(child.token) })).statusCode).toBe(403);

      // Listed, never with a secret.
      const listed = await app.inject({ method: 'GET', url: '/api/v1/tokens', headers: bearer(child.token) });
      expect(listed.statusCode).toBe(200);
      const items = listed.json<{ items: Array<Record<string, unknown>> }>().items;
      expect(items.map((item) => item.id).sort()).toEqual([parent.id, child.id].sort());
      expect(items.find((item) => item.id === child.id)).toMatchObject({ current: true, parentTokenId: parent.id, scope: ['officer'] });
      expect(items.find((item) => item.id === parent.id)?.lastUsedAt).not.toBeNull();
      expect(listed.body).not.toContain(parent.token);
      expect(listed.body).not.toContain(context.secrets.sha256Hex(parent.token));
      expect(Object.keys(items[0] ?? {}).sort()).toEqual(
        ['createdAt', 'current', 'expiresAt', 'id', 'lastUsedAt', 'name', 'parentTokenId', 'scope'].sort(),
      );

      // Another person's token answers exactly like one that does not exist.
      const stranger = { cookie: `writ_session=${await sessionFor(context, world.officerA2)}` };
      const theirs = await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${parent.id}`, headers: stranger });
      const missing = await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${crypto.randomUUID()}`, headers: stranger });
      expect(theirs.statusCode).toBe(404);
      expect(theirs.body).toBe(missing.body);
      expect(await me(parent.token)).toBe(200);

      // Revoked: refused at once here, and by another process once its cache (WRIT_AUTH_CACHE_MS, 500 ms here) lapses;
      // the token minted with it ends with it.
      const other = await buildApp(context);
      try {
        expect(await me(parent.token, other)).toBe(200);
        expect(await me(child.token, other)).toBe(200);
        expect((await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${parent.id}`, headers: session })).statusCode).toBe(204);
        expect(await me(parent.token)).toBe(401);
        expect(await me(child.token)).toBe(401);
        await new Promise((resolve) => setTimeout(resolve, 600));
        expect(await me(parent.token, other)).toBe(401);
        expect(await me(child.token, other)).toBe(401);
      } finally {
        await other.close();
      }
      expect(await auditCount('token.revoked')).toBeGreaterThanOrEqual(1);
      expect(await auditCount('token.created')).toBeGreaterThanOrEqual(2);

      // Signing out everywhere ends every session and token; so does a password change (but for its own session).
      const kept = (await mint(session, { name: 'kept' })).json<{ token: string }>().token;
      const elsewhere = { cookie: `writ_session=${await sessionFor(context, owner.actor)}` };
      const changed = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: session,
        payload: { currentPassword: PASSWORD, newPassword: 'a whole new passphrase 2026' },
      });
      expect(changed.statusCode).toBe(200);
      expect(changed.json()).toMatchObject({ tokensEnded: 1, sessionsEnded: 1 });
      expect(await me(kept)).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: elsewhere })).statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: session })).statusCode).toBe(200);

      const last = (await mint(session, { name: 'last' })).json<{ token: string }>().token;
      const out = await app.inject({ method: 'POST', url: '/api/v1/auth/sessions/revoke-all', headers: session });
      expect(out.statusCode).toBe(200);
      expect(out.json()).toEqual({ sessionsEnded: 1, tokensEnded: 1 });
      expect(await me(last)).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: session })).statusCode).toBe(401);
      expect(await auditCount('auth.signed_out_everywhere')).toBe(1);
    });

    it('NUL in JSON was a 500: NUL and unpaired surrogates get 400 in any body or query, and a malformed login is counted and audited', async () => {
      const { context } = db();
      const officer = { cookie: `writ_session=${await sessionFor(context, world.officerA)}` };
      const bodies = [
        requestPayload({ targets: [{ kind: 'username', value: 'minjun\u0000kim' }] }),
        requestPayload({ summary: 'A lone surrogate \uD800 here.' }),
        requestPayload({ caseReference: '\uDC00' }),
      ];
      for (const payload of bodies) {
        const answer = await app.inject({ method: 'POST', url: '/api/v1/requests', headers: officer, payload });
        expect(answer.statusCode).toBe(400);
        expect(answer.headers['content-type']).toContain('application/problem+json');
        expect(answer.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
        expect(answer.body).not.toContain('minjun');
      }
      const query = await app.inject({ method: 'GET', url: '/api/v1/requests?q=a%00b', headers: officer });
      expect(query.statusCode).toBe(400);
      expect(query.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'querystring.q' }] });
      const requests = await sql<{ n: string }>`SELECT count(*)::text AS n FROM requests`.execute(context.database.db);
      expect(Number(requests.rows[0]?.n)).toBe(0);

      // At login: a 400, audited as a failed login and counted, so that twenty of them lock the network address as
      // twenty guesses would (WRIT_LOGIN_NETWORK_LOCK_AFTER).
      const target = await account();
      const before = await auditCount('auth.login_failed', 'invalid_input');
      for (let attempt = 0; attempt < 20; attempt += 1) {
        const answer = await login(app, `${target.email}\u0000${attempt}`, PASSWORD, '172.16.0.1');
        expect(answer.statusCode).toBe(400);
        expect(answer.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
      }
      expect(await auditCount('auth.login_failed', 'invalid_input')).toBe(before + 20);
      expect((await login(app, target.email, PASSWORD, '172.16.0.1')).statusCode).toBe(429);
      expect((await login(app, target.email, PASSWORD, '172.16.1.1')).statusCode).toBe(200);
    });

    it('public POST routes skipped the Origin check: login, registration and passkey login from another site are refused', async () => {
      const target = await account();
      const from = (origin: Record<string, string>, url: string, payload: Record<string, unknown>) =>
        app.inject({ method: 'POST', url, payload, headers: { host: 'writ.example', ...origin }, remoteAddress: '192.0.2.200' });
      const signIn = { email: target.email, password: PASSWORD };
      for (const [url, payload] of [
        ['/api/v1/auth/login', signIn],
        ['/api/v1/auth/register', { email: 'x@example.test', displayName: 'X', password: 'a long enough passphrase' }],
        ['/api/v1/auth/passkey/options', {}],
        ['/api/v1/auth/passkey/login', { response: {} }],
      ] as const) {
        const origins: Array<Record<string, string>> = [
          { origin: 'https://evil.example' },
          { origin: 'null' },
          { 'sec-fetch-site': 'cross-site' },
        ];
        for (const origin of origins) {
          const answer = await from(origin, url, payload);
          expect(answer.statusCode, `${url} ${JSON.stringify(origin)}`).toBe(403);
          expect(answer.json()).toMatchObject({ code: 'FORBIDDEN' });
        }
      }
      expect(await auditCount('access.denied', 'cross_site')).toBeGreaterThanOrEqual(12);
      // From this site, and from a client that sends no Origin (a script), the login goes through.
      expect(
        (await from({ origin: 'https://writ.example', 'sec-fetch-site': 'same-origin' }, '/api/v1/auth/login', signIn)).statusCode,
      ).toBe(200);
      expect((await from({}, '/api/v1/auth/login', signIn)).statusCode).toBe(200);
    });
  },
  { WRIT_AUTH_CACHE_MS: '500', WRIT_TOKEN_MAX_DAYS: '30' },
);

// Imports of the blocks below are kept with them, so that each block of issue 17 merges on its own.
import type { AppContext } from '../../src/server/context.ts';
import { receiveIntakeMessage } from '../../src/services/receive-intake-message.ts';
import { authenticationResults, buildMessage, newMessageId } from '../support/mail.ts';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Issue 17, item 2: a follow-up's trust is its own. A verified officer's draft is changed by no follow-up trusted less
 * than it, or not authenticated at all (a From is anyone's to write): such a message is attached apart, marked
 * THREAD_TRUST_DOWNGRADE, and the desk takes its fields one by one; each field names the message and trust it came from.
 */
const INTAKE_AUTHSERV = 'mx.platform.test';
const INTAKE_NOTICE = [
  'The Cyber Investigation Unit of the Seoul Metropolitan Police Agency is investigating a fraud (Case No. 2026-SMPA-9921).',
  'Under Article 215 of the Criminal Procedure Act we ask you to preserve and provide the subscriber information of the',
  'account @genuine_suspect for the period from September 1, 2026 to October 15, 2026.',
  '',
  'Inspector Park Jisoo',
].join('\n');

interface DraftViewBody {
  draft: { version: number; trackingNumber: string };
  fields: Record<string, { value: unknown; extracted: unknown }>;
  followUps: Array<{ messageId: string; trust: string | null; heldApart: boolean; offers: Record<string, unknown> }>;
}
type ExtractedBody = { source: { messageId: string; trust: string | null } } | null;

const intakeThreadSuite = (authservId: string | undefined) => (db: () => { context: AppContext }) => {
  let app: App;
  let world: World;
  let domain: string;
  let officerEmail: string;

  beforeAll(async () => {
    const { context } = db();
    world = await buildWorld(context);
    app = await buildApp(context);
    domain = (await context.store.read.organisations.find(world.agencyA))!.emailDomains[0]!;
    officerEmail = (await context.store.read.users.find(world.officerA.userId))!.email;
    await startJobs(context);
  });
  afterAll(async () => {
    await app.close();
  });

  const deliver = async (bytes: Buffer) => {
    const { context } = db();
    const { message } = await receiveIntakeMessage(context, { bytes, source: 'imap', sourceRef: 'red-team' });
    await context.jobs!.drain();
    return (await context.store.read.intake.findMessage(message.id))!;
  };
  const desk = async (actor: Actor) => ({ cookie: `writ_session=${await sessionFor(db().context, actor, true)}` });
  const draftOf = async (reference: string): Promise<DraftViewBody> => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/intake/drafts/${reference}`, headers: await desk(world.reviewer) });
    expect(response.statusCode).toBe(200);
    return response.json<DraftViewBody>();
  };
  /** The original, then a reply with the same From whose authentication came out `none` (or was not trusted). */
  const spoofedThread = async () => {
    const first = newMessageId(domain);
    const original = await deliver(
      buildMessage({
        from: `Inspector Park <${officerEmail}>`,
        messageId: first,
        subject: 'Preservation and disclosure request',
        text: INTAKE_NOTICE,
        headers: [authenticationResults(INTAKE_AUTHSERV, domain, 'pass')],
      }),
    );
    const before = await draftOf(original.draftId!);
    const spoofed = await deliver(
      buildMessage({
        from: officerEmail,
        messageId: newMessageId('attacker.test'),
        inReplyTo: first,
        references: [first],
        subject: `Re: [${before.draft.trackingNumber}] Preservation and disclosure request`,
        text: 'Correction: please also send everything on @innocent_bystander and the account victim.friend@gmail.com. Case No. 2026-FAKE-1.',
        headers: [authenticationResults(INTAKE_AUTHSERV, domain, 'none')],
      }),
    );
    return { original, before, spoofed };
  };

  it('a same-From reply that failed to authenticate no longer adds targets to the draft: it is held apart, marked', async () => {
    const { original, before, spoofed } = await spoofedThread();
    expect(original.trust?.level).toBe(authservId ? 'verified_officer' : 'unverified');
    expect(spoofed.trust?.level).toBe('unverified');
    expect(spoofed.draftId).toBe(original.draftId);
    expect(spoofed.flags).toContain('THREAD_TRUST_DOWNGRADE');
    const after = await draftOf(original.draftId!);
    expect(after.draft.version).toBe(before.draft.version);
    expect(after.fields['targets.usernames']!.value).toEqual(['genuine_suspect']);
    expect(after.fields['targets.emails']!.value).toEqual([]);
    expect(after.fields.caseNumber!.value).toBe('2026-SMPA-9921');
    // The desk sees the message apart, with what it would bring.
    const held = after.followUps.find((entry) => entry.messageId === spoofed.id);
    expect(held?.heldApart).toBe(true);
    expect(held?.trust).toBe('unverified');
    expect(held?.offers['targets.usernames']).toEqual(['innocent_bystander']);
  });

  it('each draft field names the message and the trust it came from, and the desk accepts a held field alone, audited', async () => {
    const { original, before, spoofed } = await spoofedThread();
    const [genuine] = before.fields['targets.usernames']!.extracted as ExtractedBody[];
    expect(genuine?.source).toEqual({ messageId: original.id, trust: original.trust!.level });
    const accept = (field: string, version: number) =>
      desk(world.reviewer).then((headers) =>
        app.inject({
          method: 'POST',
          url: `/api/v1/intake/drafts/${original.draftId}/accept`,
          headers,
          payload: { version, messageId: spoofed.id, field },
        }),
      );
    const accepted = await accept('targets.usernames', before.draft.version);
    expect(accepted.statusCode).toBe(200);
    const view = accepted.json<DraftViewBody>();
    expect(view.fields['targets.usernames']!.value).toEqual(['genuine_suspect', 'innocent_bystander']);
    const sources = (view.fields['targets.usernames']!.extracted as ExtractedBody[]).map((entry) => entry?.source);
    expect(sources).toEqual([
      { messageId: original.id, trust: original.trust!.level },
      { messageId: spoofed.id, trust: 'unverified' },
    ]);
    // Only that field: the emails and the case number the same message offers stay out until accepted each.
    expect(view.fields['targets.emails']!.value).toEqual([]);
    expect(view.fields.caseNumber!.value).toBe('2026-SMPA-9921');
    // A message of another draft answers as one that does not exist.
    const other = await deliver(buildMessage({ from: `someone.${Date.now()}@elsewhere.test`, text: INTAKE_NOTICE }));
    const foreign = await app.inject({
      method: 'POST',
      url: `/api/v1/intake/drafts/${original.draftId}/accept`,
      headers: await desk(world.reviewer),
      payload: { messageId: other.id, field: 'targets.usernames' },
    });
    expect(foreign.statusCode, foreign.body).toBe(404);
    expect(foreign.json<{ code: string }>().code).toBe('INTAKE_MESSAGE_NOT_FOUND');
    // An auditor reads, never accepts.
    const auditor = await app.inject({
      method: 'POST',
      url: `/api/v1/intake/drafts/${original.draftId}/accept`,
      headers: await desk(world.auditor),
      payload: { messageId: spoofed.id, field: 'targets.emails' },
    });
    expect(auditor.statusCode).toBe(403);
    const events = await sql<{ data: { draftId: string; messageId: string; field: string; trust: string } }>`
      SELECT data FROM audit_events WHERE type = 'intake.field_accepted'
    `.execute(db().context.database.db);
    expect(events.rows.map((row) => row.data)).toContainEqual(
      expect.objectContaining({
        draftId: original.draftId,
        messageId: spoofed.id,
        field: 'targets.usernames',
        trust: 'unverified',
      }),
    );
    // Confirmed, the request says which fields came from a follow-up held apart.
    const confirmed = await app.inject({
      method: 'POST',
      url: `/api/v1/intake/drafts/${original.draftId}/confirm`,
      headers: await desk(world.reviewer),
      payload: { corrections: { agencyId: world.agencyA, kind: 'preservation', dataCategories: ['subscriber'] } },
    });
    expect(confirmed.statusCode).toBe(201);
    const request = await getRequest(db().context, world.reviewer, {
      reference: confirmed.json<{ trackingNumber: string }>().trackingNumber,
    });
    expect(request.targets.map((target) => target.value)).toEqual(['genuine_suspect', 'innocent_bystander']);
    expect(request.holds?.[0]?.detail).toContain('follow-ups trusted less than the first message: targets.usernames');
    // A closed draft takes nothing more, and says so (its status once became the HTTP status: a 500).
    const closed = await app.inject({
      method: 'POST',
      url: `/api/v1/intake/drafts/${original.draftId}/accept`,
      headers: await desk(world.reviewer),
      payload: { messageId: spoofed.id, field: 'targets.emails' },
    });
    expect(closed.statusCode, closed.body).toBe(409);
    expect(closed.json<{ code: string; status: number }>()).toMatchObject({ code: 'DRAFT_CLOSED', status: 409 });
  });
};

describeOnEachDatabase('red team: spoofed intake follow-ups', intakeThreadSuite(INTAKE_AUTHSERV), {
  WRIT_IMAP_AUTHSERV_ID: INTAKE_AUTHSERV,
});

// With no WRIT_IMAP_AUTHSERV_ID every sender is unverified (a forger writes its own passing verdict): the From alone
// was enough to merge.
describeOnEachDatabase('red team: spoofed intake follow-ups with no trusted authserv-id', intakeThreadSuite(undefined));

/**
 * Issue 17, "also noticed": one counsel alone could confirm the sender, approve and produce a non-emergency request.
 * With the policy's `approval.second_person`, an approval of a request that releases data takes effect only when a
 * second person — one of the two counsel — approves the same decision.
 */
const twoPersonPolicy = (() => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'writ-policy-')), 'policy.yaml');
  const shipped = readFileSync(new URL('../../policy.yaml', import.meta.url), 'utf8');
  if (!shipped.includes('second_person: false')) throw new Error('policy.yaml no longer names approval.second_person');
  writeFileSync(file, shipped.replace('second_person: false', 'second_person: true'));
  return file;
})();

describeOnEachDatabase(
  'red team: two-person approval',
  (db) => {
    let app: App;
    let world: World;

    beforeAll(async () => {
      const { context } = db();
      world = await buildWorld(context);
      app = await buildApp(context);
      await startJobs(context);
    });
    afterAll(async () => {
      await app.close();
    });

    const post = async (actor: Actor, url: string, payload: unknown) =>
      app.inject({
        method: 'POST',
        url,
        headers: { cookie: `writ_session=${await sessionFor(db().context, actor, true)}` },
        payload: payload as Record<string, unknown>,
      });
    const inReview = async () => {
      const tracking = await submitted(db().context, world.officerA);
      await db().context.jobs!.drain();
      expect((await getRequest(db().context, world.reviewer, { reference: tracking })).request.state).toBe('in_review');
      return tracking;
    };

    it('one counsel alone no longer approves and produces a disclosure: a second person must approve the same decision', async () => {
      const tracking = await inReview();
      const decision = { reason: 'Within the warrant.' };
      const first = await post(world.counsel, `/api/v1/requests/${tracking}/approve`, decision);
      expect(first.statusCode).toBe(200);
      expect(first.json<{ state: string }>().state).toBe('in_review');
      // The same person twice is still one person.
      const again = await post(world.counsel, `/api/v1/requests/${tracking}/approve`, decision);
      expect(again.statusCode).toBe(409);
      expect(again.json<{ code: string }>().code).toBe('SECOND_PERSON_REQUIRED');
      const produce = await post(world.counsel, `/api/v1/requests/${tracking}/produce`, {});
      expect(produce.statusCode).toBe(409);
      let view = await getRequest(db().context, world.reviewer, { reference: tracking });
      expect(view.decisions).toHaveLength(0);
      expect(view.timeline.filter((entry) => entry.type === 'request.approval_recorded').map((entry) => entry.data.step)).toEqual([1]);
      // The agency sees its request's progress, not the desk's first step.
      const officerView = await getRequest(db().context, world.officerA, { reference: tracking });
      expect(officerView.timeline.some((entry) => entry.type === 'request.approval_recorded')).toBe(false);

      const second = await post(world.counsel2, `/api/v1/requests/${tracking}/approve`, decision);
      expect(second.statusCode).toBe(200);
      expect(second.json<{ state: string }>().state).toBe('approved');
      view = await getRequest(db().context, world.reviewer, { reference: tracking });
      expect(view.decisions).toHaveLength(1);
      expect(view.timeline.filter((entry) => entry.type === 'request.approval_recorded').map((entry) => entry.data.step)).toEqual([1, 2]);
    });

    it('a second approval of a different decision does not complete the first: it starts over, and one approver must be counsel', async () => {
      const tracking = await inReview();
      expect((await post(world.reviewer, `/api/v1/requests/${tracking}/approve`, { reason: 'All of it.' })).statusCode).toBe(200);
      // Counsel approves something else: that is a first approval of its own, not a second of the reviewer's.
      const other = await post(world.counsel, `/api/v1/requests/${tracking}/approve`, { reason: 'Within the warrant only.' });
      expect(other.json<{ state: string }>().state).toBe('in_review');
      // Two reviewers are two people, but neither is counsel.
      const { id } = await addUser(db().context, CLI_ACTOR, {
        organisationId: world.platformId,
        email: `reviewer2.${Date.now()}@platform.test`,
        displayName: 'Second reviewer',
        roles: ['reviewer'],
        password: PASSWORD,
      });
      const reviewer2 = actorOf((await db().context.store.read.users.findActive(id))!, 'session');
      expect((await post(reviewer2, `/api/v1/requests/${tracking}/approve`, { reason: 'All of it.' })).statusCode).toBe(200);
      const reviewersOnly = await post(world.reviewer, `/api/v1/requests/${tracking}/approve`, { reason: 'All of it.' });
      expect(reviewersOnly.statusCode).toBe(409);
      expect(reviewersOnly.json<{ code: string }>().code).toBe('SECOND_PERSON_REQUIRED');
      const done = await post(world.counsel, `/api/v1/requests/${tracking}/approve`, { reason: 'All of it.' });
      expect(done.json<{ state: string }>().state).toBe('approved');
      const events = (await getRequest(db().context, world.reviewer, { reference: tracking })).timeline.filter(
        (entry) => entry.type === 'request.approval_recorded',
      );
      expect(events.map((entry) => entry.data.step)).toEqual([1, 1, 1, 2]);
    });
  },
  { WRIT_POLICY_FILE: twoPersonPolicy },
);

describeOnEachDatabase('red team: public report isolation and notice links', (db) => {
  let app: App;
  let world: World;

  beforeAll(async () => {
    const { context } = db();
    world = await buildWorld(context);
    app = await buildApp(context);
  });

  afterAll(async () => {
    await app.close();
  });

  /** A request received at `at` (the clock of the suite is real: the arrival is moved back in the database). */
  const receivedAt = async (at: string, overrides: Parameters<typeof submitted>[2] = {}): Promise<string> => {
    const { context } = db();
    const number = await submitted(context, world.officerA, overrides);
    await sql`UPDATE requests SET received_at = ${at}::timestamptz WHERE tracking_number = ${number}`.execute(context.database.db);
    return number;
  };

  it('an anonymous report over a range of its own choosing isolated single requests: ranges and unpublished periods now answer 400', async () => {
    await receivedAt('2025-03-10T10:00:00.000Z', { kind: 'emergency', jurisdiction: 'KR', emergency: EMERGENCY.emergency });
    for (const [url, code] of [
      // 1 ms around the one request, then the halves a bisection would ask for.
      ['/api/v1/transparency/report?from=2025-03-10T09:59:59.999Z&to=2025-03-10T10:00:00.001Z', 'REPORT_RANGE_NOT_PUBLIC'],
      ['/api/v1/transparency/report?from=2025-03-01&to=2025-03-16', 'REPORT_RANGE_NOT_PUBLIC'],
      ['/api/v1/transparency/report.csv?from=2025-03-01&to=2025-04-01', 'REPORT_RANGE_NOT_PUBLIC'],
      ['/api/v1/transparency/report.pdf?from=2025-03-01&to=2025-04-01', 'REPORT_RANGE_NOT_PUBLIC'],
      // Nearly live: the period in progress is not published unless the platform opts in.
      [`/api/v1/transparency/report?period=${new Date().toISOString().slice(0, 7)}`, 'REPORT_PERIOD_NOT_PUBLISHED'],
    ] as const) {
      const answer = await app.inject({ method: 'GET', url });
      expect(answer.statusCode, url).toBe(400);
      expect(answer.headers['content-type'], url).toContain('application/problem+json');
      expect(answer.json(), url).toMatchObject({ code });
    }
    // With no period named, the latest published half-year: never the one in progress.
    const latest = await app.inject({ method: 'GET', url: '/api/v1/transparency/report' });
    expect(latest.statusCode).toBe(200);
    const label = latest.json<{ period: { label: string; to: string } }>().period;
    expect(label.label).toMatch(/^\d{4}-H[12]$/);
    expect(Date.parse(label.to)).toBeLessThanOrEqual(Date.now());
  });

  it('the list of periods gave the exact first and last arrival instants: it now gives period ids only', async () => {
    await receivedAt('2025-02-03T04:05:06.789Z');
    const answer = await app.inject({ method: 'GET', url: '/api/v1/transparency/periods' });
    expect(answer.statusCode).toBe(200);
    const body = answer.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual(['halfYears', 'months']);
    expect(answer.body).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    for (const id of [...(body.halfYears as string[]), ...(body.months as string[])]) expect(id).toMatch(/^\d{4}-(H[12]|0[1-9]|1[0-2])$/);
  });

  it('a published period showed one request’s country, kind and gag order: under the threshold nothing tells it apart', async () => {
    const { context } = db();
    expect(context.config.WRIT_REPORT_BAND_BELOW).toBeGreaterThan(1);
    await receivedAt('2025-04-20T10:00:00.000Z', {
      kind: 'emergency',
      jurisdiction: 'JP',
      emergency: EMERGENCY.emergency,
      nonDisclosure: { ordered: true, until: '2027-01-01' },
    });
    for (const period of ['2025-04', '2025-H1']) {
      const json = await app.inject({ method: 'GET', url: `/api/v1/transparency/report?period=${period}` });
      expect(json.statusCode, period).toBe(200);
      const report = json.json<{ audience: string; totals: Record<string, unknown>; countries: unknown[]; rows: unknown[] }>();
      expect(report.audience).toBe('public');
      // Three requests in the half-year (fewer than the threshold): only their banded number, no row, no kind, no gag.
      expect(report.totals.requests).toEqual({ min: 1, max: context.config.WRIT_REPORT_BAND_BELOW - 1 });
      expect(report.countries).toEqual([]);
      expect(report.rows).toEqual([]);
      for (const field of ['emergency', 'nonDisclosure', 'pending', 'accountsSpecified']) {
        expect(report.totals[field], `${period} ${field}`).toBeNull();
      }
      expect(json.body).not.toContain('"JP"');
      const csv = await app.inject({ method: 'GET', url: `/api/v1/transparency/report.csv?period=${period}` });
      expect(csv.statusCode).toBe(200);
      expect(csv.body).not.toMatch(/,JP,|,KR,(?!all,seizure|all,comm)/);
      const pdf = await app.inject({ method: 'GET', url: `/api/v1/transparency/report.pdf?period=${period}` });
      expect(pdf.statusCode).toBe(200);
    }
  });

  /** A sent notice of a fresh request and its page's token, as delivery makes them. */
  const sentNotice = async (): Promise<{ reference: string; noticeId: string; requestId: string; token: string }> => {
    const { context } = db();
    const reference = await submitted(context, world.officerA);
    const request = (await context.store.read.requests.find({ kind: 'desk' }, reference))!;
    const target = (await context.store.read.requests.targets(request.id))[0]!;
    const { notice } = await context.store.transaction((repositories) =>
      repositories.notices.create({
        requestId: request.id,
        targetId: target.id,
        purpose: 'disclosure',
        plan: { state: 'scheduled', basis: 'policy', basisDetail: null, notBefore: null },
      }),
    );
    const token = context.noticeTokens.tokenFor(notice.id);
    await context.store.transaction((repositories) =>
      repositories.notices.markSent(notice.id, new Date(), context.secrets.sha256Hex(token)),
    );
    return { reference, noticeId: notice.id, requestId: request.id, token };
  };
  const wrongLink = async () =>
    app
      .inject({ method: 'GET', url: `/api/v1/notices/writ_n_${'A'.repeat(43)}` })
      .then((answer) => ({ status: answer.statusCode, body: answer.json() }));

  it('notice links never expired: one older than its lifetime answers exactly as a wrong link', async () => {
    const { context } = db();
    const { noticeId, token } = await sentNotice();
    expect((await app.inject({ method: 'GET', url: `/api/v1/notices/${token}` })).statusCode).toBe(200);
    // The default lifetime is a year: a link sent a year and a day ago no longer opens.
    expect(context.config.WRIT_NOTICE_LINK_DAYS).toBe(365);
    const old = new Date(Date.now() - 366 * 86_400_000);
    await sql`UPDATE notices SET sent_at = ${old} WHERE id = ${noticeId}::uuid`.execute(context.database.db);
    const expired = await app.inject({ method: 'GET', url: `/api/v1/notices/${token}` });
    expect({ status: expired.statusCode, body: expired.json() }).toEqual(await wrongLink());
  });

  it('notice links could not be revoked: the desk revokes one, audited, and it then answers exactly as a wrong link', async () => {
    const { context } = db();
    const { reference, noticeId, requestId, token } = await sentNotice();
    const reviewer = { cookie: `writ_session=${await sessionFor(context, world.reviewer)}` };
    const officer = { cookie: `writ_session=${await sessionFor(context, world.officerA)}` };
    const url = `/api/v1/requests/${reference}/notices/${noticeId}/revoke-link`;
    const payload = { reason: 'The user says the mail was forwarded to their employer.' };
    expect((await app.inject({ method: 'POST', url, payload })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url, payload, headers: officer })).statusCode).toBe(403);
    const revoked = await app.inject({ method: 'POST', url, payload, headers: reviewer });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json<{ linkRevokedAt: string | null }>().linkRevokedAt).not.toBeNull();
    const page = await app.inject({ method: 'GET', url: `/api/v1/notices/${token}` });
    expect({ status: page.statusCode, body: page.json() }).toEqual(await wrongLink());
    const events = await sql<{ type: string; data: { reason?: string } }>`
      SELECT type, data FROM audit_events WHERE request_id = ${requestId}::uuid AND type = 'notice.link_revoked'`.execute(
      context.database.db,
    );
    expect(events.rows).toHaveLength(1);
    expect(events.rows[0]!.data).toMatchObject({ noticeId, reason: payload.reason });
  });

  it('views of the public notice page left no trace: each view is now an audit event', async () => {
    const { context } = db();
    const { noticeId, requestId, token } = await sentNotice();
    const views = async () =>
      (
        await sql<{
          n: string;
        }>`SELECT count(*)::text AS n FROM audit_events WHERE request_id = ${requestId}::uuid AND type = 'notice.viewed'`.execute(
          context.database.db,
        )
      ).rows[0]!.n;
    expect(await views()).toBe('0');
    expect((await app.inject({ method: 'GET', url: `/api/v1/notices/${token}` })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/api/v1/notices/${token}` })).statusCode).toBe(200);
    expect(await views()).toBe('2');
    const event = await sql<{ data: unknown }>`
      SELECT data FROM audit_events WHERE request_id = ${requestId}::uuid AND type = 'notice.viewed' LIMIT 1`.execute(context.database.db);
    expect(event.rows[0]!.data).toMatchObject({ noticeId });
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
