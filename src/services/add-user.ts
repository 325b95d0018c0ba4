/** Creates an account in an organisation (the CLI's `writ user add`, and the demo seed). */
import { AGENCY_ROLES, DESK_ROLES, ROLES, type Actor, type Role } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import { passwordProblem, type KnownPasswords } from '../core/passwords.ts';
import type { PasswordHasher, Repositories, Transactor } from '../core/ports.ts';
import { z } from 'zod';
import { parseInput, requirePermission } from './common.ts';

export interface AddUserDeps {
  readonly store: Transactor<Pick<Repositories, 'users' | 'organisations' | 'audit'>>;
  readonly hasher: PasswordHasher;
  readonly knownPasswords: KnownPasswords;
}

export const addUserInputSchema = z.strictObject({
  organisationId: z.uuid(),
  email: z
    .email()
    .max(320)
    .transform((email) => email.toLowerCase()),
  displayName: z.string().trim().min(1).max(200),
  roles: z.array(z.enum(ROLES)).min(1),
  // NIST SP 800-63B: length, not composition rules.
  password: z.string().min(12).max(1024),
});

export async function addUser(deps: AddUserDeps, actor: Actor, input: unknown): Promise<{ id: string }> {
  requirePermission(actor, 'user.manage');
  const user = parseInput(addUserInputSchema, input);
  const organisation = await deps.store.read.organisations.find(user.organisationId);
  if (!organisation) throw new WritError('ORGANISATION_NOT_FOUND', 'No such organisation.');
  const allowed: ReadonlySet<Role> = organisation.kind === 'agency' ? AGENCY_ROLES : DESK_ROLES;
  if (!user.roles.every((role) => allowed.has(role))) {
    throw new WritError('VALIDATION_FAILED', `An ${organisation.kind} account can only have the roles ${[...allowed].join(', ')}.`);
  }
  const weakness = passwordProblem(user.password, { email: user.email, known: deps.knownPasswords });
  if (weakness) throw new WritError('VALIDATION_FAILED', weakness, { errors: [{ path: 'password', message: weakness }] });
  if (await deps.store.read.users.findByEmail(user.email)) throw new WritError('USER_EXISTS', 'An account with this email exists.');
  const passwordHash = await deps.hasher.hash(user.password);
  return deps.store.transaction(async (repositories) => {
    const created = await repositories.users.insert({
      organisationId: organisation.id,
      email: user.email,
      displayName: user.displayName,
      roles: user.roles,
      passwordHash,
    });
    await repositories.audit.append(actor, { type: 'user.created', data: { userId: created.id, roles: user.roles } });
    return created;
  });
}
