/** The desk rejects a request, with reasons the agency reads. */
import type { Actor } from '../core/actor.ts';
import type { RequestRecord } from '../core/model.ts';
import { rejectInputSchema } from '../core/schemas.ts';
import type { DecideDeps } from './approve-request.ts';
import { applyTransition, loadRequest, parseInput, requirePermission } from './common.ts';

export async function rejectRequest(
  deps: DecideDeps,
  actor: Actor,
  input: { reference: string; body: unknown; expectedVersion?: number | undefined },
): Promise<RequestRecord> {
  requirePermission(actor, 'request.decide');
  const { reasons } = parseInput(rejectInputSchema, input.body);
  return deps.store.transaction(async (repositories) => {
    const request = await loadRequest(repositories.requests, actor, input.reference);
    const changed = await applyTransition(repositories, actor, request, 'reject', input.expectedVersion);
    const recorded = await repositories.decisions.insert({
      requestId: request.id,
      decidedBy: actor.userId,
      outcome: 'rejected',
      reason: reasons,
      items: [],
    });
    await repositories.audit.append(actor, {
      type: 'request.decided',
      requestId: request.id,
      data: { decisionId: recorded.id, outcome: 'rejected', approvedItems: 0, refusedItems: 0 },
    });
    return changed;
  });
}
