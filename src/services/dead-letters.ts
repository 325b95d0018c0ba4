/** Jobs that failed every attempt: admins and auditors read them, admins send one round again. */
import type { Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import type { Page } from '../core/pagination.ts';
import type { Clock, DeadLetter, Repositories, Transactor } from '../core/ports.ts';
import { deadLettersQuerySchema } from '../core/schemas.ts';
import { parseInput, requirePermission } from './common.ts';

export async function listDeadLetters(
  deps: { readonly store: Transactor<Pick<Repositories, 'deadLetters'>> },
  actor: Actor,
  query: unknown,
): Promise<Page<DeadLetter>> {
  requirePermission(actor, 'jobs.read');
  const { limit, cursor, all } = parseInput(deadLettersQuerySchema, query ?? {});
  return deps.store.read.deadLetters.list({ includeRetried: all, limit, cursor });
}

/**
 * Sends a dead job round again: a new outbox row with the same topic and payload, in one transaction with marking the
 * dead letter retried, so it is enqueued once however often the admin clicks. Handlers are safe to run twice.
 */
export async function retryDeadLetter(
  deps: { readonly store: Transactor<Pick<Repositories, 'deadLetters' | 'outbox' | 'audit'>>; readonly clock: Clock },
  actor: Actor,
  input: { readonly id: string },
): Promise<DeadLetter> {
  requirePermission(actor, 'jobs.retry');
  return deps.store.transaction(async (repositories) => {
    const letter = await repositories.deadLetters.markRetried(input.id, actor.userId, deps.clock.now());
    if (!letter) throw new WritError('DEAD_LETTER_NOT_FOUND', 'No such dead letter, or it was sent round again already.');
    await repositories.outbox.add(letter.topic, letter.payload);
    await repositories.audit.append(actor, { type: 'job.retried', data: { deadLetterId: letter.id, topic: letter.topic } });
    return letter;
  });
}
