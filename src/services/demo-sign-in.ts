/**
 * The demo sign-in aid: a switcher between the accounts the demo seeded, so a newcomer can play each side without
 * typing passwords and codes. It is unlocked by a key made at each start and printed in the terminal that started
 * Writ, beside (or after) those same accounts' passwords and TOTP secrets, so it gives its holder nothing the
 * terminal's reader does not already have. It works for the seeded demo accounts (`demo_accounts`) and no other, and
 * only while the server holds a key: `writ serve` makes one only when it seeded or found the demo, was started with
 * it, and reads the demo messenger. Without a key, or with a wrong one, every answer is the plain "no such resource".
 */
import { WritError } from '../core/errors.ts';
import { canSignIn, type UserRecord } from '../core/model.ts';
import type { Clock, Repositories, Secrets, Transactor } from '../core/ports.ts';
import { openSession, type Session } from './login.ts';

export interface DemoSignInDeps {
  readonly store: Transactor<Pick<Repositories, 'users' | 'credentials' | 'audit'>>;
  readonly secrets: Secrets;
  readonly clock: Clock;
  readonly sessionHours: number;
  /** The key printed at start; undefined when the aid is off. */
  readonly demoKey: string | undefined;
}

export interface DemoAccount {
  readonly id: string;
  readonly role: string;
  readonly email: string;
  readonly displayName: string;
  readonly organisation: string;
  readonly side: 'agency' | 'desk';
}

const nothingHere = () => new WritError('NOT_FOUND', 'No such resource.');

/** True when the aid is on and `key` is its key. Digests are compared, so timing says nothing about the key. */
export function isDemoKey(deps: Pick<DemoSignInDeps, 'secrets' | 'demoKey'>, key: string | undefined): boolean {
  if (!deps.demoKey || !key || key.length > 200) return false;
  return deps.secrets.sha256Hex(key) === deps.secrets.sha256Hex(deps.demoKey);
}

/** Checks a key the browser was given (from the printed link); throws not-found when the aid is off or it is wrong. */
export function unlockDemo(deps: Pick<DemoSignInDeps, 'secrets' | 'demoKey'>, input: { key: string }): void {
  if (!isDemoKey(deps, input.key)) throw nothingHere();
}

const shown = (user: UserRecord): DemoAccount => ({
  id: user.id,
  role: user.roles[0] ?? '',
  email: user.email,
  displayName: user.displayName,
  organisation: user.organisationName,
  side: user.organisationKind === 'agency' ? 'agency' : 'desk',
});

/** The seeded demo accounts that can still sign in, for the switcher: the agencies' officers first, then the desk. */
export async function listDemoAccounts(deps: DemoSignInDeps, input: { key: string | undefined }): Promise<DemoAccount[]> {
  if (!isDemoKey(deps, input.key)) throw nothingHere();
  const accounts = (await deps.store.read.users.demoAccounts()).filter(canSignIn).map(shown);
  return [...accounts.filter((account) => account.side === 'agency'), ...accounts.filter((account) => account.side === 'desk')];
}

/**
 * Opens a session for one seeded demo account, audited as a login by the demo aid. The session counts as opened with
 * both factors: the key stands in for them, and it is shown only where the account's factors are shown too.
 */
export async function demoSignIn(
  deps: DemoSignInDeps,
  input: { key: string | undefined; userId: string; ip: string | undefined },
): Promise<Session> {
  if (!isDemoKey(deps, input.key)) throw nothingHere();
  const user = (await deps.store.read.users.demoAccounts()).find((account) => account.id === input.userId);
  if (!user || !canSignIn(user)) throw nothingHere();
  return openSession(deps, user, { mfa: true, ip: input.ip, method: 'demo', clear: [] });
}
