/** The officer withdraws a request that is still open. */
import type { Actor } from '../core/actor.ts';
import type { RequestRecord } from '../core/model.ts';
import { withdrawInputSchema } from '../core/schemas.ts';
import { changeState, parseInput, postOnThread, requirePermission, type StateChangeDeps } from './common.ts';

export async function withdrawRequest(
  deps: StateChangeDeps,
  actor: Actor,
  input: { reference: string; body: unknown; expectedVersion?: number | undefined },
): Promise<RequestRecord> {
  requirePermission(actor, 'request.withdraw');
  const { reason } = parseInput(withdrawInputSchema, input.body ?? {});
  return changeState(deps, actor, { ...input, event: 'withdraw' }, async (repositories, request) => {
    if (reason === undefined) return;
    await postOnThread(repositories, actor, request.id, 'agency', reason);
  });
}
