/** Issues a bearer token for an agency's system (or an admin's script). The token is shown once and stored hashed. */
import type { Actor } from '../core/actor.ts';
import type { Clock, Repositories, Secrets, Transactor } from '../core/ports.ts';
import { createTokenInputSchema } from '../core/schemas.ts';
import { parseInput, requirePermission } from './common.ts';

export interface CreateApiTokenDeps {
  readonly store: Transactor<Pick<Repositories, 'credentials' | 'audit'>>;
  readonly secrets: Secrets;
  readonly clock: Clock;
}

export async function createApiToken(
  deps: CreateApiTokenDeps,
  actor: Actor,
  input: unknown,
): Promise<{ id: string; name: string; token: string; expiresAt: string }> {
  requirePermission(actor, 'token.create');
  const { name, expiresInDays } = parseInput(createTokenInputSchema, input);
  const token = deps.secrets.newToken('writ_t');
  const expiresAt = new Date(deps.clock.now().getTime() + expiresInDays * 86_400_000);
  return deps.store.transaction(async (repositories) => {
    const { id } = await repositories.credentials.insertToken({
      userId: actor.userId,
      name,
      tokenSha256: deps.secrets.sha256Hex(token),
      expiresAt,
    });
    await repositories.audit.append(actor, { type: 'token.created', data: { tokenId: id, name } });
    return { id, name, token, expiresAt: expiresAt.toISOString() };
  });
}
