/**
 * The kill switch for one person: suspending an account ends every session and API token it has, in the same
 * transaction, so its next call is refused. The platform's admins may suspend anyone; an agency admin the people of
 * their own agency. Anyone else's account answers as one that does not exist.
 */
import type { Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import type { UserRecord } from '../core/model.ts';
import type { Clock, Repositories, Transactor } from '../core/ports.ts';
import { userStatusInputSchema } from '../core/schemas.ts';
import { parseInput, requirePermission } from './common.ts';

export interface SuspendUserDeps {
  readonly store: Transactor<Pick<Repositories, 'users' | 'credentials' | 'audit'>>;
  readonly clock: Clock;
}

export async function setUserStatus(
  deps: SuspendUserDeps,
  actor: Actor,
  input: { id: string; body: unknown },
): Promise<Pick<UserRecord, 'id' | 'email' | 'displayName' | 'status'> & { sessionsEnded: number; tokensEnded: number }> {
  requirePermission(actor, 'user.suspend');
  const change = parseInput(userStatusInputSchema, input.body);
  return deps.store.transaction(async (repositories) => {
    const user = await repositories.users.find(input.id);
    const platformAdmin = actor.organisationKind === 'platform' && actor.roles.includes('admin');
    if (!user || (!platformAdmin && user.organisationId !== actor.organisationId)) throw new WritError('NOT_FOUND', 'No such person.');
    if (user.id === actor.userId) throw new WritError('VALIDATION_FAILED', 'You cannot change your own account this way.');
    await repositories.users.setStatus(user.id, change.status);
    const ended =
      change.status === 'disabled' ? await repositories.credentials.revokeAll(user.id, deps.clock.now()) : { sessions: 0, tokens: 0 };
    await repositories.audit.append(actor, {
      type: 'user.status_changed',
      data: { userId: user.id, status: change.status, reason: change.reason, sessionsEnded: ended.sessions, tokensEnded: ended.tokens },
    });
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      status: change.status,
      sessionsEnded: ended.sessions,
      tokensEnded: ended.tokens,
    };
  });
}
