import { describe, expect, it } from 'vitest';
import { REQUEST_KINDS, REQUEST_STATES, type RequestKind, type RequestState } from './request.ts';
import { allowedEvents, REQUEST_EVENTS, stateEdges, transition, type RequestEvent, type Side } from './transitions.ts';

/** The lifecycle written out by hand from DESIGN.md, independently of the table: [event, from, to, sides, kinds?]. */
const EXPECTED: Array<[RequestEvent, RequestState[], RequestState, Side[], RequestKind[]?]> = [
  ['begin_verification', ['received'], 'verifying', ['system']],
  ['pass_verification', ['verifying'], 'in_review', ['system', 'desk']],
  ['ask_info', ['in_review'], 'needs_info', ['desk']],
  ['answer', ['needs_info'], 'in_review', ['agency']],
  ['approve', ['in_review'], 'approved', ['desk']],
  ['approve_partially', ['in_review'], 'partially_approved', ['desk']],
  ['reject', ['verifying', 'in_review', 'needs_info'], 'rejected', ['desk']],
  [
    'start_production',
    ['approved', 'partially_approved'],
    'producing',
    ['desk', 'system'],
    ['disclosure', 'emergency', 'prospective', 'assistance'],
  ],
  ['deliver', ['producing'], 'delivered', ['system'], ['disclosure', 'emergency', 'prospective', 'assistance']],
  ['activate_preservation', ['approved', 'partially_approved'], 'active', ['desk', 'system'], ['preservation']],
  ['extend_preservation', ['active'], 'extended', ['desk'], ['preservation']],
  ['expire_preservation', ['active', 'extended'], 'expired', ['system'], ['preservation']],
  ['release_preservation', ['active', 'extended'], 'released', ['desk'], ['preservation']],
  ['action_removal', ['in_review', 'approved', 'partially_approved'], 'actioned', ['desk', 'system'], ['removal']],
  ['close', ['approved', 'partially_approved', 'rejected', 'delivered', 'expired', 'released', 'actioned'], 'closed', ['desk']],
  [
    'withdraw',
    ['received', 'verifying', 'in_review', 'needs_info', 'approved', 'partially_approved', 'producing', 'active', 'extended'],
    'withdrawn',
    ['agency'],
  ],
];

describe('transition', () => {
  it('has an expectation for every event', () => {
    expect(EXPECTED.map(([event]) => event).sort()).toEqual([...REQUEST_EVENTS].sort());
  });

  // Every kind × state × event × side: allowed exactly where the hand-written lifecycle says so.
  for (const kind of REQUEST_KINDS) {
    for (const [event, from, to, sides, kinds] of EXPECTED) {
      it(`${kind}: ${event}`, () => {
        for (const state of REQUEST_STATES) {
          for (const side of ['agency', 'desk', 'system'] as const) {
            const result = transition(kind, state, event, side);
            const allowed = from.includes(state) && sides.includes(side) && (!kinds || kinds.includes(kind));
            expect(result.ok, `${kind} ${state} ${event} by ${side}`).toBe(allowed);
            if (result.ok) expect(result.next).toBe(to);
            else expect(result.code).toBe('INVALID_TRANSITION');
          }
        }
      });
    }
  }

  it('names an unknown event as such, whatever the state', () => {
    for (const state of REQUEST_STATES) {
      expect(transition('disclosure', state, 'teleport', 'desk')).toMatchObject({ ok: false, code: 'UNKNOWN_TRANSITION' });
      expect(transition('disclosure', state, 'toString', 'desk')).toMatchObject({ ok: false, code: 'UNKNOWN_TRANSITION' });
    }
  });

  it('lets nothing leave a terminal state', () => {
    for (const kind of REQUEST_KINDS) {
      for (const side of ['agency', 'desk', 'system'] as const) {
        expect(allowedEvents(kind, 'closed', side)).toEqual([]);
        expect(allowedEvents(kind, 'withdrawn', side)).toEqual([]);
      }
    }
  });

  it('emits the effects the job runner acts on', () => {
    expect(transition('disclosure', 'approved', 'start_production', 'desk')).toMatchObject({ ok: true, effects: ['produce'] });
    expect(transition('disclosure', 'in_review', 'ask_info', 'desk')).toMatchObject({ ok: true, effects: ['notify_agency'] });
    expect(transition('disclosure', 'producing', 'deliver', 'system')).toMatchObject({
      ok: true,
      effects: ['notify_agency', 'notify_users'],
    });
    expect(transition('preservation', 'approved', 'activate_preservation', 'desk')).toMatchObject({
      ok: true,
      effects: ['preserve', 'notify_agency'],
    });
    expect(transition('preservation', 'extended', 'expire_preservation', 'system')).toMatchObject({
      ok: true,
      effects: ['notify_agency', 'release_copy'],
    });
    expect(transition('removal', 'in_review', 'action_removal', 'desk')).toMatchObject({
      ok: true,
      effects: ['act_on_removal', 'notify_agency'],
    });
  });

  it('offers the desk the review buttons and the officer only withdraw on a request in review', () => {
    expect(allowedEvents('disclosure', 'in_review', 'desk').sort()).toEqual(['approve', 'approve_partially', 'ask_info', 'reject']);
    expect(allowedEvents('removal', 'in_review', 'desk').sort()).toEqual([
      'action_removal',
      'approve',
      'approve_partially',
      'ask_info',
      'reject',
    ]);
    // Extension is allowed once: an extended preservation can expire or be released, not be extended again.
    expect(allowedEvents('preservation', 'extended', 'desk')).toEqual(['release_preservation']);
    expect(allowedEvents('disclosure', 'in_review', 'agency')).toEqual(['withdraw']);
  });

  it('lists every edge once for the database guard', () => {
    const edges = stateEdges().map(([from, to]) => `${from}>${to}`);
    expect(new Set(edges).size).toBe(edges.length);
    expect(edges).toContain('received>verifying');
    expect(edges).not.toContain('received>delivered');
  });
});
