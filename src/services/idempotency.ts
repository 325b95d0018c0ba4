/**
 * Idempotency keys for creating calls: the key is claimed inside the creating transaction, so a concurrent retry waits
 * for the first call to commit and then gets its result; a key reused for different input is refused.
 */
import { canonicalJson } from '../core/canonical.ts';
import type { Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import type { Repositories, Secrets, Transactor } from '../core/ports.ts';

export interface IdempotencyDeps<R> {
  readonly store: Transactor<R & Pick<Repositories, 'idempotency'>>;
  readonly secrets: Pick<Secrets, 'sha256Hex'>;
}

class KeyTaken extends Error {}

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** Runs `work` in a transaction, once per (actor, scope, key); a retry returns the stored result with `replayed: true`. */
export async function once<R, T>(
  deps: IdempotencyDeps<R>,
  actor: Actor,
  call: { readonly scope: string; readonly key: string | undefined; readonly input: unknown },
  work: (repositories: R & Pick<Repositories, 'idempotency'>) => Promise<T>,
): Promise<{ result: T; replayed: boolean }> {
  const { scope, key } = call;
  if (key === undefined) return { result: await deps.store.transaction(work), replayed: false };
  if (!KEY_PATTERN.test(key)) throw new WritError('IDEMPOTENCY_KEY_INVALID', 'An Idempotency-Key is 1 to 200 visible ASCII characters.');
  const inputSha256 = deps.secrets.sha256Hex(canonicalJson(call.input ?? null));

  const replay = async (): Promise<{ result: T; replayed: boolean } | undefined> => {
    const previous = await deps.store.read.idempotency.find(actor.userId, scope, key);
    if (!previous) return undefined;
    if (previous.inputSha256 !== inputSha256)
      throw new WritError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different call.');
    return { result: previous.result as T, replayed: true };
  };

  // No read first: the claim inside the transaction finds a used key, and the common case (a new key) costs nothing more.
  try {
    const result = await deps.store.transaction(async (repositories) => {
      if (!(await repositories.idempotency.claim({ userId: actor.userId, scope, key, inputSha256 }))) throw new KeyTaken();
      const value = await work(repositories);
      await repositories.idempotency.complete({ userId: actor.userId, scope, key, result: value });
      return value;
    });
    return { result, replayed: false };
  } catch (error) {
    if (error instanceof KeyTaken) {
      const previous = await replay();
      if (previous) return previous;
    }
    throw error;
  }
}
