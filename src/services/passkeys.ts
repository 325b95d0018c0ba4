/**
 * Passkeys: a signed-in person adds one (the browser makes a key pair bound to this site; Writ keeps the public half),
 * and from then on logs in with it alone — the device checks its PIN or biometric, so one gesture is both factors, and
 * a look-alike site gets nothing it can use. Failures say nothing about which part was wrong, are audited and count
 * toward the network's login limit.
 */
import type { Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import { canSignIn } from '../core/model.ts';
import type { Clock, Passkeys, Repositories, Secrets, Transactor } from '../core/ports.ts';
import { passkeyEnrolInputSchema, passkeyLoginInputSchema } from '../core/schemas.ts';
import { chargeAttempts } from './attempts.ts';
import { parseInput } from './common.ts';
import { actorFor, openSession, type Session } from './login.ts';

export interface PasskeyDeps {
  readonly store: Transactor<Pick<Repositories, 'users' | 'credentials' | 'audit'>>;
  readonly passkeys: Passkeys;
  readonly secrets: Secrets;
  readonly clock: Clock;
  readonly sessionHours: number;
  readonly loginLockAfter: { readonly network: number };
}

const CHALLENGE_MINUTES = 5;

async function person(deps: Pick<PasskeyDeps, 'store'>, actor: Actor) {
  if (actor.via !== 'session') throw new WritError('FORBIDDEN', 'A passkey is added from a login session, not with a token.');
  const user = await deps.store.read.users.find(actor.userId);
  if (!user || !canSignIn(user)) throw new WritError('UNAUTHENTICATED', 'Log in, or send a bearer token.');
  return user;
}

/** Options for the browser's `navigator.credentials.create()`, with a challenge good once for five minutes. */
export async function startPasskeyEnrolment(deps: PasskeyDeps, actor: Actor): Promise<Record<string, unknown>> {
  const user = await person(deps, actor);
  const existing = await deps.store.read.credentials.passkeysOf(user.id);
  const { options, challenge } = await deps.passkeys.registrationOptions(
    { id: user.id, email: user.email, displayName: user.displayName },
    existing.map((passkey) => passkey.credentialId),
  );
  await deps.store.read.credentials.putChallenge({
    challenge,
    purpose: 'register',
    userId: user.id,
    expiresAt: new Date(deps.clock.now().getTime() + CHALLENGE_MINUTES * 60_000),
  });
  return options;
}

/** Keeps the passkey the browser made; the session it was added from then counts as opened with both factors. */
export async function finishPasskeyEnrolment(
  deps: PasskeyDeps,
  actor: Actor,
  input: { body: unknown; sessionToken: string },
): Promise<{ id: string; name: string }> {
  const { name, response } = parseInput(passkeyEnrolInputSchema, input.body);
  const user = await person(deps, actor);
  const now = deps.clock.now();
  const made = await deps.passkeys.verifyRegistration(response, (challenge) =>
    deps.store.read.credentials.takeChallenge(challenge, 'register', user.id, now),
  );
  if (!made || (await deps.store.read.credentials.findPasskey(made.credentialId))) {
    await deps.store.read.audit.append(actor, { type: 'auth.passkey_enrolment_failed', data: {} });
    throw new WritError('PASSKEY_INVALID', 'The passkey could not be verified; start again (POST /api/v1/auth/passkeys/options).');
  }
  return deps.store.transaction(async (repositories) => {
    const { id } = await repositories.credentials.addPasskey({ ...made, userId: user.id, name });
    await repositories.credentials.markSessionMfa(deps.secrets.sha256Hex(input.sessionToken));
    await repositories.audit.append(actor, { type: 'auth.passkey_added', data: { passkeyId: id, name } });
    return { id, name };
  });
}

export async function listPasskeys(deps: Pick<PasskeyDeps, 'store'>, actor: Actor) {
  const user = await person(deps, actor);
  return (await deps.store.read.credentials.passkeysOf(user.id)).map(({ id, name, createdAt, lastUsedAt }) => ({
    id,
    name,
    createdAt,
    lastUsedAt,
  }));
}

/** Options for the browser's `navigator.credentials.get()`: any passkey of this site; the browser lets the person choose. */
export async function startPasskeyLogin(deps: PasskeyDeps): Promise<Record<string, unknown>> {
  const { options, challenge } = await deps.passkeys.authenticationOptions();
  await deps.store.read.credentials.putChallenge({
    challenge,
    purpose: 'login',
    userId: null,
    expiresAt: new Date(deps.clock.now().getTime() + CHALLENGE_MINUTES * 60_000),
  });
  return options;
}

export async function passkeyLogin(deps: PasskeyDeps, input: { body: unknown; ip?: string | undefined }): Promise<Session> {
  const { response } = parseInput(passkeyLoginInputSchema, input.body);
  const now = deps.clock.now();
  const limits = new Map<string, number>(input.ip ? [[`ip:${input.ip}`, deps.loginLockAfter.network]] : []);
  // Counted before the passkey is checked, atomically (see login.ts), and taken back when it is verified.
  const wait = await chargeAttempts(deps.store, limits, now);
  if (wait > 0) {
    await deps.store.read.audit.append(actorFor(undefined, input.ip), { type: 'auth.login_throttled', data: { retryAfterSeconds: wait } });
    throw new WritError('RATE_LIMITED', 'Too many failed logins; wait before trying again.', { retryAfterSeconds: wait });
  }
  const credentialId = deps.passkeys.credentialIdOf(response);
  const passkey = credentialId ? await deps.store.read.credentials.findPasskey(credentialId) : undefined;
  const user = passkey ? await deps.store.read.users.find(passkey.userId) : undefined;
  const verified =
    passkey && user && canSignIn(user)
      ? await deps.passkeys.verifyAuthentication(response, passkey, (challenge) =>
          deps.store.read.credentials.takeChallenge(challenge, 'login', null, now),
        )
      : undefined;
  if (!passkey || !user || !verified) {
    await deps.store.read.audit.append(actorFor(user, input.ip), {
      type: 'auth.login_failed',
      data: { reason: !user ? 'unknown_account' : !canSignIn(user) ? 'disabled' : 'passkey_not_verified' },
    });
    throw new WritError('INVALID_CREDENTIALS', 'The passkey could not be verified.');
  }
  await deps.store.read.credentials.usedPasskey(passkey.id, verified.signCount, now);
  for (const [key, threshold] of limits) await deps.store.read.credentials.refundAttempt(key, threshold);
  return openSession(deps, user, { mfa: true, ip: input.ip, method: 'passkey', clear: [] });
}
