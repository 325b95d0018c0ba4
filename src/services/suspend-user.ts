/**
 * Approving a pending person (status `active`) lets them act.
 * The kill switch for one person: suspending an account ends every session and API token it has, in the same
 * transaction, so its next call is refused. The platform's admins may suspend anyone; an agency admin the people of
 * their own agency. Anyone else's account answers as one that does not exist.
 */
import type { Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import type { UserRecord } from '../core/model.ts';
import type { Clock, Repositories, Transactor } from '../core/ports.ts';
import type { Page } from '../core/pagination.ts';
import { listUsersQuerySchema, resetSecondFactorInputSchema, userStatusInputSchema } from '../core/schemas.ts';
import { parseInput, requirePermission } from './common.ts';

export interface SuspendUserDeps {
  readonly store: Transactor<Pick<Repositories, 'users' | 'credentials' | 'audit'>>;
  readonly clock: Clock;
}

export async function setUserStatus(
  deps: SuspendUserDeps,
  actor: Actor,
  input: { id: string; body: unknown },
): Promise<
  Pick<UserRecord, 'id' | 'email' | 'displayName'> & { status: 'active' | 'disabled'; sessionsEnded: number; tokensEnded: number }
> {
  requirePermission(actor, 'user.suspend');
  const change = parseInput(userStatusInputSchema, input.body);
  return deps.store.transaction(async (repositories) => {
    const user = await repositories.users.find(input.id);
    const platformAdmin = actor.organisationKind === 'platform' && actor.roles.includes('admin');
    if (!user || (!platformAdmin && user.organisationId !== actor.organisationId)) throw new WritError('NOT_FOUND', 'No such person.');
    if (user.id === actor.userId) throw new WritError('VALIDATION_FAILED', 'You cannot change your own account this way.');
    if (change.status === 'active' && user.status === 'unconfirmed') {
      throw new WritError('ADDRESS_NOT_CONFIRMED', 'This person has not yet confirmed their address with the code sent to it.');
    }
    await repositories.users.setStatus(user.id, change.status);
    const ended =
      change.status === 'disabled' ? await repositories.credentials.revokeAll(user.id, deps.clock.now()) : { sessions: 0, tokens: 0 };
    if (user.status === 'pending' && change.status === 'active') {
      await repositories.audit.append(actor, { type: 'user.approved', data: { userId: user.id, reason: change.reason } });
    } else {
      await repositories.audit.append(actor, {
        type: 'user.status_changed',
        data: { userId: user.id, status: change.status, reason: change.reason, sessionsEnded: ended.sessions, tokensEnded: ended.tokens },
      });
    }
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

/**
 * For a person who lost their phone or security key: their authenticator and every passkey are removed and every
 * session and token ends, at once; they then log in with their password and must enrol a second factor before
 * anything else. Who may do it, and whose account answers as missing, as for suspension. Confirm who is asking
 * through a channel of your own first: this is what an attacker who phoned the help desk would ask for.
 */
export async function resetSecondFactor(
  deps: SuspendUserDeps,
  actor: Actor,
  input: { id: string; body: unknown },
): Promise<{ id: string; passkeysRemoved: number; sessionsEnded: number; tokensEnded: number }> {
  requirePermission(actor, 'user.suspend');
  const { reason } = parseInput(resetSecondFactorInputSchema, input.body);
  return deps.store.transaction(async (repositories) => {
    const user = await repositories.users.find(input.id);
    const platformAdmin = actor.organisationKind === 'platform' && actor.roles.includes('admin');
    if (!user || (!platformAdmin && user.organisationId !== actor.organisationId)) throw new WritError('NOT_FOUND', 'No such person.');
    if (user.id === actor.userId) throw new WritError('VALIDATION_FAILED', 'You cannot change your own account this way.');
    const { passkeys } = await repositories.users.clearSecondFactor(user.id);
    const ended = await repositories.credentials.revokeAll(user.id, deps.clock.now());
    const result = { passkeysRemoved: passkeys, sessionsEnded: ended.sessions, tokensEnded: ended.tokens };
    await repositories.audit.append(actor, { type: 'user.second_factor_reset', data: { userId: user.id, reason, ...result } });
    return { id: user.id, ...result };
  });
}

export interface ListUsersDeps {
  readonly store: Transactor<Pick<Repositories, 'users' | 'audit'>>;
}

export interface UserSummary {
  readonly id: string;
  readonly organisationId: string;
  readonly organisationName: string;
  readonly email: string;
  readonly displayName: string;
  readonly roles: readonly string[];
  readonly status: UserRecord['status'];
  readonly createdAt: string;
  readonly emailConfirmedAt: string | null;
  readonly secondFactor: boolean;
}

/**
 * The people an approver looks after: a platform admin everyone (or one agency's), an agency admin their own
 * agency's; `status=pending` is the approval queue. Newest first, by cursor.
 */
export async function listUsers(deps: ListUsersDeps, actor: Actor, query: unknown): Promise<Page<UserSummary>> {
  requirePermission(actor, 'user.suspend');
  const { status, organisationId, limit, cursor } = parseInput(listUsersQuerySchema, query ?? {});
  const platformAdmin = actor.organisationKind === 'platform' && actor.roles.includes('admin');
  const page = await deps.store.read.users.list({
    organisationId: platformAdmin ? organisationId : actor.organisationId,
    status,
    limit,
    cursor,
  });
  // Names and addresses of people: reading them is an event.
  await deps.store.transaction((repositories) =>
    repositories.audit.append(actor, { type: 'user.list_viewed', data: { count: page.items.length, ...(status ? { status } : {}) } }),
  );
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((user): UserSummary => ({
      id: user.id,
      organisationId: user.organisationId,
      organisationName: user.organisationName,
      email: user.email,
      displayName: user.displayName,
      roles: user.roles,
      status: user.status,
      createdAt: user.createdAt,
      emailConfirmedAt: user.emailConfirmedAt,
      secondFactor: user.totp.enabled,
    })),
  };
}
