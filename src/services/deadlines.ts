/**
 * Deadlines for every kind of request, and their escalation. Verification works out the deadline that binds
 * (core/deadlines.ts) and schedules its reminders in the same transaction; each reminder is one scheduled task, fired
 * by the scan and handled once (services/schedule.ts): the desk is mailed, on-call paged (webhook and mail) when it is
 * urgent or overdue, and an audit event records it. A reminder for a request that has met its deadline does nothing.
 */
import { SYSTEM_ACTOR, type Actor } from '../core/actor.ts';
import {
  deadlineMet,
  pagesOnCall,
  reminderPlan,
  responseDeadline,
  stageCurrent,
  REMINDER_STAGES,
  type ReminderStage,
} from '../core/deadlines.ts';
import type { RequestRecord } from '../core/model.ts';
import type { Clock, DeadlineEntry, Mailer, OnCallPage, Pager, Repositories, Transactor } from '../core/ports.ts';
import type { Finding } from '../core/review/engine.ts';
import { deadlinesQuerySchema } from '../core/schemas.ts';
import { parseInput, requirePermission } from './common.ts';
import { handleTaskWithEffect, type TaskDecision } from './schedule.ts';

export const REMIND_TOPIC = 'deadline.remind';
export const PAGE_TOPIC = 'oncall.page';

/**
 * Records the deadline that binds `request` and schedules its reminders (or, with none, clears them). An emergency
 * request also pages on-call at once. Runs inside the caller's transaction.
 */
export async function planDeadline(
  repositories: Pick<Repositories, 'requests' | 'schedule'>,
  request: RequestRecord,
  findings: readonly Finding[],
  now: Date,
): Promise<RequestRecord['due']> {
  const deadline = responseDeadline(request, findings);
  const due = deadline ? { at: deadline.due, basis: deadline.basis } : null;
  await repositories.requests.setDue(request.id, due);
  await repositories.schedule.cancel({ requestId: request.id, keyPrefix: `deadline:${request.id}:` });
  if (deadline) {
    for (const { stage, at } of reminderPlan(request.receivedAt, deadline.due, now)) {
      await repositories.schedule.put({
        key: `deadline:${request.id}:${stage}`,
        topic: REMIND_TOPIC,
        requestId: request.id,
        dueAt: at,
        payload: { stage, due: deadline.due },
      });
    }
  }
  if (request.kind === 'emergency') {
    await repositories.schedule.put({
      key: `page:${request.id}:emergency-received`,
      topic: PAGE_TOPIC,
      requestId: request.id,
      dueAt: now,
      payload: { reason: 'Emergency request received' },
    });
  }
  return due;
}

export interface RemindDeps {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'schedule' | 'audit'>>;
  readonly clock: Clock;
  readonly mailer: Mailer;
  readonly pager: Pager;
  /** The desk's shared mailbox, if configured. */
  readonly deskEmail?: string | undefined;
}

const isStage = (value: unknown): value is ReminderStage => REMINDER_STAGES.includes(value as ReminderStage);

const STAGE_WORDS: Readonly<Record<ReminderStage, string>> = {
  reminder: 'Deadline half-way',
  escalation: 'Deadline close',
  overdue: 'Deadline passed',
};

interface Reminder {
  readonly requestId: string;
  readonly stage: ReminderStage;
  readonly due: string;
  readonly page: OnCallPage | undefined;
  readonly subject: string;
  readonly text: string;
}

