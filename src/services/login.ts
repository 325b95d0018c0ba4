/** A person logs in with email and password and gets a session. Failures say nothing about which part was wrong. */
import type { Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import { canSignIn, type UserRecord } from '../core/model.ts';
import { networkOf } from '../core/networks.ts';
import type { Clock, PasswordHasher, Repositories, SecondFactor, Secrets, Transactor } from '../core/ports.ts';
import { loginInputSchema } from '../core/schemas.ts';
import { afterFailure, secondsLocked } from '../core/throttle.ts';
import { parseInput } from './common.ts';

export interface LoginDeps {
  readonly store: Transactor<Pick<Repositories, 'users' | 'credentials' | 'audit'>>;
  readonly hasher: PasswordHasher;
  readonly secrets: Secrets;
  readonly clock: Clock;
  readonly sessionHours: number;
  /** Failed logins after which an account (by email) and a network address are locked, for longer each time. */
  readonly loginLockAfter: { readonly account: number; readonly network: number };
  readonly secondFactor: Pick<SecondFactor, 'verify'>;
}

export interface Session {
  readonly token: string;
  readonly expiresAt: string;
  readonly user: UserRecord;
}

export const actorFor = (user: UserRecord | undefined, ip: string | undefined): Actor => ({
  userId: user?.id ?? '00000000-0000-0000-0000-000000000000',
  organisationId: user?.organisationId ?? '00000000-0000-0000-0000-000000000000',
  organisationKind: user?.organisationKind ?? 'agency',
  roles: user?.roles ?? [],
  via: 'session',
  ...(ip ? { ip } : {}),
});

export async function login(deps: LoginDeps, input: { body: unknown; ip?: string | undefined }): Promise<Session> {
  const { email, password, code } = parseInput(loginInputSchema, input.body);
  // Counted whether or not the account exists, so a lock says nothing about that.
  const accountKey = `account:${deps.secrets.sha256Hex(email.trim().toLowerCase())}`;
  const limits = new Map([[accountKey, deps.loginLockAfter.account]]);
  if (input.ip) limits.set(`ip:${input.ip}`, deps.loginLockAfter.network);
  const now = deps.clock.now();
  const states = await deps.store.read.credentials.throttleStates([...limits.keys()]);
  const wait = Math.max(0, ...[...limits.keys()].map((key) => secondsLocked(states.get(key), now)));
  if (wait > 0) {
    await deps.store.read.audit.append(actorFor(undefined, input.ip), { type: 'auth.login_throttled', data: { retryAfterSeconds: wait } });
    throw new WritError('RATE_LIMITED', 'Too many failed logins; wait before trying again.', { retryAfterSeconds: wait });
  }
  const user = await deps.store.read.users.findByEmail(email);
  const matches = await deps.hasher.verify(user?.passwordHash ?? null, password);
  const passwordFailure = !user
    ? 'unknown_account'
    : !canSignIn(user)
      ? 'disabled'
      : !matches || !user.passwordHash
        ? 'wrong_password'
        : undefined;
  // The password is right: an account with a second factor needs its code too, each code good once.
  if (!passwordFailure && user?.totp.enabled && code === undefined) {
    throw new WritError('MFA_REQUIRED', 'Send the six-digit code from your authenticator app as `code` with your email and password.');
  }
  const step =
    !passwordFailure && user?.totp.enabled && user.totp.secret && code ? deps.secondFactor.verify(user.totp.secret, code, now) : undefined;
  const failure =
    passwordFailure ??
    (user?.totp.enabled && step === undefined
      ? 'wrong_code'
      : user?.totp.enabled && step !== undefined && !(await deps.store.read.users.useTotpStep(user.id, step))
        ? 'code_reused'
        : undefined);
  if (failure || !user) {
    await deps.store.transaction(async (repositories) => {
      for (const [key, threshold] of limits) {
        await repositories.credentials.setThrottleState(key, afterFailure(states.get(key), now, threshold));
      }
      await repositories.audit.append(actorFor(user, input.ip), {
        type: 'auth.login_failed',
        data: { reason: failure ?? 'unknown_account' },
      });
    });
    throw new WritError('INVALID_CREDENTIALS', 'The email, password or code is not right.');
  }
  return openSession(deps, user, { mfa: user.totp.enabled, ip: input.ip, method: 'password', clear: [accountKey] });
}

/** A new session for a person who proved who they are, with the login's audit event and network noted. */
export async function openSession(
  deps: Pick<LoginDeps, 'store' | 'secrets' | 'clock' | 'sessionHours'>,
  user: UserRecord,
  login: { mfa: boolean; ip: string | undefined; method: 'password' | 'passkey' | 'demo'; clear: readonly string[] },
): Promise<Session> {
  const now = deps.clock.now();
  const token = deps.secrets.newToken('writ_s');
  const expiresAt = new Date(now.getTime() + deps.sessionHours * 3_600_000);
  await deps.store.transaction(async (repositories) => {
    await repositories.credentials.insertSession({
      userId: user.id,
      tokenSha256: deps.secrets.sha256Hex(token),
      expiresAt,
      mfa: login.mfa,
    });
    await repositories.users.recordLogin(user.id, now);
    const network = networkOf(login.ip);
    if (network) await repositories.users.usedNetwork(user.id, network, now, true);
    for (const key of login.clear) await repositories.credentials.clearThrottle(key);
    await repositories.audit.append(actorFor(user, login.ip), { type: 'auth.login_succeeded', data: { method: login.method } });
  });
  return { token, expiresAt: expiresAt.toISOString(), user };
}

export async function logout(deps: Pick<LoginDeps, 'store' | 'secrets' | 'clock'>, actor: Actor, input: { token: string }): Promise<void> {
  await deps.store.transaction(async (repositories) => {
    await repositories.credentials.revokeSession(deps.secrets.sha256Hex(input.token), deps.clock.now());
    await repositories.audit.append(actor, { type: 'auth.logout', data: {} });
  });
}
