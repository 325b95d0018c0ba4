/**
 * An officer registers: with an address at one of their agency's official domains in the directory, a name and a
 * password. The answer is the same whatever happens — an address at no agency, an agency that is shut out, an address
 * that already has an account — so registration tells a stranger nothing. Only an address in the directory gets a
 * one-time code (sent by a job, so the code is never stored in clear); proving it makes the account pending, and it
 * acts only once its agency's admin or the platform's admin approves it (`PATCH /api/v1/users/{id}`).
 * Every attempt counts toward the caller's network limit, and lands in the audit log.
 */
import { SYSTEM_ACTOR, type Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import { passwordProblem, type KnownPasswords } from '../core/passwords.ts';
import type { Clock, Mailer, PasswordHasher, Repositories, Secrets, Transactor } from '../core/ports.ts';
import { agencyForAddress, confirmationMail, confirmRegistrationInputSchema, registerInputSchema } from '../core/registration.ts';
import { chargeAttempts } from './attempts.ts';
import { parseInput } from './common.ts';

export interface RegisterDeps {
  readonly store: Transactor<Pick<Repositories, 'users' | 'organisations' | 'credentials' | 'audit' | 'outbox'>>;
  readonly hasher: PasswordHasher;
  readonly secrets: Pick<Secrets, 'sha256Hex' | 'newToken'>;
  readonly clock: Clock;
  readonly knownPasswords: KnownPasswords;
  /** Registrations and confirmations from one network address per hour before it must wait. */
  readonly registrationsPerHour: number;
}

export const REGISTRATION_ANSWER =
  'If this address is at an agency in the directory, a code to confirm it has been sent there. Confirm it, log in, enrol an authenticator, and wait for approval.';

const anonymous = (ip: string | undefined): Actor => ({ ...SYSTEM_ACTOR, via: 'session', ...(ip ? { ip } : {}) });

/** Counts one attempt from this network; refuses (429) when the network is over its limit. */
async function throttle(deps: RegisterDeps, ip: string | undefined): Promise<void> {
  if (!ip) return;
  const key = `register:ip:${ip}`;
  // Counted and decided in one statement, so that a burst sent in parallel cannot all pass on one count.
  const wait = await chargeAttempts(deps.store, new Map([[key, deps.registrationsPerHour]]), deps.clock.now());
  if (wait > 0) {
    await deps.store.read.audit.append(anonymous(ip), { type: 'auth.registration_throttled', data: { retryAfterSeconds: wait } });
    throw new WritError('RATE_LIMITED', 'Too many registrations from this network; wait before trying again.', {
      retryAfterSeconds: wait,
    });
  }
}

export async function register(deps: RegisterDeps, input: { body: unknown; ip?: string | undefined }): Promise<{ message: string }> {
  const registration = parseInput(registerInputSchema, input.body);
  const weakness = passwordProblem(registration.password, { email: registration.email, known: deps.knownPasswords });
  if (weakness) throw new WritError('VALIDATION_FAILED', weakness, { errors: [{ path: 'password', message: weakness }] });
  await throttle(deps, input.ip);
  // Hashed whatever happens next, so the answer takes as long for an address at no agency as for one that is.
  const passwordHash = await deps.hasher.hash(registration.password);
  const domain = registration.email.slice(registration.email.lastIndexOf('@') + 1);
  const agency = agencyForAddress(registration.email, await deps.store.read.organisations.listAgencies());
  await deps.store.transaction(async (repositories) => {
    const existing = await repositories.users.findByEmail(registration.email);
    const outcome = !agency ? 'not_in_directory' : existing && existing.status !== 'unconfirmed' ? 'account_exists' : 'code_sent';
    let userId = existing?.id;
    if (outcome === 'code_sent' && agency) {
      if (existing) {
        // Registered before and never confirmed: the address's owner may start again (the old code stops working).
        await repositories.users.updateRegistration(existing.id, { displayName: registration.displayName, passwordHash });
      } else {
        userId = (
          await repositories.users.insert({
            organisationId: agency.id,
            email: registration.email,
            displayName: registration.displayName,
            roles: ['officer'],
            passwordHash,
            status: 'unconfirmed',
          })
        ).id;
      }
      await repositories.outbox.add('user.send_confirmation', { userId });
    }
    await repositories.audit.append(anonymous(input.ip), {
      type: 'auth.registration_requested',
      data: { outcome, domain, ...(userId && outcome !== 'not_in_directory' ? { userId } : {}) },
    });
  });
  return { message: REGISTRATION_ANSWER };
}

export interface ConfirmationMailDeps {
  readonly store: Transactor<Pick<Repositories, 'users' | 'organisations'>>;
  readonly secrets: Pick<Secrets, 'sha256Hex' | 'newToken'>;
  readonly clock: Clock;
  readonly mailer: Mailer;
  readonly confirmationHours: number;
}

/**
 * The job behind a registration: a fresh code for an account still unconfirmed, its SHA-256 stored, the code mailed.
 * Run twice, it sends a second code and the first stops working. Nothing for an account confirmed meanwhile.
 */
export async function sendConfirmation(deps: ConfirmationMailDeps, input: { userId: string }): Promise<boolean> {
  const user = await deps.store.read.users.find(input.userId);
  if (!user || user.status !== 'unconfirmed') return false;
  const code = deps.secrets.newToken('writ_c');
  await deps.store.read.users.setEmailCode(
    user.id,
    deps.secrets.sha256Hex(code),
    new Date(deps.clock.now().getTime() + deps.confirmationHours * 3_600_000),
  );
  const platform = await deps.store.read.organisations.platform();
  const mail = confirmationMail({
    displayName: user.displayName,
    code,
    validHours: deps.confirmationHours,
    platform: platform?.name ?? 'the platform',
  });
  await deps.mailer.send({ to: user.email, ...mail });
  return true;
}

/** Proves an address with its code: the account becomes pending. A wrong, used or expired code counts as an attempt. */
export async function confirmRegistration(
  deps: RegisterDeps,
  input: { body: unknown; ip?: string | undefined },
): Promise<{ status: 'pending'; message: string }> {
  const { code } = parseInput(confirmRegistrationInputSchema, input.body);
  await throttle(deps, input.ip);
  const now = deps.clock.now();
  const confirmed = await deps.store.transaction(async (repositories) => {
    const userId = await repositories.users.confirmEmail(deps.secrets.sha256Hex(code), now);
    if (userId) {
      await repositories.audit.append({ ...anonymous(input.ip), userId }, { type: 'user.email_confirmed', data: { userId } });
    }
    return userId;
  });
  if (!confirmed) {
    await deps.store.read.audit.append(anonymous(input.ip), { type: 'auth.confirmation_failed', data: {} });
    throw new WritError('CONFIRMATION_CODE_INVALID', 'This code is not one that works: it may be mistyped, used, or expired.');
  }
  return {
    status: 'pending',
    message: "Your address is confirmed. Log in, enrol an authenticator, and wait for your agency's admin or the platform to approve you.",
  };
}
