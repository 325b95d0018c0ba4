/**
 * The two-person rule for approvals, as a pure rule. Where the platform's policy asks for it (`approval.second_person`
 * in policy.yaml, off by default), no approval of a request that releases data takes effect on one person's word: a
 * first approval is recorded and changes nothing, and the same decision approved by a second person — not the first,
 * and one of the two counsel — takes effect. Like the emergency rule (a callback by one person, counsel's approval by
 * another), it stops one hijacked or careless desk account from releasing data alone.
 */
import type { RequestKind } from './request.ts';

export interface ApprovalPolicy {
  /** Whether every approval of the kinds below needs a second person. */
  readonly secondPerson: boolean;
  /** The kinds of request it applies to: those that release data. */
  readonly kinds: readonly RequestKind[];
}

/** The first approval, as recorded. */
export interface ApprovalStep {
  readonly approvedBy: string;
  readonly isCounsel: boolean;
  /** SHA-256 of the decision approved (its items and reason): the second person approves exactly this. */
  readonly decisionSha256: string;
  /** The request's version when it was approved: any change to the request since voids it. */
  readonly requestVersion: number;
}

export type ApprovalOutcome =
  /** No second person needed: the approval takes effect. */
  | { readonly step: 'single' }
  /** The first of two: recorded, and nothing else changes. */
  | { readonly step: 'first' }
  /** The second person approved the same decision: it takes effect. */
  | { readonly step: 'second'; readonly firstApprover: string }
  | { readonly step: 'refused'; readonly code: 'SECOND_PERSON_REQUIRED'; readonly detail: string };

/** What an approval by `approver` of the decision `decisionSha256` does, given the first step standing (if any). */
export function approvalStep(
  policy: ApprovalPolicy,
  request: { readonly kind: RequestKind; readonly version: number },
  standing: ApprovalStep | undefined,
  approver: { readonly userId: string; readonly isCounsel: boolean; readonly decisionSha256: string },
): ApprovalOutcome {
  if (!policy.secondPerson || !policy.kinds.includes(request.kind)) return { step: 'single' };
  const current = standing && standing.requestVersion === request.version && standing.decisionSha256 === approver.decisionSha256;
  // Nothing standing, or a step for another decision (or an older request): this approval is the first of two.
  if (!current) return { step: 'first' };
  if (standing.approvedBy === approver.userId) {
    return {
      step: 'refused',
      code: 'SECOND_PERSON_REQUIRED',
      detail: 'You approved this already: the platform’s policy asks a second person to approve the same decision.',
    };
  }
  if (!standing.isCounsel && !approver.isCounsel) {
    return {
      step: 'refused',
      code: 'SECOND_PERSON_REQUIRED',
      detail: 'One of the two people who approve must be counsel.',
    };
  }
  return { step: 'second', firstApprover: standing.approvedBy };
}
