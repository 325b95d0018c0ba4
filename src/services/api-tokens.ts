/**
 * A person's API tokens: seeing them (never their secrets) and ending any of them; and an admin doing the same for
 * anyone (`writ user tokens`, `writ user revoke-token`). Ending a token ends every token minted with it.
 */
import type { Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import type { Clock, Repositories, TokenRecord, Transactor } from '../core/ports.ts';
import { requirePermission } from './common.ts';

export interface ApiTokensDeps {
  readonly store: Transactor<Pick<Repositories, 'credentials' | 'users' | 'audit'>>;
  readonly clock: Clock;
}

export interface TokenView extends TokenRecord {
  /** The token this call was made with. */
  readonly current: boolean;
}

/** The caller's live tokens, newest first. */
export async function listOwnTokens(deps: ApiTokensDeps, actor: Actor): Promise<TokenView[]> {
  const tokens = await deps.store.read.credentials.listTokens(actor.userId, deps.clock.now());
  return tokens.map((token) => ({ ...token, current: token.id === actor.token?.id }));
}

/** Ends one of the caller's tokens; another person's token answers exactly like one that does not exist. */
export async function revokeOwnToken(deps: ApiTokensDeps, actor: Actor, input: { id: string }): Promise<{ ended: number }> {
  return deps.store.transaction(async (repositories) => {
    const ended = await repositories.credentials.revokeToken(actor.userId, input.id, deps.clock.now());
    if (ended === 0) throw new WritError('NOT_FOUND', 'No such token.');
    await repositories.audit.append(actor, { type: 'token.revoked', data: { tokenId: input.id, ended, by: 'owner' } });
    return { ended };
  });
}

/** An admin's view of one person's live tokens, by their email address. */
export async function listTokensOf(deps: ApiTokensDeps, actor: Actor, input: { email: string }): Promise<TokenRecord[]> {
  requirePermission(actor, 'user.manage');
  const user = await deps.store.read.users.findByEmail(input.email);
  if (!user) throw new WritError('NOT_FOUND', 'No such person.');
  return deps.store.read.credentials.listTokens(user.id, deps.clock.now());
}

/** An admin ends anyone's token (and those minted with it). */
export async function revokeAnyToken(deps: ApiTokensDeps, actor: Actor, input: { id: string }): Promise<{ ended: number }> {
  requirePermission(actor, 'user.manage');
  return deps.store.transaction(async (repositories) => {
    const ended = await repositories.credentials.revokeToken(null, input.id, deps.clock.now());
    if (ended === 0) throw new WritError('NOT_FOUND', 'No such token.');
    await repositories.audit.append(actor, { type: 'token.revoked', data: { tokenId: input.id, ended, by: 'admin' } });
    return { ended };
  });
}
