/**
 * The agency directory, kept by the platform's admins: each agency's jurisdiction, official email domains, the phone
 * number the desk calls to confirm a request (with where it was taken from), and its status, every change of which is
 * kept with who made it and why. Suspending or blocklisting an agency shuts its people out at once.
 */
import type { Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import type { OrganisationRecord } from '../core/model.ts';
import type { Clock, Repositories, StatusChangeRecord, Transactor } from '../core/ports.ts';
import { directoryEntryInputSchema } from '../core/schemas.ts';
import { parseInput, requirePermission } from './common.ts';

export interface DirectoryDeps {
  readonly store: Transactor<Pick<Repositories, 'organisations' | 'audit'>>;
  readonly clock: Clock;
}

export interface DirectoryEntry {
  readonly agency: OrganisationRecord;
  readonly history: readonly StatusChangeRecord[];
}

export async function listAgencies(deps: Pick<DirectoryDeps, 'store'>, actor: Actor): Promise<OrganisationRecord[]> {
  requirePermission(actor, 'agency.read');
  return deps.store.read.organisations.listAgencies();
}

async function findAgency(repositories: Pick<Repositories, 'organisations'>, id: string): Promise<OrganisationRecord> {
  const agency = await repositories.organisations.find(id);
  if (agency?.kind !== 'agency') throw new WritError('ORGANISATION_NOT_FOUND', 'No such agency.');
  return agency;
}

export async function getAgency(deps: Pick<DirectoryDeps, 'store'>, actor: Actor, input: { id: string }): Promise<DirectoryEntry> {
  requirePermission(actor, 'agency.read');
  const agency = await findAgency(deps.store.read, input.id);
  return { agency, history: await deps.store.read.organisations.statusHistory(agency.id) };
}

export async function updateAgency(deps: DirectoryDeps, actor: Actor, input: { id: string; body: unknown }): Promise<DirectoryEntry> {
  requirePermission(actor, 'agency.manage');
  const entry = parseInput(directoryEntryInputSchema, input.body);
  return deps.store.transaction(async (repositories) => {
    const agency = await findAgency(repositories, input.id);
    await repositories.organisations.updateDirectoryEntry(agency.id, {
      jurisdiction: entry.jurisdiction,
      emailDomains: entry.emailDomains,
      verificationPhone: entry.verificationPhone === undefined ? undefined : (entry.verificationPhone?.number ?? null),
      verificationPhoneSource: entry.verificationPhone === undefined ? undefined : (entry.verificationPhone?.source ?? null),
    });
    const statusChanges = entry.status !== undefined && entry.status !== agency.verificationStatus;
    if (statusChanges && entry.status && entry.reason) {
      await repositories.organisations.changeStatus({
        organisationId: agency.id,
        from: agency.verificationStatus,
        to: entry.status,
        reason: entry.reason,
        changedBy: actor.userId,
        at: deps.clock.now(),
      });
    }
    const fields = (['jurisdiction', 'emailDomains', 'verificationPhone'] as const).filter((field) => entry[field] !== undefined);
    await repositories.audit.append(actor, {
      type: 'agency.directory_updated',
      data: {
        organisationId: agency.id,
        fields: statusChanges ? [...fields, 'status'] : fields,
        ...(statusChanges && entry.status ? { statusFrom: agency.verificationStatus, statusTo: entry.status } : {}),
      },
    });
    return { agency: await findAgency(repositories, agency.id), history: await repositories.organisations.statusHistory(agency.id) };
  });
}
