/** A message on a request's thread between the agency and the desk. */
import { sideOf, type Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import type { MessageRecord } from '../core/model.ts';
import type { Repositories, Secrets, Transactor } from '../core/ports.ts';
import { TERMINAL_STATES } from '../core/request.ts';
import { messageInputSchema } from '../core/schemas.ts';
import { loadRequest, parseInput, postOnThread, requirePermission } from './common.ts';
import { once } from './idempotency.ts';

export interface PostMessageDeps {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'messages' | 'audit' | 'outbox' | 'idempotency'>>;
  readonly secrets: Pick<Secrets, 'sha256Hex'>;
}

export async function postMessage(
  deps: PostMessageDeps,
  actor: Actor,
  input: { reference: string; body: unknown; idempotencyKey?: string | undefined },
): Promise<MessageRecord> {
  requirePermission(actor, 'request.message');
  const { body } = parseInput(messageInputSchema, input.body);
  const side = sideOf(actor) === 'agency' ? 'agency' : 'desk';
  const call = { scope: `message:${input.reference}`, key: input.idempotencyKey, input: input.body };
  const { result } = await once(deps, actor, call, async (repositories) => {
    const request = await loadRequest(repositories.requests, actor, input.reference);
    if (TERMINAL_STATES.has(request.state)) {
      throw new WritError('INVALID_TRANSITION', 'This request is finished; open a new one.', { state: request.state });
    }
    const message = await postOnThread(repositories, actor, request.id, side, body);
    await repositories.outbox.add(side === 'agency' ? 'request.notify-desk' : 'request.notify-agency', {
      requestId: request.id,
      messageId: message.id,
    });
    return message;
  });
  return result;
}
