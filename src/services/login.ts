/** A person logs in with email and password and gets a session. Failures say nothing about which part was wrong. */
import type { Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import { canSignIn, type UserRecord } from '../core/model.ts';
import { networkOf } from '../core/networks.ts';
import type { Clock, PasswordHasher, Repositories, SecondFactor, Secrets, Transactor } from '../core/ports.ts';
import { loginInputSchema } from '../core/schemas.ts';
import { chargeAttempts } from './attempts.ts';
import { parseInput } from './common.ts';

export interface LoginDeps {
  readonly store: Transactor<Pick<Repositories, 'users' | 'credentials' | 'audit'>>;
  readonly hasher: PasswordHasher;
  readonly secrets: Secrets;
  readonly clock: Clock;
  readonly sessionHours: number;
  /** Failed logins after which an account (by email), a network address and its /24 or /48 are locked, for longer each time. */
  readonly loginLockAfter: { readonly account: number; readonly network: number; readonly subnet: number };
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

/** The throttle keys a login attempt counts against, each with the number of failures that locks it. */
export function loginLimits(
  deps: Pick<LoginDeps, 'secrets' | 'loginLockAfter'>,
  email: string | undefined,
  ip: string | undefined,
): Map<string, number> {
  const limits = new Map<string, number>();
  // Counted whether or not the account exists, so a lock says nothing about that.
  if (email !== undefined) limits.set(`account:${deps.secrets.sha256Hex(email.trim().toLowerCase())}`, deps.loginLockAfter.account);
  if (ip) limits.set(`ip:${ip}`, deps.loginLockAfter.network);
  // The whole /24 or /48 as well: an IPv6 caller holds billions of addresses, each with its own count otherwise.
  const network = networkOf(ip);
  if (network) limits.set(`net:${network}`, deps.loginLockAfter.subnet);
  return limits;
}

/** Takes back the attempt a right password was counted as: the account's failures are forgotten, the networks' kept. */
async function refundLogin(deps: Pick<LoginDeps, 'store'>, limits: ReadonlyMap<string, number>, clear: boolean): Promise<void> {
  await deps.store.transaction(async (repositories) => {
    for (const [key, threshold] of limits) {
      if (clear && key.startsWith('account:')) await repositories.credentials.clearThrottle(key);
      else await repositories.credentials.refundAttempt(key, threshold);
    }
  });
}

export async function login(deps: LoginDeps, input: { body: unknown; ip?: string | undefined }): Promise<Session> {
  const body = input.body as { email?: unknown } | null | undefined;
  const rawEmail = typeof body === 'object' && body !== null && typeof body.email === 'string' ? body.email : undefined;
  const limits = loginLimits(deps, rawEmail, input.ip);
  const now = deps.clock.now();
  // Every attempt is counted before anything is checked, in the database, and taken back only once the password
  // proved right: attempts sent in parallel each see the count the others left (issue 17: 40 parallel guesses, 5 refused).
  const wait = await chargeAttempts(deps.store, limits, now);
  if (wait > 0) {
    await deps.store.read.audit.append(actorFor(undefined, input.ip), { type: 'auth.login_throttled', data: { retryAfterSeconds: wait } });
    throw new WritError('RATE_LIMITED', 'Too many failed logins; wait before trying again.', { retryAfterSeconds: wait });
  }
  let parsed: ReturnType<typeof loginInputSchema.parse>;
  try {
    parsed = parseInput(loginInputSchema, input.body);
  } catch (error) {
    // A malformed attempt (a NUL in the email, a missing password) is a failed login like any other: counted above, audited here.
    await deps.store.read.audit.append(actorFor(undefined, input.ip), { type: 'auth.login_failed', data: { reason: 'invalid_input' } });
    throw error;
  }
  const { email, password, code } = parsed;
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
    await refundLogin(deps, limits, false);
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
    await deps.store.read.audit.append(actorFor(user, input.ip), {
      type: 'auth.login_failed',
      data: { reason: failure ?? 'unknown_account' },
    });
    throw new WritError('INVALID_CREDENTIALS', 'The email, password or code is not right.');
  }
  await refundLogin(deps, limits, true);
  return openSession(deps, user, { mfa: user.totp.enabled, ip: input.ip, method: 'password', clear: [] });
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
