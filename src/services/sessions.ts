/** A person's own login sessions: where they are signed in, ending any or all of them, and changing their password. */
import type { Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import { passwordProblem, type KnownPasswords } from '../core/passwords.ts';
import type { Clock, PasswordHasher, Repositories, Secrets, Transactor } from '../core/ports.ts';
import { changePasswordInputSchema } from '../core/schemas.ts';
import { chargeAttempts } from './attempts.ts';
import { parseInput } from './common.ts';

export interface SessionsDeps {
  readonly store: Transactor<Pick<Repositories, 'credentials' | 'audit'>>;
  readonly secrets: Pick<Secrets, 'sha256Hex'>;
  readonly clock: Clock;
  readonly sessionIdleMinutes: number;
}

export interface SessionView {
  readonly id: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly expiresAt: string;
  readonly secondFactor: boolean;
  /** The session this call was made with. */
  readonly current: boolean;
}

export async function listOwnSessions(
  deps: SessionsDeps,
  actor: Actor,
  input: { currentToken?: string | undefined },
): Promise<SessionView[]> {
  const now = deps.clock.now();
  const sessions = await deps.store.read.credentials.listSessions(
    actor.userId,
    now,
    new Date(now.getTime() - deps.sessionIdleMinutes * 60_000),
  );
  const current = input.currentToken ? deps.secrets.sha256Hex(input.currentToken) : undefined;
  return sessions.map((session) => ({
    id: session.id,
    createdAt: session.createdAt,
    lastSeenAt: session.lastSeenAt,
    expiresAt: session.expiresAt,
    secondFactor: session.mfa,
    current: session.tokenSha256 === current,
  }));
}

export async function revokeOwnSession(deps: SessionsDeps, actor: Actor, input: { id: string }): Promise<void> {
  await deps.store.transaction(async (repositories) => {
    if (!(await repositories.credentials.revokeSessionById(actor.userId, input.id, deps.clock.now()))) {
      throw new WritError('NOT_FOUND', 'No such session.');
    }
    await repositories.audit.append(actor, { type: 'auth.session_revoked', data: { sessionId: input.id } });
  });
}

export interface SignOutEverywhereDeps {
  readonly store: Transactor<Pick<Repositories, 'credentials' | 'audit'>>;
  readonly clock: Clock;
}

/** Ends every session and every API token of the caller, this one included: for a person who fears an account was used. */
export async function signOutEverywhere(
  deps: SignOutEverywhereDeps,
  actor: Actor,
): Promise<{ sessionsEnded: number; tokensEnded: number }> {
  return deps.store.transaction(async (repositories) => {
    const ended = await repositories.credentials.revokeAll(actor.userId, deps.clock.now());
    const result = { sessionsEnded: ended.sessions, tokensEnded: ended.tokens };
    await repositories.audit.append(actor, { type: 'auth.signed_out_everywhere', data: result });
    return result;
  });
}

export interface ChangePasswordDeps {
  readonly store: Transactor<Pick<Repositories, 'credentials' | 'users' | 'audit'>>;
  readonly secrets: Pick<Secrets, 'sha256Hex'>;
  readonly hasher: PasswordHasher;
  readonly clock: Clock;
  readonly knownPasswords: KnownPasswords;
  /** Wrong current passwords count against the account's login lock, so a stolen session cannot guess the password. */
  readonly loginLockAfter: { readonly account: number };
}

/**
 * A person changes their password with the one they have. Every other session and every API token ends: whoever
 * learnt the old password, or holds a token made with it, is out; the session that made the change stays.
 */
export async function changePassword(
  deps: ChangePasswordDeps,
  actor: Actor,
  input: { body: unknown; sessionToken?: string | undefined },
): Promise<{ sessionsEnded: number; tokensEnded: number }> {
  if (actor.via !== 'session' || !input.sessionToken) throw new WritError('FORBIDDEN', 'Change a password from a signed-in session.');
  const { currentPassword, newPassword } = parseInput(changePasswordInputSchema, input.body);
  const user = await deps.store.read.users.find(actor.userId);
  if (!user) throw new WritError('NOT_FOUND', 'No such person.');
  const limits = new Map([[`account:${deps.secrets.sha256Hex(user.email.trim().toLowerCase())}`, deps.loginLockAfter.account]]);
  const wait = await chargeAttempts(deps.store, limits, deps.clock.now());
  if (wait > 0) throw new WritError('RATE_LIMITED', 'Too many failed attempts; wait before trying again.', { retryAfterSeconds: wait });
  if (!(await deps.hasher.verify(user.passwordHash, currentPassword))) {
    await deps.store.read.audit.append(actor, { type: 'auth.password_change_failed', data: {} });
    throw new WritError('WRONG_PASSWORD', 'The current password is not right.');
  }
  for (const [key, threshold] of limits) await deps.store.read.credentials.refundAttempt(key, threshold);
  const weakness = passwordProblem(newPassword, { email: user.email, known: deps.knownPasswords });
  if (weakness) throw new WritError('VALIDATION_FAILED', weakness, { errors: [{ path: 'newPassword', message: weakness }] });
  const passwordHash = await deps.hasher.hash(newPassword);
  return deps.store.transaction(async (repositories) => {
    await repositories.users.setPasswordHash(user.id, passwordHash);
    const ended = await repositories.credentials.revokeAll(user.id, deps.clock.now(), deps.secrets.sha256Hex(input.sessionToken ?? ''));
    const result = { sessionsEnded: ended.sessions, tokensEnded: ended.tokens };
    await repositories.audit.append(actor, { type: 'auth.password_changed', data: result });
    return result;
  });
}
