/**
 * An agency's age recipient: officers and agency admins register the X25519 public key (from `age-keygen`) that their
 * packages may be encrypted to, replace it, or remove it. The key is public; the secret stays with the agency.
 */
import type { Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import type { Repositories, Transactor } from '../core/ports.ts';
import { encryptionKeyInputSchema } from '../core/schemas.ts';
import { parseInput, requirePermission } from './common.ts';

export interface AgencyKeyDeps {
  readonly store: Transactor<Pick<Repositories, 'organisations' | 'audit'>>;
}

export interface AgencyView {
  readonly id: string;
  readonly name: string;
  readonly jurisdiction: string | null;
  readonly verificationStatus: string;
  readonly ageRecipient: string | null;
}

async function ownAgency(repositories: Pick<Repositories, 'organisations'>, actor: Actor) {
  const organisation = await repositories.organisations.find(actor.organisationId);
  if (organisation?.kind !== 'agency') throw new WritError('ORGANISATION_NOT_FOUND', 'This account does not belong to an agency.');
  return organisation;
}

const view = (organisation: AgencyView): AgencyView => ({
  id: organisation.id,
  name: organisation.name,
  jurisdiction: organisation.jurisdiction,
  verificationStatus: organisation.verificationStatus,
  ageRecipient: organisation.ageRecipient,
});

export async function getOwnAgency(deps: AgencyKeyDeps, actor: Actor): Promise<AgencyView> {
  requirePermission(actor, 'agency.own');
  return view(await ownAgency(deps.store.read, actor));
}

export async function setAgencyEncryptionKey(deps: AgencyKeyDeps, actor: Actor, input: unknown): Promise<AgencyView> {
  requirePermission(actor, 'agency.encryption_key');
  const { recipient } = parseInput(encryptionKeyInputSchema, input);
  return deps.store.transaction(async (repositories) => {
    const agency = await ownAgency(repositories, actor);
    await repositories.organisations.setAgeRecipient(agency.id, recipient);
    await repositories.audit.append(actor, { type: 'agency.encryption_key_set', data: { organisationId: agency.id, recipient } });
    return view({ ...agency, ageRecipient: recipient });
  });
}
