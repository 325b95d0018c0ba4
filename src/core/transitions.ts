/**
 * The request lifecycle as one pure table. Every state change in Writ is `transition(kind, state, event)` at work; the
 * service layer applies the result as a guarded update (`WHERE state = :from`) in the same transaction as its audit
 * event and outbox rows.
 */
import { OPEN_STATES, type RequestKind, type RequestState } from './request.ts';

export const REQUEST_EVENTS = [
  'begin_verification',
  'pass_verification',
  'ask_info',
  'answer',
  'approve',
  'approve_partially',
  'reject',
  'start_production',
  'deliver',
  'activate_preservation',
  'extend_preservation',
  'expire_preservation',
  'release_preservation',
  'action_removal',
  'close',
  'withdraw',
] as const;
export type RequestEvent = (typeof REQUEST_EVENTS)[number];

/** Who may cause an event: the agency that sent the request, the platform's desk, or Writ itself (jobs). */
export type Side = 'agency' | 'desk' | 'system';

/** What must happen after the transition commits; each becomes an outbox row. */
export const EFFECTS = [
  'verify_request',
  'notify_agency',
  'notify_desk',
  'produce',
  'preserve',
  'act_on_removal',
  'notify_users',
  'release_copy',
] as const;
export type Effect = (typeof EFFECTS)[number];

interface Rule {
  readonly from: readonly RequestState[];
  readonly to: RequestState;
  readonly sides: readonly Side[];
  /** Kinds the event applies to; absent means every kind. */
  readonly kinds?: readonly RequestKind[];
  readonly effects: readonly Effect[];
}

const PRODUCING_KINDS: readonly RequestKind[] = ['disclosure', 'emergency', 'prospective', 'assistance'];
const DECIDED: readonly RequestState[] = ['approved', 'partially_approved'];

const TABLE: Readonly<Record<RequestEvent, Rule>> = {
  begin_verification: { from: ['received'], to: 'verifying', sides: ['system'], effects: [] },
  pass_verification: { from: ['verifying'], to: 'in_review', sides: ['system', 'desk'], effects: ['notify_desk'] },
  ask_info: { from: ['in_review'], to: 'needs_info', sides: ['desk'], effects: ['notify_agency'] },
  answer: { from: ['needs_info'], to: 'in_review', sides: ['agency'], effects: ['notify_desk'] },
  approve: { from: ['in_review'], to: 'approved', sides: ['desk'], effects: ['notify_agency'] },
  approve_partially: { from: ['in_review'], to: 'partially_approved', sides: ['desk'], effects: ['notify_agency'] },
  reject: { from: ['verifying', 'in_review', 'needs_info'], to: 'rejected', sides: ['desk'], effects: ['notify_agency'] },
  start_production: { from: DECIDED, to: 'producing', sides: ['desk', 'system'], kinds: PRODUCING_KINDS, effects: ['produce'] },
  // Once data is delivered, the users behind the targets are told when the law and any gag order allow.
  deliver: { from: ['producing'], to: 'delivered', sides: ['system'], kinds: PRODUCING_KINDS, effects: ['notify_agency', 'notify_users'] },
  activate_preservation: {
    from: DECIDED,
    to: 'active',
    sides: ['desk', 'system'],
    kinds: ['preservation'],
    effects: ['preserve', 'notify_agency'],
  },
  extend_preservation: { from: ['active'], to: 'extended', sides: ['desk'], kinds: ['preservation'], effects: ['notify_agency'] },
  // When a preservation ends, its sealed copy is deleted (release_copy), unless a production still needs it.
  expire_preservation: {
    from: ['active', 'extended'],
    to: 'expired',
    sides: ['system'],
    kinds: ['preservation'],
    effects: ['notify_agency', 'release_copy'],
  },
  release_preservation: {
    from: ['active', 'extended'],
    to: 'released',
    sides: ['desk'],
    kinds: ['preservation'],
    effects: ['notify_agency', 'release_copy'],
  },
  // A removal order is acted on straight from review as well: with one hour to act (TCO Art. 3(3)) the desk's
  // decision per item of content is the approval.
  action_removal: {
    from: ['in_review', ...DECIDED],
    to: 'actioned',
    sides: ['desk', 'system'],
    kinds: ['removal'],
    effects: ['act_on_removal', 'notify_agency'],
  },
  close: {
    from: ['approved', 'partially_approved', 'rejected', 'delivered', 'expired', 'released', 'actioned'],
    to: 'closed',
    sides: ['desk'],
    effects: ['notify_agency'],
  },
  // A withdrawn preservation lets its copy go too (the job does nothing for other kinds).
  withdraw: { from: [...OPEN_STATES], to: 'withdrawn', sides: ['agency'], effects: ['notify_desk', 'release_copy'] },
};

export type TransitionResult =
  | { readonly ok: true; readonly next: RequestState; readonly effects: readonly Effect[] }
  | { readonly ok: false; readonly code: 'UNKNOWN_TRANSITION' | 'INVALID_TRANSITION'; readonly reason: string };

const isRequestEvent = (event: string): event is RequestEvent => Object.hasOwn(TABLE, event);

/**
 * The next state and the effects of `event` on a request of `kind` in `state`, caused by `side`; or why not.
 * `UNKNOWN_TRANSITION` for an event that does not exist, `INVALID_TRANSITION` for one that does not apply here.
 */
export function transition(kind: RequestKind, state: RequestState, event: string, side: Side): TransitionResult {
  if (!isRequestEvent(event)) return { ok: false, code: 'UNKNOWN_TRANSITION', reason: 'No such event.' };
  const rule = TABLE[event];
  if (rule.kinds && !rule.kinds.includes(kind)) {
    return { ok: false, code: 'INVALID_TRANSITION', reason: `A ${kind} request cannot ${event.replaceAll('_', ' ')}.` };
  }
  if (!rule.from.includes(state)) {
    return {
      ok: false,
      code: 'INVALID_TRANSITION',
      reason: `Cannot ${event.replaceAll('_', ' ')} a request that is ${state.replaceAll('_', ' ')}.`,
    };
  }
  if (!rule.sides.includes(side)) {
    return { ok: false, code: 'INVALID_TRANSITION', reason: `The ${side} side cannot ${event.replaceAll('_', ' ')}.` };
  }
  return { ok: true, next: rule.to, effects: rule.effects };
}

/** The events `side` may cause now: what the UI offers as buttons. */
export function allowedEvents(kind: RequestKind, state: RequestState, side: Side): RequestEvent[] {
  return REQUEST_EVENTS.filter((event) => transition(kind, state, event, side).ok);
}

/** Every (from, to) pair the table allows, for the database's own guard on the requests table. */
export function stateEdges(): Array<readonly [RequestState, RequestState]> {
  const edges = new Map<string, readonly [RequestState, RequestState]>();
  for (const rule of Object.values(TABLE)) {
    for (const from of rule.from) edges.set(`${from}>${rule.to}`, [from, rule.to]);
  }
  return [...edges.values()];
}
