/**
 * Verification of a newly received request, run by a job after the submission commits. A request from a verified agency
 * passes into review; anything else waits in `verifying` for the desk to confirm the requester.
 */
import { SYSTEM_ACTOR, type Actor } from '../core/actor.ts';
import type { RequestRecord } from '../core/model.ts';
import type { Repositories, Transactor } from '../core/ports.ts';
import { applyTransition, changeState, requirePermission, type StateChangeDeps } from './common.ts';

export interface VerifyRequestDeps {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'organisations' | 'audit' | 'outbox'>>;
}

/** Safe to run twice: a request no longer `received` is left alone. */
export async function verifyRequest(deps: VerifyRequestDeps, input: { requestId: string }): Promise<RequestRecord | undefined> {
  return deps.store.transaction(async (repositories) => {
    const request = await repositories.requests.find({ kind: 'desk' }, input.requestId);
    if (!request || request.state !== 'received') return undefined;
    const verifying = await applyTransition(repositories, SYSTEM_ACTOR, request, 'begin_verification');
    const agency = await repositories.organisations.find(request.agencyId);
    if (agency?.verificationStatus !== 'verified') return verifying;
    return applyTransition(repositories, SYSTEM_ACTOR, verifying, 'pass_verification');
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
