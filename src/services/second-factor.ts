/**
 * Enrolling a second factor (TOTP): a signed-in person asks for a secret, adds it to an authenticator app, and
 * confirms with a first code; the session they are in then counts as opened with both factors, and every later login
 * needs a code. Where a second factor is required, a session without one can do nothing else.
 */
import type { Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import type { Clock, Repositories, SecondFactor, Secrets, Transactor } from '../core/ports.ts';
import { canSignIn } from '../core/model.ts';
import { totpConfirmInputSchema } from '../core/schemas.ts';
import { parseInput } from './common.ts';

export interface SecondFactorDeps {
  readonly store: Transactor<Pick<Repositories, 'users' | 'credentials' | 'audit'>>;
  readonly secondFactor: SecondFactor;
  readonly secrets: Pick<Secrets, 'sha256Hex'>;
  readonly clock: Clock;
}

async function person(deps: Pick<SecondFactorDeps, 'store'>, actor: Actor) {
  if (actor.via !== 'session') throw new WritError('FORBIDDEN', 'A second factor is enrolled from a login session, not with a token.');
  const user = await deps.store.read.users.find(actor.userId);
  if (!user || !canSignIn(user)) throw new WritError('UNAUTHENTICATED', 'Log in, or send a bearer token.');
  return user;
}

export async function startTotpEnrolment(deps: SecondFactorDeps, actor: Actor): Promise<{ secret: string; uri: string }> {
  const user = await person(deps, actor);
  if (user.totp.enabled) throw new WritError('MFA_ALREADY_ENROLLED', 'This account already has an authenticator; log in with its code.');
  const enrolment = deps.secondFactor.newSecret(user.email);
  await deps.store.transaction(async (repositories) => {
    await repositories.users.setPendingTotp(user.id, enrolment.secret);
    await repositories.audit.append(actor, { type: 'auth.totp_enrolment_started', data: {} });
  });
  return enrolment;
}

export async function confirmTotpEnrolment(
  deps: SecondFactorDeps,
  actor: Actor,
  input: { body: unknown; sessionToken: string },
): Promise<void> {
  const { code } = parseInput(totpConfirmInputSchema, input.body);
  const user = await person(deps, actor);
  if (user.totp.enabled) throw new WritError('MFA_ALREADY_ENROLLED', 'This account already has an authenticator; log in with its code.');
  if (!user.totp.secret) throw new WritError('MFA_CODE_INVALID', 'Start the enrolment first (POST /api/v1/auth/mfa/totp).');
  const now = deps.clock.now();
  const step = deps.secondFactor.verify(user.totp.secret, code, now);
  if (step === undefined) {
    await deps.store.read.audit.append(actor, { type: 'auth.totp_confirmation_failed', data: {} });
    throw new WritError('MFA_CODE_INVALID', 'That code is not the one your authenticator app shows now.');
  }
  await deps.store.transaction(async (repositories) => {
    if (!(await repositories.users.useTotpStep(user.id, step))) {
      throw new WritError('MFA_CODE_INVALID', 'That code was used already; wait for the next one.');
    }
    await repositories.users.enableTotp(user.id, now);
    await repositories.credentials.markSessionMfa(deps.secrets.sha256Hex(input.sessionToken));
    await repositories.audit.append(actor, { type: 'auth.totp_enabled', data: {} });
  });
}
