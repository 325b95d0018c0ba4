/**
 * Re-review on time and events. A review is worked out whenever it is read, but nobody reads a request at the hour its
 * emergency permit falls overdue or its gag ends: so each review's clocks (core/review/engine.ts, `clocks`: a permit
 * owed, a preservation or gag expiring, a deadline) become durable tasks, and a fact changing (the agency answering
 * the desk's question) queues one at once. Each re-review records what it blocked; a block that was not there before
 * holds the request (a `request.held` event the desk sees with the verification holds), pages the desk through the
 * on-call page task, and everything is audited (`review.rerun`).
 */
import { SYSTEM_ACTOR } from '../core/actor.ts';
import type { RequestRecord } from '../core/model.ts';
import type { Clock, Repositories, Transactor } from '../core/ports.ts';
import type { Review } from '../core/review/engine.ts';
import { PAGE_TOPIC } from './deadlines.ts';
import { reviewOf, type ReviewRules } from './review-request.ts';
import { handleTask } from './schedule.ts';

/** A clock passed: the scheduled task's topic. */
export const REREVIEW_TOPIC = 'review.clock';
/** A fact changed: the outbox topic (payload `{ requestId, trigger }`). */
export const REREVIEW_NOW_TOPIC = 'review.rerun';

/** At most this many clocks ahead are scheduled at once; the re-review at the last one schedules the next. */
const CLOCKS_AHEAD = 10;
/** States in which nothing more will be disclosed: no re-review. */
const SETTLED = new Set<RequestRecord['state']>(['rejected', 'delivered', 'closed', 'withdrawn']);

type ReReviewRepositories = Pick<Repositories, 'requests' | 'documents' | 'organisations' | 'schedule' | 'audit'>;

export interface ReReviewDeps {
  readonly store: Transactor<ReReviewRepositories>;
  readonly review: ReviewRules;
  readonly clock: Clock;
}

/** The blocks of a review, one `rule|category` each (per cell would repeat the same block for every target). */
export function blocksOf(review: Pick<Review, 'verdicts' | 'findings'>): string[] {
  const blocks = new Set<string>();
  for (const verdict of review.verdicts) {
    if (verdict.outcome !== 'block') continue;
    for (const reason of verdict.basis) blocks.add(`${reason.ruleId}|${verdict.category}`);
  }
  for (const finding of review.findings) {
    if (finding.severity !== 'block' || finding.verdict) continue;
    blocks.add(`${finding.ruleId}|${finding.categories.join(',') || '*'}`);
  }
  return [...blocks].sort();
}

/** Schedules the review's clocks ahead (replacing those scheduled before). Runs in the caller's transaction. */
export async function scheduleClocks(repositories: Pick<Repositories, 'schedule'>, requestId: string, clocks: readonly string[]) {
  await repositories.schedule.cancel({ requestId, keyPrefix: `review:${requestId}:` });
  for (const at of clocks.slice(0, CLOCKS_AHEAD)) {
    await repositories.schedule.put({
      key: `review:${requestId}:${at}`,
      topic: REREVIEW_TOPIC,
      requestId,
      dueAt: new Date(at),
      payload: {},
    });
  }
}

/**
 * Reviews the request again, in the caller's transaction: records its blocks, holds it and pages the desk when a block
 * is new, schedules its next clocks, audits. `initial`: the first review (at verification), which records without
 * holding. Returns the outcome for the task.
 */
export async function reReviewIn(
  repositories: ReReviewRepositories,
  deps: Pick<ReReviewDeps, 'review' | 'clock'>,
  requestId: string,
  trigger: string,
  options: { readonly initial?: boolean } = {},
): Promise<string> {
  const request = await repositories.requests.find({ kind: 'desk' }, requestId);
  if (!request) return 'gone';
  if (SETTLED.has(request.state)) {
    await repositories.schedule.cancel({ requestId, keyPrefix: `review:${requestId}:` });
    return 'settled';
  }
  const now = deps.clock.now();
  const review = await reviewOf(repositories, deps, request);
  const blocks = blocksOf(review);
  const before = new Set(request.lastReview?.blocks ?? []);
  const added = options.initial || !request.lastReview ? [] : blocks.filter((block) => !before.has(block));
  await repositories.requests.setLastReview(request.id, { blocks, at: now.toISOString() });
  await scheduleClocks(repositories, request.id, review.clocks);
  await repositories.audit.append(SYSTEM_ACTOR, {
    type: 'review.rerun',
    requestId: request.id,
    data: { trigger, blocks: blocks.length, newBlocks: added.slice(0, 50) },
  });
  if (added.length === 0) return 'unchanged';
  const rules = [...new Set(added.map((block) => block.split('|')[0]))].join(', ');
  await repositories.audit.append(SYSTEM_ACTOR, {
    type: 'request.held',
    requestId: request.id,
    data: { reasons: [{ code: 'REVIEW_BLOCK', detail: `A re-review (${trigger}) found a new block: ${rules}.` }] },
  });
  await repositories.schedule.put({
    key: `page:${request.id}:review-block:${now.toISOString()}`,
    topic: PAGE_TOPIC,
    requestId: request.id,
    dueAt: now,
    payload: { reason: `New block after re-review (${rules})` },
  });
  return 'held';
}

/** The `review.clock` job: a clock of a request's review passed. */
export async function reReviewOnClock(deps: ReReviewDeps, input: { taskId: unknown }): Promise<string | undefined> {
  return handleTask(deps, input.taskId, async (repositories, task) =>
    task.requestId ? reReviewIn(repositories, deps, task.requestId, `clock ${task.dueAt}`) : 'invalid',
  );
}

/** The `review.rerun` job: a fact of the request changed (the agency answered; the desk recorded something). */
export async function reReviewOnEvent(deps: ReReviewDeps, input: { requestId: string; trigger?: unknown }): Promise<string> {
  const trigger = typeof input.trigger === 'string' ? input.trigger.slice(0, 100) : 'event';
  return deps.store.transaction((repositories) => reReviewIn(repositories, deps, input.requestId, trigger));
}
