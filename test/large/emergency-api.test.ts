/**
 * Over HTTP: the agency directory (admin keeps the verification number and status), callbacks to that number, the
 * emergency approval walls, and the kill switch — an agency suspended mid-session is answered 401 on its next call.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { confirmRequester, verifyRequest } from '../../src/services/verify-request.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, multipartBody, PDF_BYTES, sessionFor, type World } from '../support/factories.ts';

describeOnEachDatabase('emergency requests and the directory over HTTP', (db) => {
  let app: App;
  let world: World;
  const as: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    const { context } = db();
    world = await buildWorld(context);
    app = await buildApp(context);
    for (const [name, actor] of Object.entries({
      officer: world.officerA,
      reviewer: world.reviewer,
      counsel: world.counsel,
      counsel2: world.counsel2,
      admin: world.admin,
    })) {
      as[name] = { cookie: `writ_session=${await sessionFor(context, actor)}` };
    }
  });
  afterAll(async () => {
    await app.close();
  });

  const submitEmergency = async () => {
    const form = multipartBody(Buffer.concat([PDF_BYTES, Buffer.from(String(Math.random()))]));
    const document = (
      await app.inject({ method: 'POST', url: '/api/v1/documents', headers: { ...as.officer, ...form.headers }, payload: form.payload })
    ).json<{ id: string }>();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      headers: as.officer,
      payload: {
        kind: 'emergency',
        jurisdiction: 'KR',
        legalProcess: { instrumentType: 'emergency_request', issuingAuthority: 'Seoul Police', documentIds: [document.id] },
        targets: [{ kind: 'username', value: 'minjun.kim' }],
        categories: ['subscriber'],
        emergency: { dangerDescription: 'He said he will kill his former partner tonight and showed a gun.', attestation: true },
      },
    });
    expect(response.statusCode).toBe(201);
    const tracking = response.json<{ trackingNumber: string }>().trackingNumber;
    const stored = await db().context.store.read.requests.find({ kind: 'desk' }, tracking);
    const verified = await verifyRequest(db().context, { requestId: stored!.id });
    if (verified?.state === 'verifying') await confirmRequester(db().context, world.reviewer, { reference: tracking });
    return tracking;
  };
  const post = (who: string, url: string, payload: object) => app.inject({ method: 'POST', url, headers: as[who], payload });

  it('approves an emergency request only after a confirmed callback to the directory number, by a second person', async () => {
    const tracking = await submitEmergency();
    const approve = (who: string) => post(who, `/api/v1/requests/${tracking}/approve`, { reason: 'Danger to life, confirmed by phone.' });

    const early = await approve('counsel');
    expect(early.statusCode).toBe(409);
    expect(early.headers['content-type']).toContain('application/problem+json');
    expect(early.json()).toMatchObject({ code: 'CALLBACK_REQUIRED' });

    // The request cannot choose the number: there is no field for one, and an unknown field is refused.
    const withNumber = await post('reviewer', `/api/v1/requests/${tracking}/callbacks`, { outcome: 'confirmed', phone: '+15555550100' });
    expect(withNumber.statusCode).toBe(400);

    const call = await post('counsel', `/api/v1/requests/${tracking}/callbacks`, { outcome: 'confirmed', spokeWith: 'Sgt. Lee' });
    expect(call.statusCode).toBe(201);
    expect(call.json()).toMatchObject({ phone: '+82200000112', outcome: 'confirmed' });
    expect((await approve('counsel')).json()).toMatchObject({ code: 'SECOND_PERSON_REQUIRED' });

    const approved = await approve('counsel2');
    expect(approved.statusCode).toBe(200);
    expect(approved.json<{ followUp: { due: string | null } }>().followUp.due).not.toBeNull();

    const officerView = await app.inject({ method: 'GET', url: `/api/v1/requests/${tracking}/callbacks`, headers: as.officer });
    expect(officerView.statusCode).toBe(403);
  });

  it('lets an admin keep the directory and suspend an agency, whose sessions stop working on the next call', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/v1/agencies', headers: as.reviewer });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: Array<{ id: string }> }>().items.map((agency) => agency.id)).toContain(world.agencyA);

    const bad = await app.inject({
      method: 'PATCH',
      url: `/api/v1/agencies/${world.agencyA}`,
      headers: as.admin,
      payload: { verificationPhone: { number: '02-1234-5678', source: 'the request' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const byReviewer = await app.inject({
      method: 'PATCH',
      url: `/api/v1/agencies/${world.agencyA}`,
      headers: as.reviewer,
      payload: { status: 'suspended', reason: 'x' },
    });
    expect(byReviewer.statusCode).toBe(403);
    const missing = await app.inject({ method: 'GET', url: '/api/v1/agencies/00000000-0000-4000-8000-000000000000', headers: as.admin });
    expect(missing.statusCode).toBe(404);

    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: as.officer })).statusCode).toBe(200);
    const suspended = await app.inject({
      method: 'PATCH',
      url: `/api/v1/agencies/${world.agencyA}`,
      headers: as.admin,
      payload: { status: 'suspended', reason: 'Mailbox compromise reported by the agency.' },
    });
    expect(suspended.statusCode).toBe(200);
    expect(suspended.json()).toMatchObject({
      agency: { verificationStatus: 'suspended' },
      history: [{ from: 'verified', to: 'suspended', reason: 'Mailbox compromise reported by the agency.' }],
    });
    const after = await app.inject({ method: 'GET', url: '/api/v1/me', headers: as.officer });
    expect(after.statusCode).toBe(401);
    const timeline = await db()
      .context.database.db.selectFrom('audit_events')
      .select(['type'])
      .where('type', '=', 'agency.directory_updated')
      .execute();
    expect(timeline.length).toBeGreaterThan(0);
  });
});
