/**
 * Verification of a newly received request, run by a job after the submission commits. A request passes into review
 * only when nothing about its sender looks wrong (`core/anomalies.ts`): a verified agency, an officer at one of its
 * official domains, an account not brand new, not a first emergency, no burst, a network the officer has used before,
 * the agency's own jurisdiction.
 * Otherwise it waits in `verifying`, the reasons recorded, for the desk to confirm the requester.
 */
import { SYSTEM_ACTOR, type Actor } from '../core/actor.ts';
import { holdReasons } from '../core/anomalies.ts';
import { reReviewIn } from './re-review.ts';
import type { RequestRecord } from '../core/model.ts';
import type { Clock, Repositories, Transactor } from '../core/ports.ts';
import { applyTransition, changeState, requirePermission, type StateChangeDeps } from './common.ts';
import { planDeadline } from './deadlines.ts';
import { findingsOf, type ReviewRules } from './review-request.ts';

export interface VerifyRequestDeps {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'organisations' | 'users' | 'documents' | 'schedule' | 'audit' | 'outbox'>>;
  readonly clock: Clock;
  /** The law and policy the request's deadline is worked out from. */
  readonly review: ReviewRules;
  /**
   * An officer account younger than this many days, more requests than this in an hour, and a network the officer
   * first used fewer than this many days ago (after using others), hold a request.
   */
  readonly holdLimits: { readonly newAccountDays: number; readonly burstPerHour: number; readonly newNetworkDays: number };
}

/** Safe to run twice: a request no longer `received` is left alone. */
export async function verifyRequest(deps: VerifyRequestDeps, input: { requestId: string }): Promise<RequestRecord | undefined> {
  return deps.store.transaction(async (repositories) => {
    const request = await repositories.requests.find({ kind: 'desk' }, input.requestId);
    if (!request || request.state !== 'received') return undefined;
    const verifying = await applyTransition(repositories, SYSTEM_ACTOR, request, 'begin_verification');
    // The clock of the deadline runs from receipt, whether or not the request is held: plan it now, once.
    const due = await planDeadline(repositories, request, await findingsOf(repositories, deps, request), deps.clock.now());
    // The first review is recorded and its clocks scheduled: a later block (a permit overdue) is then news.
    await reReviewIn(repositories, deps, request.id, 'verification', { initial: true });
    const [agency, officer, activity, directoryDomains] = await Promise.all([
      repositories.organisations.find(request.agencyId),
      repositories.users.findActive(request.officerId),
      repositories.requests.officerActivity(request),
      repositories.organisations.directoryDomains(),
    ]);
    const reasons =
      agency && officer
        ? holdReasons({
            request,
            agency,
            directoryDomains,
            officer: { email: officer.email, createdAt: officer.createdAt, ...activity },
            now: deps.clock.now(),
            limits: deps.holdLimits,
          })
        : [{ code: 'AGENCY_NOT_VERIFIED' as const, detail: 'The agency or the officer is no longer active.' }];
    if (reasons.length > 0) {
      await repositories.audit.append(SYSTEM_ACTOR, { type: 'request.held', requestId: request.id, data: { reasons } });
      return { ...verifying, due };
    }
    return { ...(await applyTransition(repositories, SYSTEM_ACTOR, verifying, 'pass_verification')), due };
  });
}

/** The desk confirms the requester of a request held in `verifying`. */
export async function confirmRequester(
  deps: StateChangeDeps,
  actor: Actor,
  input: { reference: string; expectedVersion?: number | undefined },
): Promise<RequestRecord> {
  requirePermission(actor, 'request.decide');
  return changeState(deps, actor, { ...input, event: 'pass_verification' });
}
