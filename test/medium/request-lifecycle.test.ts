/** Services on a real database (PGlite, and PostgreSQL when TEST_DATABASE_URL is set): the lifecycle end to end. */
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { WritError } from '../../src/core/errors.ts';
import { addNote } from '../../src/services/add-note.ts';
import { answerRequest } from '../../src/services/answer-request.ts';
import { approveRequest } from '../../src/services/approve-request.ts';
import { askForInformation } from '../../src/services/ask-for-information.ts';
import { closeRequest } from '../../src/services/close-request.ts';
import { getRequest } from '../../src/services/get-request.ts';
import { listRequests } from '../../src/services/list-requests.ts';
import { postMessage } from '../../src/services/post-message.ts';
import { rejectRequest } from '../../src/services/reject-request.ts';
import { submitRequest } from '../../src/services/submit-request.ts';
import { verifyRequest } from '../../src/services/verify-request.ts';
import { withdrawRequest } from '../../src/services/withdraw-request.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, requestPayload, submitted, uploadPdf, type World } from '../support/factories.ts';

const code = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WritError) return error.code;
    throw error;
  }
  return 'OK';
};

describeOnEachDatabase('request lifecycle', (db) => {
  let world: World;
  beforeAll(async () => {
    world = await buildWorld(db().context);
  });

  const inReview = async (): Promise<string> => {
    const { context } = db();
    const tracking = await submitted(context, world.officerA);
    const request = await context.store.read.requests.find({ kind: 'desk' }, tracking);
    await verifyRequest(context, { requestId: request!.id });
    return tracking;
  };

  it('stores a submission in `received` with its targets, audit event and outbox row, and verification moves it to review', async () => {
    const { context } = db();
    const documentId = await uploadPdf(context, world.officerA);
    const receipt = await submitRequest(context, world.officerA, { payload: requestPayload({ documentIds: [documentId] }) });
    expect(receipt.trackingNumber).toMatch(/^WR-\d{4}-\d{6}$/);
    expect(receipt.state).toBe('received');
    expect(receipt.payloadSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(receipt.documents).toHaveLength(1);

    const stored = await context.store.read.requests.find({ kind: 'desk' }, receipt.trackingNumber);
    expect(stored?.agencyId).toBe(world.agencyA);
    const targets = await context.store.read.requests.targets(stored!.id);
    expect(targets.map((target) => target.value)).toEqual(['minjun.kim', '+82 10-1234-5678']);
    const outbox = await sql<{ topic: string }>`SELECT topic FROM outbox WHERE payload->>'requestId' = ${stored!.id}`.execute(
      context.database.db,
    );
    expect(outbox.rows.map((row) => row.topic)).toEqual(['request.verify']);

    const verified = await verifyRequest(context, { requestId: stored!.id });
    expect(verified?.state).toBe('in_review');
    // Safe to run twice: the second run finds nothing to do.
    expect(await verifyRequest(context, { requestId: stored!.id })).toBeUndefined();
    const view = await getRequest(context, world.reviewer, { reference: receipt.trackingNumber });
    // The first review runs at verification (its clocks are scheduled from it); the desk sees it, the agency does not.
    expect(view.timeline.map((entry) => entry.type)).toEqual([
      'request.submitted',
      'request.transitioned',
      'review.rerun',
      'request.transitioned',
    ]);
    const agencyView = await getRequest(context, world.officerA, { reference: receipt.trackingNumber });
    expect(agencyView.timeline.map((entry) => entry.type)).not.toContain('review.rerun');
  });

  it('holds a request from an agency that is not verified in `verifying`', async () => {
    const { context } = db();
    const tracking = await submitted(context, world.officerA);
    const request = await context.store.read.requests.find({ kind: 'desk' }, tracking);
    await sql`UPDATE organisations SET verification_status = 'pending' WHERE id = ${world.agencyA}`.execute(context.database.db);
    try {
      expect((await verifyRequest(context, { requestId: request!.id }))?.state).toBe('verifying');
    } finally {
      await sql`UPDATE organisations SET verification_status = 'verified' WHERE id = ${world.agencyA}`.execute(context.database.db);
    }
  });

  it('runs ask-info, answer, partial approval and close, each with its audit event', async () => {
    const { context } = db();
    const tracking = await inReview();
    expect(
      (await askForInformation(context, world.reviewer, { reference: tracking, body: { question: 'Which account exactly?' } })).state,
    ).toBe('needs_info');
    expect(
      (await answerRequest(context, world.officerA, { reference: tracking, body: { body: 'The one registered on 2026-09-02.' } })).state,
    ).toBe('in_review');
    await addNote(context, world.reviewer, { reference: tracking, body: { body: 'Checked the warrant; signed by a judge.' } });

    const view = await getRequest(context, world.counsel, { reference: tracking });
    const [first, second] = view.targets;
    const approved = await approveRequest(context, world.counsel, {
      reference: tracking,
      body: {
        reason: 'Warrant covers subscriber data of the first account only.',
        items: [{ targetId: first!.id, category: 'subscriber', approved: true }],
      },
    });
    expect(approved.state).toBe('partially_approved');
    const decided = await getRequest(context, world.officerA, { reference: tracking });
    const items = decided.decisions[0]!.items;
    expect(items).toHaveLength(4);
    expect(items.filter((item) => item.approved)).toEqual([{ targetId: first!.id, category: 'subscriber', approved: true }]);
    expect(items.some((item) => item.targetId === second!.id && item.approved)).toBe(false);
    // The officer sees the thread, never the desk's notes.
    expect(decided.notes).toBeUndefined();
    expect(decided.messages.map((message) => message.side)).toEqual(['desk', 'agency']);
    expect(decided.timeline.some((entry) => entry.type === 'request.viewed')).toBe(false);

    expect((await closeRequest(context, world.counsel, { reference: tracking, body: {} })).state).toBe('closed');
    const events = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM audit_events WHERE request_id = (SELECT id FROM requests WHERE tracking_number = ${tracking}) AND type = 'request.transitioned'
    `.execute(context.database.db);
    // begin_verification, pass_verification, ask_info, answer, approve_partially, close
    expect(Number(events.rows[0]?.n)).toBe(6);
  });

  it('approves a whole request, rejects another with reasons, and lets an officer withdraw an open one', async () => {
    const { context } = db();
    const whole = await inReview();
    expect((await approveRequest(context, world.reviewer, { reference: whole, body: {} })).state).toBe('approved');
    const refused = await inReview();
    expect(
      (await rejectRequest(context, world.counsel, { reference: refused, body: { reasons: 'A subpoena cannot compel content.' } })).state,
    ).toBe('rejected');
    const withdrawn = await inReview();
    expect((await withdrawRequest(context, world.officerA, { reference: withdrawn, body: { reason: 'Case closed.' } })).state).toBe(
      'withdrawn',
    );
    expect(await code(withdrawRequest(context, world.officerA, { reference: withdrawn, body: {} }))).toBe('INVALID_TRANSITION');
  });

  it('refuses transitions from the wrong state, wrong side or role, and out-of-scope decisions, changing nothing', async () => {
    const { context } = db();
    const tracking = await inReview();
    expect(await code(answerRequest(context, world.officerA, { reference: tracking, body: { body: 'unasked' } }))).toBe(
      'INVALID_TRANSITION',
    );
    expect(await code(approveRequest(context, world.officerA, { reference: tracking, body: {} }))).toBe('FORBIDDEN');
    expect(await code(approveRequest(context, world.auditor, { reference: tracking, body: {} }))).toBe('FORBIDDEN');
    expect(await code(closeRequest(context, world.counsel, { reference: tracking, body: {} }))).toBe('INVALID_TRANSITION');
    expect(
      await code(
        approveRequest(context, world.counsel, {
          reference: tracking,
          body: { items: [{ targetId: '00000000-0000-4000-8000-000000000000', category: 'subscriber', approved: true }] },
        }),
      ),
    ).toBe('DECISION_SCOPE_INVALID');
    const view = await getRequest(context, world.counsel, { reference: tracking });
    expect(
      await code(
        approveRequest(context, world.counsel, {
          reference: tracking,
          body: { items: [{ targetId: view.targets[0]!.id, category: 'content', approved: true }] },
        }),
      ),
    ).toBe('DECISION_SCOPE_INVALID');
    expect(
      await code(
        approveRequest(context, world.counsel, {
          reference: tracking,
          body: {
            items: [
              {
                targetId: view.targets[0]!.id,
                category: 'traffic',
                approved: true,
                dateRange: { from: '2026-01-01T00:00:00Z', to: '2026-09-10T00:00:00Z' },
              },
            ],
          },
        }),
      ),
    ).toBe('DECISION_SCOPE_INVALID');
    const after = await getRequest(context, world.counsel, { reference: tracking });
    expect(after.request.state).toBe('in_review');
    expect(after.request.version).toBe(view.request.version);
    expect(after.decisions).toHaveLength(0);
  });

  it('answers a stale update with STALE_UPDATE: of two concurrent approvals exactly one wins', async () => {
    const { context } = db();
    const tracking = await inReview();
    const { request } = await getRequest(context, world.counsel, { reference: tracking });
    expect(
      await code(approveRequest(context, world.counsel, { reference: tracking, body: {}, expectedVersion: request.version - 1 })),
    ).toBe('STALE_UPDATE');
    const results = await Promise.all([
      code(approveRequest(context, world.counsel, { reference: tracking, body: {}, expectedVersion: request.version })),
      code(
        rejectRequest(context, world.reviewer, { reference: tracking, body: { reasons: 'Too broad.' }, expectedVersion: request.version }),
      ),
    ]);
    expect(results.filter((result) => result === 'OK')).toHaveLength(1);
    expect(
      results.filter((result) => result !== 'OK').every((result) => result === 'STALE_UPDATE' || result === 'INVALID_TRANSITION'),
    ).toBe(true);
    const decisions = await getRequest(context, world.counsel, { reference: tracking });
    expect(decisions.decisions).toHaveLength(1);
  });

  it('never shows one agency another agency’s request: it answers exactly as a missing one', async () => {
    const { context } = db();
    const tracking = await submitted(context, world.officerA);
    expect(await code(getRequest(context, world.officerB, { reference: tracking }))).toBe('REQUEST_NOT_FOUND');
    expect(await code(getRequest(context, world.officerB, { reference: 'WR-2026-999999' }))).toBe('REQUEST_NOT_FOUND');
    expect(await code(postMessage(context, world.officerB, { reference: tracking, body: { body: 'hello' } }))).toBe('REQUEST_NOT_FOUND');
    expect(await code(withdrawRequest(context, world.officerB, { reference: tracking, body: {} }))).toBe('REQUEST_NOT_FOUND');
    // A colleague in the same agency sees it; the other agency's list never holds it.
    expect((await getRequest(context, world.officerA2, { reference: tracking })).request.trackingNumber).toBe(tracking);
    const listB = await listRequests(context, world.officerB, { limit: 200 });
    expect(listB.items.every((request) => request.agencyId === world.agencyB)).toBe(true);
    const listA = await listRequests(context, world.agencyAdminA, { limit: 200 });
    expect(listA.items.some((request) => request.trackingNumber === tracking)).toBe(true);
    // Documents too: agency B cannot attach agency A's upload.
    const documentA = await uploadPdf(context, world.officerA);
    expect(await code(submitRequest(context, world.officerB, { payload: requestPayload({ documentIds: [documentA] }) }))).toBe(
      'DOCUMENT_NOT_FOUND',
    );
  });

  it('pages through the queue with cursors, newest first, without repeats', async () => {
    const { context } = db();
    for (let index = 0; index < 5; index += 1) await submitted(context, world.officerB);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listRequests(context, world.officerB, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((request) => request.trackingNumber));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(new Set(seen).size).toBe(seen.length);
    expect(await code(listRequests(context, world.officerB, { cursor: 'not-a-cursor' }))).toBe('INVALID_CURSOR');
  });

  it('puts open emergency requests first, and pages exactly even when requests share a millisecond', async () => {
    const { context } = db();
    const fresh = await buildWorld(context);
    const numbers: string[] = [];
    for (let index = 0; index < 4; index += 1) numbers.push(await submitted(context, fresh.officerA));
    const emergency = await submitted(context, fresh.officerA, {
      kind: 'emergency',
      legalProcess: { instrumentType: 'emergency_request', documentIds: [] },
      categories: ['subscriber'],
      emergency: { dangerDescription: 'He said he will kill her tonight and has a gun.', attestation: true },
    });
    // Five requests within one millisecond, a microsecond apart; the emergency one is the oldest.
    for (const [index, tracking] of [emergency, ...numbers].entries()) {
      await sql`UPDATE requests SET received_at = ${`2026-11-01T10:00:00.1234${String(index).padStart(2, '0')}Z`}::timestamptz WHERE tracking_number = ${tracking}`.execute(
        context.database.db,
      );
    }
    const walk = async (order: 'priority' | 'newest') => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listRequests(context, fresh.officerA, { order, limit: 1, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((request) => request.trackingNumber));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return seen;
    };
    const newestFirst = [...numbers].reverse();
    expect(await walk('priority')).toEqual([emergency, ...newestFirst]);
    expect(await walk('newest')).toEqual([...newestFirst, emergency]);
    expect((await listRequests(context, fresh.officerA, {})).items[0]?.trackingNumber).toBe(emergency);
  });

  it('returns the same receipt for a retried Idempotency-Key, never a second request, even when retries race', async () => {
    const { context } = db();
    const documentId = await uploadPdf(context, world.officerA);
    const payload = requestPayload({ documentIds: [documentId] });
    const key = `retry-${Date.now()}`;
    const results = await Promise.all([1, 2, 3].map(() => submitRequest(context, world.officerA, { payload, idempotencyKey: key })));
    const numbers = new Set(results.map((result) => result.trackingNumber));
    expect(numbers.size).toBe(1);
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    const rows = await sql<{
      n: string;
    }>`SELECT count(*)::text AS n FROM requests WHERE case_reference = ${payload.caseReference as string}`.execute(context.database.db);
    expect(rows.rows[0]?.n).toBe('1');
    expect(await code(submitRequest(context, world.officerA, { payload: { ...payload, summary: 'changed' }, idempotencyKey: key }))).toBe(
      'IDEMPOTENCY_KEY_REUSED',
    );
  });

  it('refuses in the database itself any state change that skips the lifecycle', async () => {
    const { context } = db();
    const tracking = await submitted(context, world.officerA);
    await expect(
      sql`UPDATE requests SET state = 'delivered', version = version + 1 WHERE tracking_number = ${tracking}`.execute(context.database.db),
    ).rejects.toThrow();
    await expect(
      sql`UPDATE requests SET state = 'verifying' WHERE tracking_number = ${tracking}`.execute(context.database.db),
    ).rejects.toThrow();
    const request = await context.store.read.requests.find({ kind: 'desk' }, tracking);
    expect(request?.state).toBe('received');
  });

  it('rolls back the whole submission when a document is missing: no request, no targets, no audit event', async () => {
    const { context } = db();
    const before = await sql<{ r: string; t: string; a: string }>`
      SELECT (SELECT count(*) FROM requests)::text AS r, (SELECT count(*) FROM targets)::text AS t, (SELECT count(*) FROM audit_events)::text AS a
    `.execute(context.database.db);
    expect(
      await code(
        submitRequest(context, world.officerA, { payload: requestPayload({ documentIds: ['00000000-0000-4000-8000-000000000001'] }) }),
      ),
    ).toBe('DOCUMENT_NOT_FOUND');
    const after = await sql<{ r: string; t: string; a: string }>`
      SELECT (SELECT count(*) FROM requests)::text AS r, (SELECT count(*) FROM targets)::text AS t, (SELECT count(*) FROM audit_events)::text AS a
    `.execute(context.database.db);
    expect(after.rows[0]).toEqual(before.rows[0]);
  });
});
