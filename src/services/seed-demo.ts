/**
 * The demo's people: the platform's desk (reviewer, counsel, admin, auditor) and two verified agencies with an officer
 * each. Passwords are random and returned once so the caller can show them.
 */
import { SYSTEM_ACTOR, type Role } from '../core/actor.ts';
import type { Clock, PasswordHasher, Repositories, SecondFactor, Secrets, Transactor } from '../core/ports.ts';

export interface DemoLogin {
  readonly role: Role;
  readonly email: string;
  readonly password: string;
  /** The account's TOTP secret (base32): add it to an authenticator app, or print a code with `writ totp <secret>`. */
  readonly totpSecret: string;
  readonly organisation: string;
}

export interface SeedDemoDeps {
  readonly store: Transactor<Pick<Repositories, 'organisations' | 'users' | 'audit'>>;
  readonly hasher: PasswordHasher;
  readonly secrets: Pick<Secrets, 'newToken'>;
  readonly secondFactor: Pick<SecondFactor, 'newSecret'>;
  readonly clock: Clock;
}

export const DEMO_PLATFORM_NAME = 'The demo messenger';

const AGENCIES = [
  {
    name: 'Seoul Metropolitan Police Agency, Cyber Investigation Unit (demo)',
    jurisdiction: 'KR',
    domain: 'smpa.police.example.kr',
    phone: '+82200000112',
    officer: 'Kim Ji-ho (김지호)',
  },
  {
    name: 'Federal Bureau of Investigation, Example Field Office (demo)',
    jurisdiction: 'US',
    domain: 'fieldoffice.fbi.example.gov',
    phone: '+12025550142',
    officer: 'Alex Morgan',
  },
] as const;

const DESK: ReadonlyArray<{ role: Role; name: string }> = [
  { role: 'reviewer', name: 'Riley Reviewer' },
  { role: 'counsel', name: 'Casey Counsel' },
  { role: 'admin', name: 'Ada Admin' },
  { role: 'auditor', name: 'Avery Auditor' },
];

/** Seeds the demo's organisations and accounts. Returns nothing when accounts exist already (the demo runs once). */
export async function seedDemoAccounts(deps: SeedDemoDeps): Promise<DemoLogin[] | undefined> {
  if ((await deps.store.read.users.count()) > 0) return undefined;
  const logins: DemoLogin[] = [];
  const password = () => deps.secrets.newToken('demo').slice(5, 25);
  const hashed: Array<{
    organisationId: string;
    email: string;
    displayName: string;
    roles: Role[];
    password: string;
    organisation: string;
  }> = [];
  await deps.store.transaction(async (repositories) => {
    const platform =
      (await repositories.organisations.platform()) ??
      (await repositories.organisations.insert({
        kind: 'platform',
        name: DEMO_PLATFORM_NAME,
        jurisdiction: 'KR',
        emailDomains: ['demo-messenger.example'],
        verificationStatus: 'verified',
      }));
    for (const member of DESK) {
      hashed.push({
        organisationId: platform.id,
        email: `${member.role}@demo-messenger.example`,
        displayName: member.name,
        roles: [member.role],
        password: password(),
        organisation: platform.name,
      });
    }
    for (const agency of AGENCIES) {
      const organisation = await repositories.organisations.insert({
        kind: 'agency',
        name: agency.name,
        jurisdiction: agency.jurisdiction,
        emailDomains: [agency.domain],
        verificationStatus: 'verified',
        // Fictional numbers: a real directory takes them from the agency's official site or a government listing.
        verificationPhone: agency.phone,
        verificationPhoneSource: 'Demo directory (fictional number)',
      });
      hashed.push({
        organisationId: organisation.id,
        email: `officer@${agency.domain}`,
        displayName: agency.officer,
        roles: ['officer'],
        password: password(),
        organisation: organisation.name,
      });
    }
    for (const [position, user] of hashed.entries()) {
      const created = await repositories.users.insert({ ...user, passwordHash: await deps.hasher.hash(user.password) });
      await repositories.users.markDemo(created.id, position + 1);
      // Every demo account has its second factor already, as every account must.
      const { secret } = deps.secondFactor.newSecret(user.email);
      await repositories.users.setPendingTotp(created.id, secret);
      await repositories.users.enableTotp(created.id, deps.clock.now());
      await repositories.audit.append(SYSTEM_ACTOR, { type: 'user.created', data: { userId: created.id, roles: user.roles } });
      logins.push({
        role: user.roles[0] ?? 'officer',
        email: user.email,
        password: user.password,
        totpSecret: secret,
        organisation: user.organisation,
      });
    }
    await repositories.audit.append(SYSTEM_ACTOR, { type: 'demo.seeded', data: { accounts: hashed.length } });
  });
  return logins;
}

/** The platform organisation every installation has; created on a clean start. */
export async function ensurePlatform(deps: { store: Transactor<Pick<Repositories, 'organisations'>> }, name: string): Promise<string> {
  const existing = await deps.store.read.organisations.platform();
  if (existing) return existing.id;
  return deps.store.transaction(async (repositories) => {
    const again = await repositories.organisations.platform();
    if (again) return again.id;
    const created = await repositories.organisations.insert({
      kind: 'platform',
      name,
      jurisdiction: null,
      emailDomains: [],
      verificationStatus: 'verified',
    });
    return created.id;
  });
}
