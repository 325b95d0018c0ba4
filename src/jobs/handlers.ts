/**
 * Job handlers by topic. Each is safe to run twice: it checks the request's (or account's) state before acting, and
 * timed work goes through `handleTask`, which does a scheduled task's work once.
 */
import type { FileStore, Repositories, Transactor } from '../core/ports.ts';
import { pageOnCall, remindDeadline, PAGE_TOPIC, REMIND_TOPIC, type RemindDeps } from '../services/deadlines.ts';
import { reReviewOnClock, reReviewOnEvent, REREVIEW_NOW_TOPIC, REREVIEW_TOPIC } from '../services/re-review.ts';
import { planDisclosureNotices, sendNotice, SEND_NOTICE_TOPIC, type SendNoticeDeps } from '../services/notices.ts';
import {
  expirePreservation,
  releaseCopy,
  remindPreservationExpiry,
  sealPreservation,
  EXPIRE_TOPIC,
  EXPIRY_REMINDER_TOPIC,
  type PreservationDeps,
} from '../services/preservation.ts';
import { deleteOrphanDocument, DELETE_ORPHAN_TOPIC } from '../services/delete-orphan-document.ts';
import { runRemoval } from '../services/removal.ts';
import { COLLECT_TOPIC, runProduction, type RunProductionDeps } from '../services/run-production.ts';
import { sendConfirmation, type ConfirmationMailDeps } from '../services/register.ts';
import { verifyRequest, type VerifyRequestDeps } from '../services/verify-request.ts';
import { intakeHandlers, type IntakeHandlerDeps } from './intake.handlers.ts';
import type { JobHandler } from './job-runner.ts';

export type JobDeps = RunProductionDeps &
  Pick<VerifyRequestDeps, 'holdLimits' | 'review'> &
  Pick<ConfirmationMailDeps, 'mailer' | 'confirmationHours' | 'secrets'> &
  Pick<RemindDeps, 'pager' | 'deskEmail'> &
  Pick<SendNoticeDeps, 'noticeTokens' | 'publicUrl'> &
  Pick<PreservationDeps, 'preservationReminderDays'> & { store: Transactor<Repositories>; files: FileStore } & Omit<
    IntakeHandlerDeps,
    'store'
  >;

const requestIdOf = (payload: Readonly<Record<string, unknown>>) => (typeof payload.requestId === 'string' ? payload.requestId : undefined);

export function jobHandlers(deps: JobDeps): Record<string, JobHandler> {
  /** A handler that needs the request the job is about. */
  const forRequest =
    (work: (requestId: string, payload: Readonly<Record<string, unknown>>) => Promise<unknown>): JobHandler =>
    async (payload) => {
      const requestId = requestIdOf(payload);
      if (requestId) await work(requestId, payload);
    };
  return {
    'request.verify': forRequest((requestId) => verifyRequest(deps, { requestId })),
    'user.send_confirmation': async (payload) => {
      if (typeof payload.userId !== 'string') return;
      await sendConfirmation(deps, { userId: payload.userId });
    },
    'request.produce': forRequest((requestId) => runProduction(deps, { requestId })),
    [COLLECT_TOPIC]: forRequest(async (requestId, payload) => {
      await runProduction(deps, { requestId, part: payload.part });
      if (typeof payload.taskId === 'string') await deps.store.read.schedule.markHandled(payload.taskId, deps.clock.now(), 'collected');
    }),
    'request.preserve': forRequest((requestId) => sealPreservation(deps, { requestId })),
    'request.release-copy': forRequest((requestId) => releaseCopy(deps, { requestId })),
    [EXPIRE_TOPIC]: (payload) => expirePreservation(deps, { taskId: payload.taskId }).then(() => undefined),
    [EXPIRY_REMINDER_TOPIC]: (payload) => remindPreservationExpiry(deps, { taskId: payload.taskId }).then(() => undefined),
    'request.plan-notices': forRequest((requestId) => planDisclosureNotices(deps, { requestId })),
    [SEND_NOTICE_TOPIC]: (payload) => sendNotice(deps, { taskId: payload.taskId }).then(() => undefined),
    'request.act-on-removal': forRequest((requestId) => runRemoval(deps, { requestId })),
    [REMIND_TOPIC]: (payload) => remindDeadline(deps, { taskId: payload.taskId }).then(() => undefined),
    [PAGE_TOPIC]: (payload) => pageOnCall(deps, { taskId: payload.taskId }).then(() => undefined),
    [DELETE_ORPHAN_TOPIC]: (payload) => deleteOrphanDocument(deps, { taskId: payload.taskId }).then(() => undefined),
    [REREVIEW_TOPIC]: (payload) => reReviewOnClock(deps, { taskId: payload.taskId }).then(() => undefined),
    [REREVIEW_NOW_TOPIC]: forRequest((requestId, payload) =>
      reReviewOnEvent(deps, { requestId, trigger: payload.trigger }).then(() => undefined),
    ),
    ...intakeHandlers(deps),
  };
}