/** The `deadline.remind` job: one reminder stage of one request, done once. */
export async function remindDeadline(deps: RemindDeps, input: { taskId: unknown }): Promise<string | undefined> {
  return handleTaskWithEffect(deps, input.taskId, {
    async decide(repositories, task, decided): Promise<TaskDecision<Reminder>> {
      const { stage, due } = task.payload;
      if (!task.requestId || !isStage(stage) || typeof due !== 'string') return { done: 'invalid' };
      const request = await repositories.requests.find({ kind: 'desk' }, task.requestId);
      if (!request) return { done: 'gone' };
      if (!decided) {
        if (deadlineMet(request.kind, request.state)) return { done: 'met' };
        // The deadline moved since this reminder was scheduled: the reminders of the new one stand instead.
        if (request.due?.at !== due) return { done: 'superseded' };
        if (!stageCurrent(stage, request.receivedAt, due, deps.clock.now())) return { done: 'skipped' };
      }
      const left = Date.parse(due) - deps.clock.now().getTime();
      const when = left > 0 ? `due in ${Math.round(left / 60_000)} minutes, at ${due}` : `overdue since ${due}`;
      const text = `${STAGE_WORDS[stage]}: ${request.kind} request ${request.trackingNumber} from ${request.agencyName} (${request.jurisdiction}) is ${when}; it is ${request.state.replaceAll('_', ' ')}. Deadline set by ${request.due?.basis ?? 'agency'}.`;
      const page = pagesOnCall(stage, request, due)
        ? { key: `page-${task.id}`, reason: STAGE_WORDS[stage], trackingNumber: request.trackingNumber, kind: request.kind, due, text }
        : undefined;
      return {
        effect: { requestId: request.id, stage, due, page, subject: `[Writ] ${STAGE_WORDS[stage]}: ${request.trackingNumber}`, text },
      };
    },
    async act(reminder, task) {
      const channels: string[] = [];
      if (deps.deskEmail) {
        await deps.mailer.send({ to: deps.deskEmail, subject: reminder.subject, text: `${reminder.text}\n`, key: `reminder-${task.id}` });
        channels.push('desk_email');
      }
      if (reminder.page) channels.push(...(await deps.pager.page(reminder.page)).channels.map((channel) => `oncall_${channel}`));
      return channels;
    },
    async finish(repositories, _task, reminder, channels) {
      await repositories.audit.append(SYSTEM_ACTOR, {
        type: 'deadline.reminded',
        requestId: reminder.requestId,
        data: { stage: reminder.stage, due: reminder.due, channels },
      });
      return 'sent';
    },
  });
}

/** The `oncall.page` job: a page scheduled for a request (an emergency arriving), done once. */
export async function pageOnCall(deps: RemindDeps, input: { taskId: unknown }): Promise<string | undefined> {
  return handleTaskWithEffect(deps, input.taskId, {
    async decide(repositories, task): Promise<TaskDecision<OnCallPage & { requestId: string }>> {
      if (!task.requestId) return { done: 'invalid' };
      const request = await repositories.requests.find({ kind: 'desk' }, task.requestId);
      if (!request) return { done: 'gone' };
      const reason = typeof task.payload.reason === 'string' ? task.payload.reason : 'Attention needed';
      return {
        effect: {
          requestId: request.id,
          key: `page-${task.id}`,
          reason,
          trackingNumber: request.trackingNumber,
          kind: request.kind,
          due: request.due?.at ?? null,
          text: `${reason}: ${request.kind} request ${request.trackingNumber} from ${request.agencyName} (${request.jurisdiction}), ${request.state.replaceAll('_', ' ')}.`,
        },
      };
    },
    act: async ({ requestId: _requestId, ...page }) => (await deps.pager.page(page)).channels,
    async finish(repositories, _task, page, channels) {
      await repositories.audit.append(SYSTEM_ACTOR, {
        type: 'oncall.paged',
        requestId: page.requestId,
        data: { reason: page.reason, channels: [...channels] },
      });
      return 'sent';
    },
  });
}

/** The desk's view of what is due: every open deadline soonest first, or (`overdue=true`) only those that passed. */
export async function listDeadlines(
  deps: { readonly store: Transactor<Pick<Repositories, 'requests' | 'audit'>>; readonly clock: Clock },
  actor: Actor,
  query: unknown,
): Promise<{ items: DeadlineEntry[]; now: string }> {
  requirePermission(actor, 'deadline.read');
  const { overdue, limit } = parseInput(deadlinesQuerySchema, query ?? {});
  const now = deps.clock.now();
  const items = await deps.store.read.requests.deadlines({ now, overdueOnly: overdue, limit });
  await deps.store.read.audit.append(actor, {
    type: 'request.list_viewed',
    data: { list: 'deadlines', requestIds: items.map((item) => item.requestId), filtered: overdue, next: items.length >= limit },
  });
  return { items, now: now.toISOString() };
}
