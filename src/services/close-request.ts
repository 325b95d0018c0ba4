/** The desk closes a request whose work is done (delivered, rejected, actioned, expired or released). */
import type { Actor } from '../core/actor.ts';
import type { RequestRecord } from '../core/model.ts';
import { closeInputSchema } from '../core/schemas.ts';
import { changeState, parseInput, postOnThread, requirePermission, type StateChangeDeps } from './common.ts';

export async function closeRequest(
  deps: StateChangeDeps,
  actor: Actor,
  input: { reference: string; body: unknown; expectedVersion?: number | undefined },
): Promise<RequestRecord> {
  requirePermission(actor, 'request.close');
  const { reason } = parseInput(closeInputSchema, input.body ?? {});
  return changeState(deps, actor, { ...input, event: 'close' }, async (repositories, request) => {
    if (reason === undefined) return;
    await postOnThread(repositories, actor, request.id, 'desk', reason);
  });
}
