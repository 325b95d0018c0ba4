/**
 * Issues a bearer token for an agency's system (or an admin's script). The token is shown once and stored hashed. It
 * lives at most WRIT_TOKEN_MAX_DAYS and acts with some or all of its maker's roles; one minted with a token never
 * outlives it, never holds a role it lacks, and is revoked with it.
 */
import type { Actor, Role } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import type { Clock, Repositories, Secrets, Transactor } from '../core/ports.ts';
import { createTokenInputSchema } from '../core/schemas.ts';
import { parseInput, requirePermission } from './common.ts';

export interface CreateApiTokenDeps {
  readonly store: Transactor<Pick<Repositories, 'credentials' | 'audit'>>;
  readonly secrets: Secrets;
  readonly clock: Clock;
  /** The longest a token may live, in days. */
  readonly tokenMaxDays: number;
}

const DAY_MS = 86_400_000;

export async function createApiToken(
  deps: CreateApiTokenDeps,
  actor: Actor,
  input: unknown,
): Promise<{ id: string; name: string; token: string; expiresAt: string; scope: Role[] }> {
  requirePermission(actor, 'token.create');
  const { name, expiresInDays, scope: asked } = parseInput(createTokenInputSchema, input);
  if (expiresInDays !== undefined && expiresInDays > deps.tokenMaxDays) {
    throw new WritError('VALIDATION_FAILED', 'The input is not valid.', {
      errors: [{ path: 'expiresInDays', message: `at most ${deps.tokenMaxDays} days on this installation` }],
    });
  }
  // A token acting with the caller's token: issue 17 saw a one-day token mint a 365-day one, and so outlive a revocation.
  const now = deps.clock.now().getTime();
  const parentEnds = actor.token ? new Date(actor.token.expiresAt).getTime() : Number.POSITIVE_INFINITY;
  if (expiresInDays !== undefined && now + expiresInDays * DAY_MS > parentEnds) {
    throw new WritError('VALIDATION_FAILED', 'The input is not valid.', {
      errors: [{ path: 'expiresInDays', message: 'a token cannot outlive the token it is minted with' }],
    });
  }
  const expiresAt = new Date(Math.min(now + (expiresInDays ?? deps.tokenMaxDays) * DAY_MS, parentEnds));
  // The caller's roles are already narrowed to its token's scope when it acts through one.
  const scope = asked ? [...new Set(asked)] : [...actor.roles];
  if (scope.some((role) => !actor.roles.includes(role))) {
    throw new WritError('FORBIDDEN', 'A token cannot hold a role its maker does not hold.');
  }
  const token = deps.secrets.newToken('writ_t');
  const parentTokenId = actor.token?.id ?? null;
  return deps.store.transaction(async (repositories) => {
    const { id } = await repositories.credentials.insertToken({
      userId: actor.userId,
      name,
      tokenSha256: deps.secrets.sha256Hex(token),
      expiresAt,
      scope,
      parentTokenId,
    });
    await repositories.audit.append(actor, {
      type: 'token.created',
      data: { tokenId: id, name, expiresAt: expiresAt.toISOString(), scope, parentTokenId },
    });
    return { id, name, token, expiresAt: expiresAt.toISOString(), scope };
  });
}
