/**
 * Findings on a request: worked out by the review engine from the request as it stands, the rule packs, the
 * platform's policy and the other open requests, each time they are asked for, so they are never stale. The desk sees
 * every finding and can ask why each rule did or did not fire; the officer sees only what concerns them.
 */
import { can, type Actor } from '../core/actor.ts';
import type { RequestRecord } from '../core/model.ts';
import type { Clock, Repositories, Transactor } from '../core/ports.ts';
import {
  explainReview,
  forAgency,
  review,
  reviewRequest,
  verdictsForAgency,
  type Finding,
  type ReviewRequest,
  type Review,
  type RuleTrace,
  type Verdict,
} from '../core/review/engine.ts';
import type { Policy, RulePack } from '../core/review/rule-pack.ts';
import { loadRequest, recordRead, requirePermission } from './common.ts';

export interface ReviewRules {
  readonly packs: readonly RulePack[];
  readonly policy: Policy;
}

export interface ReviewDeps {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'documents' | 'organisations'>>;
  readonly review: ReviewRules;
  readonly clock: Clock;
}

async function reviewInputs(repositories: Pick<Repositories, 'requests' | 'documents' | 'organisations'>, request: RequestRecord) {
  const [targets, documents, agency] = await Promise.all([
    repositories.requests.targets(request.id),
    repositories.documents.listForRequest(request.id),
    repositories.organisations.find(request.agencyId),
  ]);
  const input: ReviewRequest = {
    kind: request.kind,
    jurisdiction: request.jurisdiction,
    caseReference: request.caseReference,
    summary: request.summary,
    legalProcess: {
      instrumentType: request.legalProcess.instrumentType,
      issuerType: request.legalProcess.issuerType,
      issuingAuthority: request.legalProcess.issuingAuthority,
      documents: documents.length,
    },
    categories: request.categories,
    targets: targets.map((target) => ({ kind: target.kind, value: target.value, note: target.note })),
    dateRange: request.dateRange,
    offence: request.offence,
    nonDisclosure: request.nonDisclosure,
    emergency: request.emergency,
    receivedAt: request.receivedAt,
    deadline: request.deadline,
    facts: request.facts,
    requester: agency ? { status: agency.verificationStatus, jurisdiction: agency.jurisdiction } : null,
  };
  const duplicates = await repositories.requests.openRequestsNaming(
    targets.map((target) => target.value),
    request.id,
  );
  return { input, duplicates };
}

/** Every finding on the request, for the desk (and for the checks a decision must pass). */
export async function findingsOf(
  repositories: Pick<Repositories, 'requests' | 'documents' | 'organisations'>,
  deps: Pick<ReviewDeps, 'review' | 'clock'>,
  request: RequestRecord,
): Promise<Finding[]> {
  const { input, duplicates } = await reviewInputs(repositories, request);
  return reviewRequest(input, { ...deps.review, now: deps.clock.now(), duplicates });
}

/** The whole review of a stored request now: findings, verdicts and the clocks ahead. */
export async function reviewOf(
  repositories: Pick<Repositories, 'requests' | 'documents' | 'organisations'>,
  deps: Pick<ReviewDeps, 'review' | 'clock'>,
  request: RequestRecord,
): Promise<Review> {
  const { input, duplicates } = await reviewInputs(repositories, request);
  return review(input, { ...deps.review, now: deps.clock.now(), duplicates });
}

export interface FindingsDeps extends Omit<ReviewDeps, 'store'> {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'documents' | 'organisations' | 'audit'>>;
}

export async function getFindings(
  deps: FindingsDeps,
  actor: Actor,
  input: { reference: string; explain?: boolean },
): Promise<{ findings: Finding[]; verdicts: Verdict[]; rules?: RuleTrace[] }> {
  requirePermission(actor, 'request.read');
  const request = await loadRequest(deps.store.read.requests, actor, input.reference);
  const { input: reviewed, duplicates } = await reviewInputs(deps.store.read, request);
  // Findings quote the request's targets and what other requests name them: reading them is a view of user data.
  await recordRead(deps.store.read.audit, actor, request.id, 'findings');
  const context = { ...deps.review, now: deps.clock.now(), duplicates };
  const { findings, verdicts } = review(reviewed, context);
  const desk = can(actor, 'request.read_notes');
  if (!desk) return { findings: forAgency(findings), verdicts: verdictsForAgency(verdicts) };
  return input.explain ? { findings, verdicts, rules: explainReview(reviewed, context) } : { findings, verdicts };
}
