/**
 * The findings a request would get, while the officer is still writing it: the same engine, rule packs and policy as
 * after submitting, over the draft as it stands, so what is missing can be fixed before the desk sees it. Only the
 * findings meant for the officer come back, and other requests are not consulted: whether another agency asked for
 * the same account is the desk's to know, never the officer's.
 */
import type { Actor } from '../core/actor.ts';
import type { Repositories, Transactor, Clock } from '../core/ports.ts';
import { forAgency, reviewRequest, type Finding } from '../core/review/engine.ts';
import { draftRequestSchema } from '../core/schemas.ts';
import { parseInput, requirePermission } from './common.ts';
import type { ReviewRules } from './review-request.ts';

export interface PreviewFindingsDeps {
  readonly store: Transactor<Pick<Repositories, 'organisations'>>;
  readonly review: ReviewRules;
  readonly clock: Clock;
}

export async function previewFindings(deps: PreviewFindingsDeps, actor: Actor, input: { body: unknown }): Promise<{ findings: Finding[] }> {
  requirePermission(actor, 'request.submit');
  const draft = parseInput(draftRequestSchema, input.body);
  const agency = await deps.store.read.organisations.find(actor.organisationId);
  const now = deps.clock.now();
  const findings = reviewRequest(
    {
      kind: draft.kind,
      jurisdiction: draft.jurisdiction,
      caseReference: draft.caseReference ?? null,
      summary: draft.summary ?? null,
      legalProcess: {
        instrumentType: draft.legalProcess.instrumentType,
        issuerType: draft.legalProcess.issuerType ?? null,
        issuingAuthority: draft.legalProcess.issuingAuthority ?? null,
        documents: draft.legalProcess.documentIds.length,
      },
      categories: draft.categories,
      targets: draft.targets.map((target) => ({ kind: target.kind, value: target.value, note: target.note ?? null })),
      dateRange: draft.dateRange ?? null,
      offence: draft.offence ?? null,
      nonDisclosure: draft.nonDisclosure ? { ordered: draft.nonDisclosure.ordered, until: draft.nonDisclosure.until ?? null } : null,
      emergency: draft.emergency?.dangerDescription ? { dangerDescription: draft.emergency.dangerDescription } : null,
      receivedAt: now.toISOString(),
      facts: draft.facts ?? null,
      requester: agency ? { status: agency.verificationStatus, jurisdiction: agency.jurisdiction } : null,
    },
    { ...deps.review, now },
  );
  return { findings: forAgency(findings) };
}
