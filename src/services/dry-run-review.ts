/**
 * `POST /api/v1/review`: the desk reviews a request written by hand (from a statute, a court decision, a draft an
 * agency sent by mail) without storing anything. Same engine, packs and policy as a stored request's findings, and the
 * same function `writ review` calls (core/review/dry-run.ts). Other requests are not consulted.
 */
import type { Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import type { Clock } from '../core/ports.ts';
import { dryRunReview, reviewInputSchema, type DryRunResult } from '../core/review/dry-run.ts';
import { parseInput, requirePermission } from './common.ts';
import type { ReviewRules } from './review-request.ts';

export interface DryRunReviewDeps {
  readonly review: ReviewRules;
  readonly clock: Clock;
}

export function reviewWithoutStoring(
  deps: DryRunReviewDeps,
  actor: Actor,
  input: { readonly body: unknown; readonly at?: string | undefined; readonly explain?: boolean | undefined },
): DryRunResult {
  requirePermission(actor, 'request.read_notes');
  const body = parseInput(reviewInputSchema, input.body);
  const at = input.at === undefined ? undefined : new Date(input.at);
  if (at && Number.isNaN(at.getTime()))
    throw new WritError('VALIDATION_FAILED', 'The input is not valid.', { errors: [{ path: 'at', message: 'an instant' }] });
  return dryRunReview(body, { ...deps.review, now: deps.clock.now() }, { ...(at ? { at } : {}), explain: input.explain === true });
}
