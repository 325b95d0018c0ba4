/**
 * The emergency workflow's two walls, as pure rules. Forged "emergency" requests from hijacked police mailboxes are the
 * attack: so nothing of an emergency request leaves until someone at the desk has phoned the agency on the number in
 * the directory (never one from the request) and recorded that the agency confirmed it, and a second person — counsel,
 * not the one who made the call — has approved. The legal process an emergency request promises is then due by a date.
 */
import type { RequestRecord } from './model.ts';

export const CALLBACK_OUTCOMES = ['confirmed', 'not_confirmed', 'no_answer'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];

export interface CallbackRecord {
  readonly id: string;
  readonly requestId: string;
  readonly calledBy: string;
  /** The directory number as dialled, copied from the directory when the call was recorded. */
  readonly phone: string;
  readonly outcome: CallbackOutcome;
  readonly spokeWith: string | null;
  readonly note: string | null;
  readonly calledAt: string;
}

export interface Refusal {
  readonly code: 'CALLBACK_REQUIRED' | 'SECOND_PERSON_REQUIRED' | 'FORBIDDEN';
  readonly detail: string;
}

/** The callback that counts: the latest one. A later call that did not confirm undoes an earlier confirmation. */
export function standingCallback(callbacks: readonly CallbackRecord[]): CallbackRecord | undefined {
  return [...callbacks].sort((a, b) => Date.parse(a.calledAt) - Date.parse(b.calledAt)).at(-1);
}

/**
 * Why an emergency request's data may not be released on the say of `approver` (the person approving, or the person
 * whose approval a production rests on); undefined when it may, and always for other kinds of request.
 */
export function emergencyReleaseRefusal(
  request: Pick<RequestRecord, 'kind'>,
  callbacks: readonly CallbackRecord[],
  approver: { readonly userId: string; readonly isCounsel: boolean },
): Refusal | undefined {
  if (request.kind !== 'emergency') return undefined;
  const standing = standingCallback(callbacks);
  if (standing?.outcome !== 'confirmed') {
    return {
      code: 'CALLBACK_REQUIRED',
      detail:
        standing === undefined
          ? 'An emergency request releases nothing until someone at the desk phones the agency on its directory number and records that it confirmed the request.'
          : 'The last callback to the agency did not confirm this request; call the directory number again and record a confirmation first.',
    };
  }
  if (!approver.isCounsel) return { code: 'FORBIDDEN', detail: 'An emergency request is approved by counsel.' };
  if (standing.calledBy === approver.userId) {
    return {
      code: 'SECOND_PERSON_REQUIRED',
      detail: 'The person who recorded the callback cannot also approve: a second person, counsel, approves an emergency request.',
    };
  }
  return undefined;
}

/** When the legal process promised by an emergency request approved at `approvedAt` is due. */
export function followUpDue(approvedAt: Date, days: number): Date {
  return new Date(approvedAt.getTime() + days * 86_400_000);
}
