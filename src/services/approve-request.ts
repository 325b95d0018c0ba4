/** The desk approves a request, whole or per target and category, with an optional narrower date range per pair. */
import type { Actor } from '../core/actor.ts';
import { approvalStep } from '../core/approval.ts';
import { canonicalJson } from '../core/canonical.ts';
import { WritError } from '../core/errors.ts';
import type { DecisionItem, RequestRecord, TargetRecord } from '../core/model.ts';
import type { Repositories, Secrets, Transactor } from '../core/ports.ts';
import { approveInputSchema, type ApproveInput } from '../core/schemas.ts';
import { applyTransition, loadRequest, parseInput, requirePermission } from './common.ts';
import { emergencyReleaseRefusal, followUpDue } from '../core/emergency.ts';
import { blocking } from '../core/review/engine.ts';
import { findingsOf, type ReviewDeps } from './review-request.ts';

export interface DecideDeps extends Pick<ReviewDeps, 'review' | 'clock'> {
  readonly store: Transactor<
    Pick<Repositories, 'requests' | 'decisions' | 'documents' | 'organisations' | 'callbacks' | 'audit' | 'outbox'>
  >;
  /** Days after approval by which an emergency request's promised legal process is due. */
  readonly emergencyFollowUpDays: number;
  readonly secrets: Pick<Secrets, 'sha256Hex'>;
}

/** Every target × category pair, each approved or not, checked against what was asked. */
export function decisionItems(request: RequestRecord, targets: readonly TargetRecord[], input: ApproveInput): DecisionItem[] {
  const asked = new Set(request.categories);
  if (!input.items) {
    return targets.flatMap((target) => request.categories.map((category) => ({ targetId: target.id, category, approved: true })));
  }
  const targetIds = new Set(targets.map((target) => target.id));
  const seen = new Set<string>();
  const decided = new Map<string, DecisionItem>();
  for (const item of input.items) {
    const pair = `${item.targetId}/${item.category}`;
    if (!targetIds.has(item.targetId))
      throw new WritError('DECISION_SCOPE_INVALID', 'A decision names a target this request does not have.');
    if (!asked.has(item.category)) throw new WritError('DECISION_SCOPE_INVALID', `The request does not ask for ${item.category} data.`);
    if (seen.has(pair)) throw new WritError('DECISION_SCOPE_INVALID', 'A target and category pair is decided twice.');
    seen.add(pair);
    if (item.dateRange) {
      const within =
        request.dateRange !== null &&
        Date.parse(item.dateRange.from) >= Date.parse(request.dateRange.from) &&
        Date.parse(item.dateRange.to) <= Date.parse(request.dateRange.to);
      if (!within) throw new WritError('DECISION_SCOPE_INVALID', 'An approved date range must lie within the range asked for.');
    }
    decided.set(pair, item);
  }
  // Pairs not listed are not approved: the desk approves what it names and nothing by default.
  return targets.flatMap((target) =>
    request.categories.map(
      (category) => decided.get(`${target.id}/${category}`) ?? { targetId: target.id, category, approved: false, reason: 'Not approved.' },
    ),
  );
}

export async function approveRequest(
  deps: DecideDeps,
  actor: Actor,
  input: { reference: string; body: unknown; expectedVersion?: number | undefined },
): Promise<RequestRecord> {
  requirePermission(actor, 'request.decide');
  const decision = parseInput(approveInputSchema, input.body ?? {});
  return deps.store.transaction(async (repositories) => {
    const request = await loadRequest(repositories.requests, actor, input.reference);
    const items = decisionItems(request, await repositories.requests.targets(request.id), decision);
    const approved = items.filter((item) => item.approved).length;
    if (approved === 0) throw new WritError('DECISION_SCOPE_INVALID', 'Nothing is approved; reject the request instead.');
    // An emergency request: a confirmed callback to the directory number, and counsel other than the caller approves.
    const refusal = emergencyReleaseRefusal(request, await repositories.callbacks.list(request.id), {
      userId: actor.userId,
      isCounsel: actor.roles.includes('counsel'),
    });
    if (refusal) throw new WritError(refusal.code, refusal.detail);
    // Going against a `block` finding is counsel's call, and only with a written reason.
    const approvedCategories = [...new Set(items.filter((item) => item.approved).map((item) => item.category))];
    const overridden = blocking(await findingsOf(repositories, deps, request), approvedCategories).map((finding) => finding.code);
    if (overridden.length > 0 && (!actor.roles.includes('counsel') || !decision.reason)) {
      throw new WritError(
        'FINDINGS_BLOCK',
        `This approval goes against block findings (${[...new Set(overridden)].join(', ')}); only counsel may make it, with a written reason.`,
      );
    }
    // The platform's two-person rule (policy `approval.second_person`): the first approval of a decision is recorded
    // and changes nothing; the same decision approved by someone else, one of the two counsel, takes effect.
    const decisionSha256 = deps.secrets.sha256Hex(canonicalJson({ items, reason: decision.reason ?? null }));
    const { approval } = deps.review.policy;
    const step = approvalStep(
      { secondPerson: approval.second_person, kinds: approval.kinds },
      request,
      await repositories.decisions.approvalStep(request.id),
      { userId: actor.userId, isCounsel: actor.roles.includes('counsel'), decisionSha256 },
    );
    if (step.step === 'refused') throw new WritError(step.code, step.detail);
    if (step.step === 'first') {
      if (input.expectedVersion !== undefined && input.expectedVersion !== request.version) {
        throw new WritError('STALE_UPDATE', 'The request changed since you read it; reload it and try again.');
      }
      await repositories.decisions.recordApprovalStep(request.id, {
        approvedBy: actor.userId,
        isCounsel: actor.roles.includes('counsel'),
        decisionSha256,
        requestVersion: request.version,
      });
      await repositories.audit.append(actor, {
        type: 'request.approval_recorded',
        requestId: request.id,
        data: { step: 1, decisionSha256, approvedItems: approved, refusedItems: items.length - approved },
      });
      return request;
    }
    if (step.step === 'second') {
      await repositories.decisions.clearApprovalStep(request.id);
      await repositories.audit.append(actor, {
        type: 'request.approval_recorded',
        requestId: request.id,
        data: { step: 2, decisionSha256, approvedItems: approved, refusedItems: items.length - approved },
      });
    }
    const isWhole = approved === items.length && items.every((item) => !item.dateRange);
    const changed = await applyTransition(repositories, actor, request, isWhole ? 'approve' : 'approve_partially', input.expectedVersion);
    const recorded = await repositories.decisions.insert({
      requestId: request.id,
      decidedBy: actor.userId,
      outcome: isWhole ? 'approved' : 'partially_approved',
      reason: decision.reason ?? null,
      items,
    });
    await repositories.audit.append(actor, {
      type: 'request.decided',
      requestId: request.id,
      data: {
        decisionId: recorded.id,
        outcome: recorded.outcome,
        approvedItems: approved,
        refusedItems: items.length - approved,
        overriddenFindings: [...new Set(overridden)],
      },
    });
    if (request.kind === 'emergency') {
      const due = followUpDue(deps.clock.now(), deps.emergencyFollowUpDays);
      await repositories.requests.setFollowUp(request.id, { due });
      return { ...changed, followUp: { ...changed.followUp, due: due.toISOString() } };
    }
    return changed;
  });
}
