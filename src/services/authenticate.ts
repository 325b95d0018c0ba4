/** Turns a session cookie or a bearer token into an Actor, or nothing. */
import type { Actor } from '../core/actor.ts';
import { canSignIn, type UserRecord } from '../core/model.ts';
import type { Clock, Repositories, Secrets, Transactor } from '../core/ports.ts';

export interface AuthenticateDeps {
  readonly store: Transactor<Pick<Repositories, 'credentials'>>;
  readonly secrets: Pick<Secrets, 'sha256Hex'>;
  readonly clock: Clock;
  /** A session unused for this many minutes ends. */
  readonly sessionIdleMinutes: number;
}

export function actorOf(user: UserRecord, via: Actor['via'], ip?: string): Actor {
  return {
    userId: user.id,
    organisationId: user.organisationId,
    organisationKind: user.organisationKind,
    roles: user.roles,
    via,
    ...(ip ? { ip } : {}),
  };
}

export async function authenticate(
  deps: AuthenticateDeps,
  input: { readonly kind: 'session' | 'token'; readonly secret: string; readonly ip?: string | undefined },
): Promise<Actor | undefined> {
  if (input.secret.length < 20 || input.secret.length > 200) return undefined;
  const now = deps.clock.now();
  const idleSince = new Date(now.getTime() - deps.sessionIdleMinutes * 60_000);
  const user = await deps.store.read.credentials.findUserBySecret(input.kind, deps.secrets.sha256Hex(input.secret), now, idleSince);
  if (!user || !canSignIn(user)) return undefined;
  // Kept to the minute: one write a minute per busy session, not one per call.
  if (user.session && now.getTime() - user.session.lastSeenAt.getTime() > 60_000) {
    await deps.store.read.credentials.touchSession(user.session.id, now);
  }
  // A token's last use, to the minute as well: its person sees it in their list of tokens.
  if (user.token && (!user.token.lastUsedAt || now.getTime() - user.token.lastUsedAt.getTime() > 60_000)) {
    await deps.store.read.credentials.touchToken(user.token.id, now);
  }
  if (user.token) {
    // A token acts with the roles it was given that its person still holds, never more.
    const scope = user.token.scope ?? user.roles;
    const roles = user.roles.filter((role) => scope.includes(role));
    const token = { id: user.token.id, expiresAt: user.token.expiresAt.toISOString(), scope: roles };
    if (user.status === 'pending')
      return { ...actorOf(user, input.kind, input.ip), roles: [], awaitingApproval: true, mfa: user.mfa, token };
    return { ...actorOf(user, input.kind, input.ip), roles, mfa: user.mfa, token };
  }
  // Someone waiting for approval may enrol a second factor and look at their own account, and hold no role until then.
  if (user.status === 'pending') return { ...actorOf(user, input.kind, input.ip), roles: [], awaitingApproval: true, mfa: user.mfa };
  return { ...actorOf(user, input.kind, input.ip), mfa: user.mfa };
}
