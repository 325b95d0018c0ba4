/**
 * Emergency requests on a real database: nothing leaves without a confirmed callback to the directory number and a
 * second person (counsel) approving; the promised legal process gets a due date; the directory keeps the number and
 * the history of an agency's status, and a suspended agency is shut out at once.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor.ts';
import { emergencyReleaseRefusal, type CallbackOutcome, type CallbackRecord } from '../../src/core/emergency.ts';
import { WritError } from '../../src/core/errors.ts';
import type { SubmitRequestInput } from '../../src/core/schemas.ts';
import { updateAgency, getAgency } from '../../src/services/agency-directory.ts';
import { approveRequest } from '../../src/services/approve-request.ts';
import { authenticate } from '../../src/services/authenticate.ts';
import { listCallbacks, recordCallback, recordFollowUp } from '../../src/services/callbacks.ts';
import { startProduction } from '../../src/services/production.ts';
import { confirmRequester, verifyRequest } from '../../src/services/verify-request.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, sessionFor, submitted, type World } from '../support/factories.ts';

const code = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WritError) return error.code;
    throw error;
  }
  return 'OK';
};

const EMERGENCY: Partial<SubmitRequestInput> = {
  kind: 'emergency',
  legalProcess: { instrumentType: 'emergency_request', issuingAuthority: 'Seoul Metropolitan Police Agency', documentIds: [] },
  categories: ['subscriber'],
  emergency: {
    dangerDescription: 'The user posted a photo of a gun and said he will kill his former partner tonight at her home.',
    attestation: true,
  },
};

const APPROVE = { reason: 'Imminent danger to life; confirmed by phone with the duty officer.' };

describe('emergencyReleaseRefusal', () => {
  const callback = (calledBy: string, outcome: CallbackOutcome, minute: number): CallbackRecord => ({
    id: `${calledBy}-${minute}`,
    requestId: 'r',
    calledBy,
    phone: '+82200000112',
    outcome,
    spokeWith: null,
    note: null,
    calledAt: new Date(Date.UTC(2026, 10, 1, 0, minute)).toISOString(),
  });

  it('releases only on a confirmed latest callback and counsel who did not make it, for 10,000 random histories', () => {
    const people = fc.constantFrom('reviewer', 'counsel', 'counsel2');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(people, fc.constantFrom<CallbackOutcome>('confirmed', 'not_confirmed', 'no_answer')), { maxLength: 5 }),
        people,
        (calls, approver) => {
          const callbacks = calls.map(([by, outcome], index) => callback(by, outcome, index));
          // Shuffled storage order must not matter: the latest by time counts.
          const refusal = emergencyReleaseRefusal({ kind: 'emergency' }, [...callbacks].reverse(), {
            userId: approver,
            isCounsel: approver !== 'reviewer',
          });
          const last = calls.at(-1);
          const allowed = last?.[1] === 'confirmed' && approver !== 'reviewer' && last[0] !== approver;
          expect(refusal === undefined).toBe(allowed);
          expect(emergencyReleaseRefusal({ kind: 'disclosure' }, callbacks, { userId: approver, isCounsel: false })).toBeUndefined();
        },
      ),
      { numRuns: 10_000 },
    );
  });
});

describeOnEachDatabase('emergency requests', (db) => {
  let world: World;
  beforeAll(async () => {
    world = await buildWorld(db().context);
  });

  const emergencyInReview = async (officer: Actor = world.officerA): Promise<string> => {
    const { context } = db();
    const tracking = await submitted(context, officer, EMERGENCY);
    const request = await context.store.read.requests.find({ kind: 'desk' }, tracking);
    const verified = await verifyRequest(context, { requestId: request!.id });
    // An officer's first emergency request is held for the desk to confirm the requester.
    if (verified?.state === 'verifying') await confirmRequester(context, world.reviewer, { reference: tracking });
    return tracking;
  };

  it('needs a confirmed callback to the directory number and counsel other than the caller, then sets the follow-up due date', async () => {
    const { context } = db();
    const tracking = await emergencyInReview();

    expect(await code(approveRequest(context, world.counsel, { reference: tracking, body: APPROVE }))).toBe('CALLBACK_REQUIRED');
    const missed = await recordCallback(context, world.reviewer, { reference: tracking, body: { outcome: 'no_answer' } });
    expect(missed.phone).toBe('+82200000112');
    expect(await code(approveRequest(context, world.counsel, { reference: tracking, body: APPROVE }))).toBe('CALLBACK_REQUIRED');

    // Counsel makes the confirming call: then counsel cannot also approve.
    await recordCallback(context, world.counsel, {
      reference: tracking,
      body: { outcome: 'confirmed', spokeWith: 'Inspector Park, duty desk', note: 'Confirmed the case number and the danger.' },
    });
    expect(await code(approveRequest(context, world.counsel, { reference: tracking, body: APPROVE }))).toBe('SECOND_PERSON_REQUIRED');
    // A reviewer is not the second person for an emergency request: counsel is.
    expect(await code(approveRequest(context, world.reviewer, { reference: tracking, body: APPROVE }))).toBe('FORBIDDEN');
    expect((await context.store.read.requests.find({ kind: 'desk' }, tracking))?.state).toBe('in_review');

    const approvedAt = Date.now();
    const approved = await approveRequest(context, world.counsel2, { reference: tracking, body: APPROVE });
    expect(approved.state).toBe('approved');
    const due = Date.parse(approved.followUp.due ?? '');
    expect(due - approvedAt).toBeGreaterThan(3 * 86_400_000 - 60_000);
    expect(due - approvedAt).toBeLessThan(3 * 86_400_000 + 60_000);

    expect((await startProduction(context, world.counsel2, { reference: tracking })).state).toBe('producing');
    const calls = await listCallbacks(context, world.auditor, { reference: tracking });
    expect(calls.map((call) => call.outcome)).toEqual(['no_answer', 'confirmed']);
    expect(await code(listCallbacks(context, world.officerA, { reference: tracking }))).toBe('FORBIDDEN');

    const followed = await recordFollowUp(context, world.reviewer, { reference: tracking, body: { note: 'Court permit by fax.' } });
    expect(followed.followUp.receivedAt).not.toBeNull();
    const stored = await context.store.read.requests.find({ kind: 'desk' }, tracking);
    expect(stored?.followUp.receivedAt).toBe(followed.followUp.receivedAt);
  });

  it('a callback that fails to confirm after approval stops the production', async () => {
    const { context } = db();
    const tracking = await emergencyInReview();
    await recordCallback(context, world.reviewer, { reference: tracking, body: { outcome: 'confirmed' } });
    await approveRequest(context, world.counsel, { reference: tracking, body: APPROVE });
    await recordCallback(context, world.reviewer, {
      reference: tracking,
      body: { outcome: 'not_confirmed', note: 'The duty officer knows of no such case.' },
    });
    expect(await code(startProduction(context, world.counsel, { reference: tracking }))).toBe('CALLBACK_REQUIRED');
    expect((await context.store.read.requests.find({ kind: 'desk' }, tracking))?.state).toBe('approved');
  });

  it('refuses a callback when the directory has no number for the agency, and stores nothing', async () => {
    const { context } = db();
    const tracking = await emergencyInReview(world.officerB);
    expect(await code(recordCallback(context, world.reviewer, { reference: tracking, body: { outcome: 'confirmed' } }))).toBe(
      'DIRECTORY_PHONE_MISSING',
    );
    expect(await listCallbacks(context, world.reviewer, { reference: tracking })).toEqual([]);
    expect(await code(recordCallback(context, world.officerB, { reference: tracking, body: { outcome: 'confirmed' } }))).toBe('FORBIDDEN');
    expect(await code(recordCallback(context, world.reviewer, { reference: tracking, body: { outcome: 'maybe' } }))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('follows a model of who may call, approve and produce, over random sequences: no release the model forbids', async () => {
    const { context } = db();
    const people = { reviewer: world.reviewer, counsel: world.counsel, counsel2: world.counsel2 } as const;
    type Person = keyof typeof people;
    const person = fc.constantFrom<Person>('reviewer', 'counsel', 'counsel2');
    const command = fc.oneof(
      fc.record({
        type: fc.constant('call' as const),
        by: person,
        outcome: fc.constantFrom<CallbackOutcome>('confirmed', 'not_confirmed', 'no_answer'),
      }),
      fc.record({ type: fc.constant('approve' as const), by: person }),
      fc.record({ type: fc.constant('produce' as const), by: fc.constantFrom<Person>('counsel', 'counsel2') }),
    );
    // Half the runs start from a confirmed call and an approval, so releases are exercised as often as refusals.
    const happyStart = [
      { type: 'call' as const, by: 'reviewer' as const, outcome: 'confirmed' as const },
      { type: 'approve' as const, by: 'counsel' as const },
    ];
    const outcomes = { approved: 0, produced: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(command, { minLength: 1, maxLength: 7 }), async (happy, rest) => {
        const commands = happy ? [...happyStart, ...rest] : rest;
        const tracking = await emergencyInReview();
        const model = { state: 'in_review', calls: [] as Array<{ by: Person; outcome: CallbackOutcome }>, decidedBy: '' };
        for (const step of commands) {
          const standing = model.calls.at(-1);
          if (step.type === 'call') {
            await recordCallback(context, people[step.by], { reference: tracking, body: { outcome: step.outcome } });
            model.calls.push({ by: step.by, outcome: step.outcome });
          } else if (step.type === 'approve') {
            const expected =
              model.state === 'in_review' && standing?.outcome === 'confirmed' && step.by !== 'reviewer' && standing.by !== step.by;
            const result = await code(approveRequest(context, people[step.by], { reference: tracking, body: APPROVE }));
            expect(result === 'OK').toBe(expected);
            outcomes[expected ? 'approved' : 'refused'] += 1;
            if (expected) Object.assign(model, { state: 'approved', decidedBy: step.by });
          } else {
            const expected = model.state === 'approved' && standing?.outcome === 'confirmed' && standing.by !== model.decidedBy;
            const result = await code(startProduction(context, people[step.by], { reference: tracking }));
            expect(result === 'OK').toBe(expected);
            outcomes[expected ? 'produced' : 'refused'] += 1;
            if (expected) model.state = 'producing';
          }
        }
        expect((await context.store.read.requests.find({ kind: 'desk' }, tracking))?.state).toBe(model.state);
      }),
      { numRuns: 40 },
    );
    // The model was exercised both ways.
    expect(outcomes.approved).toBeGreaterThan(0);
    expect(outcomes.produced).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });
});

describeOnEachDatabase('the agency directory', (db) => {
  let world: World;
  beforeAll(async () => {
    world = await buildWorld(db().context);
  });

  it('keeps a verification number with its source, refuses one without a country code, and keeps the status history', async () => {
    const { context } = db();
    expect(
      await code(
        updateAgency(context, world.admin, { id: world.agencyB, body: { verificationPhone: { number: '010-1234-5678', source: 'x' } } }),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(await code(updateAgency(context, world.admin, { id: world.agencyB, body: { status: 'suspended' } }))).toBe('VALIDATION_FAILED');
    expect(await code(updateAgency(context, world.reviewer, { id: world.agencyB, body: { status: 'suspended', reason: 'x' } }))).toBe(
      'FORBIDDEN',
    );
    expect(await code(getAgency(context, world.officerA, { id: world.agencyA }))).toBe('FORBIDDEN');
    expect(await code(getAgency(context, world.admin, { id: world.platformId }))).toBe('ORGANISATION_NOT_FOUND');

    const entry = await updateAgency(context, world.admin, {
      id: world.agencyB,
      body: { verificationPhone: { number: '+1 202-555-0142', source: 'https://www.fbi.gov/contact-us/field-offices (example)' } },
    });
    expect(entry.agency.verificationPhone).toBe('+12025550142');
    expect(entry.agency.verificationPhoneSource).toContain('fbi.gov');
    expect((await getAgency(context, world.reviewer, { id: world.agencyB })).history).toEqual([]);
  });

  it('suspending an agency shuts its officers out at once and is kept in the history', async () => {
    const { context } = db();
    const fresh = await buildWorld(context);
    const token = await sessionFor(context, fresh.officerA);
    expect(await authenticate(context, { kind: 'session', secret: token })).toBeDefined();

    const suspended = await updateAgency(context, fresh.admin, {
      id: fresh.agencyA,
      body: { status: 'suspended', reason: 'Officer mailbox reported compromised by the agency.' },
    });
    expect(suspended.agency.verificationStatus).toBe('suspended');
    expect(suspended.history).toMatchObject([{ from: 'verified', to: 'suspended', changedBy: fresh.admin.userId }]);
    expect(await authenticate(context, { kind: 'session', secret: token })).toBeUndefined();

    const restored = await updateAgency(context, fresh.admin, { id: fresh.agencyA, body: { status: 'verified', reason: 'Cleared.' } });
    expect(restored.history.map((change) => change.to)).toEqual(['suspended', 'verified']);
    expect(await authenticate(context, { kind: 'session', secret: token })).toBeDefined();
  });
});
