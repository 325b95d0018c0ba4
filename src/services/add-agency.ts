/** Adds an agency to the directory (the CLI's `writ agency add`); the API's `PATCH /api/v1/agencies/{id}` changes it. */
import { z } from 'zod';
import type { Actor } from '../core/actor.ts';
import type { OrganisationRecord } from '../core/model.ts';
import type { Repositories, Transactor } from '../core/ports.ts';
import { directoryEntryInputSchema, jurisdictionSchema } from '../core/schemas.ts';
import { parseInput, requirePermission } from './common.ts';

export const addAgencyInputSchema = z.strictObject({
  name: z.string().trim().min(2).max(300),
  jurisdiction: jurisdictionSchema,
  emailDomains: z
    .array(z.string().regex(/^(?:[a-z0-9-]+\.)+[a-z]{2,}$/, 'a lower-case domain name'))
    .min(1)
    .max(20),
  verificationPhone: directoryEntryInputSchema.shape.verificationPhone,
  verified: z.boolean().default(false),
});

export async function addAgency(
  deps: { store: Transactor<Pick<Repositories, 'organisations'>> },
  actor: Actor,
  input: unknown,
): Promise<OrganisationRecord> {
  requirePermission(actor, 'agency.manage');
  const agency = parseInput(addAgencyInputSchema, input);
  return deps.store.transaction((repositories) =>
    repositories.organisations.insert({
      kind: 'agency',
      name: agency.name,
      jurisdiction: agency.jurisdiction,
      emailDomains: agency.emailDomains,
      verificationStatus: agency.verified ? 'verified' : 'pending',
      verificationPhone: agency.verificationPhone?.number ?? null,
      verificationPhoneSource: agency.verificationPhone?.source ?? null,
    }),
  );
}
