/** The officer answers the desk's question; the request goes back to review. */
import type { Actor } from '../core/actor.ts';
import type { RequestRecord } from '../core/model.ts';
import { answerInputSchema } from '../core/schemas.ts';
import { REREVIEW_NOW_TOPIC } from './re-review.ts';
import { changeState, parseInput, postOnThread, requirePermission, type StateChangeDeps } from './common.ts';

export async function answerRequest(
  deps: StateChangeDeps,
  actor: Actor,
  input: { reference: string; body: unknown; expectedVersion?: number | undefined },
): Promise<RequestRecord> {
  requirePermission(actor, 'request.answer');
  const { body } = parseInput(answerInputSchema, input.body);
  return changeState(deps, actor, { ...input, event: 'answer' }, async (repositories, request) => {
    await postOnThread(repositories, actor, request.id, 'agency', body);
    // The answer may change the facts the review rests on: review again, after the commit.
    await repositories.outbox.add(REREVIEW_NOW_TOPIC, { requestId: request.id, trigger: 'agency answered' });
  });
}
