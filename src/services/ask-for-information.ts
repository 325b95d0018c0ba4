/** The desk asks the agency for more information; the request waits in `needs_info` until the officer answers. */
import type { Actor } from '../core/actor.ts';
import type { RequestRecord } from '../core/model.ts';
import { askInfoInputSchema } from '../core/schemas.ts';
import { changeState, parseInput, postOnThread, requirePermission, type StateChangeDeps } from './common.ts';

export async function askForInformation(
  deps: StateChangeDeps,
  actor: Actor,
  input: { reference: string; body: unknown; expectedVersion?: number | undefined },
): Promise<RequestRecord> {
  requirePermission(actor, 'request.ask_info');
  const { question } = parseInput(askInfoInputSchema, input.body);
  return changeState(deps, actor, { ...input, event: 'ask_info' }, async (repositories, request) => {
    await postOnThread(repositories, actor, request.id, 'desk', question);
  });
}
