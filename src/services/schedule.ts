/**
 * The durable schedule at work. `fireDueTasks` is the scan every process runs with the outbox dispatch: each task due
 * by the clock becomes one outbox row in the same transaction as it is marked fired, so a crash can neither lose it
 * nor fire it twice. `handleTask` is how a job does a task's work exactly once in effect: the task row is locked, the
 * work and the `handled` mark commit together, and a second run of the same job finds it handled. Work that reaches
 * outside the database (a mail, a page) goes through `handleTaskWithEffect`, which records the decision to act before
 * acting, so a run cut short between the two acts again (under the same message key) instead of deciding otherwise.
 */
import type { Clock, Repositories, ScheduledTask, Transactor } from '../core/ports.ts';

export interface ScheduleDeps {
  readonly store: Transactor<Pick<Repositories, 'schedule' | 'outbox'>>;
  readonly clock: Clock;
}

/** Moves up to `limit` due tasks into the outbox; returns how many. */
export async function fireDueTasks(deps: ScheduleDeps, limit = 200): Promise<number> {
  return deps.store.transaction(async (repositories) => {
    const due = await repositories.schedule.claimDue(deps.clock.now(), limit);
    for (const task of due) {
      await repositories.outbox.add(task.topic, {
        ...task.payload,
        taskId: task.id,
        ...(task.requestId ? { requestId: task.requestId } : {}),
      });
    }
    return due.length;
  });
}

/**
 * Runs `work` for a fired task once: inside one transaction with the task locked; what it returns is recorded as the
 * task's outcome. Undefined when the task was handled already (a retried or duplicated job).
 */
export async function handleTask<R extends Pick<Repositories, 'schedule'>>(
  deps: { readonly store: Transactor<R>; readonly clock: Clock },
  taskId: unknown,
  work: (repositories: R, task: ScheduledTask) => Promise<string>,
): Promise<string | undefined> {
  if (typeof taskId !== 'string') return undefined;
  return deps.store.transaction(async (repositories) => {
    const task = await repositories.schedule.takeForHandling(taskId);
    if (!task) return undefined;
    const outcome = await work(repositories, task);
    await repositories.schedule.markHandled(task.id, deps.clock.now(), outcome);
    return outcome;
  });
}

/** What a task's first step decided: done (nothing to send), or an effect to carry out. */
export type TaskDecision<T> = { readonly done: string } | { readonly effect: T };

/**
 * A task whose work reaches outside the database, done once in effect:
 *
 * 1. `decide`, in a transaction with the task locked: either it is done (recorded, no effect), or the effect to carry
 *    out, and the decision (`sending`) commits. A later run finds the decision and is told so (`decided`): it must
 *    build the same effect again, not decide anew (the world may have moved: the mail may already have gone).
 * 2. `act`, outside any transaction, with no lock held while a mail server or webhook answers: idempotent by key.
 * 3. `finish`, in a transaction: the audit event and the outcome, once; a run that finds the task handled stops.
 */
export async function handleTaskWithEffect<R extends Pick<Repositories, 'schedule'>, T, A>(
  deps: { readonly store: Transactor<R>; readonly clock: Clock },
  taskId: unknown,
  steps: {
    readonly decide: (repositories: R, task: ScheduledTask, decided: boolean) => Promise<TaskDecision<T>>;
    readonly act: (effect: T, task: ScheduledTask) => Promise<A>;
    readonly finish: (repositories: R, task: ScheduledTask, effect: T, acted: A) => Promise<string>;
  },
): Promise<string | undefined> {
  if (typeof taskId !== 'string') return undefined;
  const decided = await deps.store.transaction(async (repositories) => {
    const task = await repositories.schedule.takeForHandling(taskId);
    if (!task) return undefined;
    const decision = await steps.decide(repositories, task, task.outcome === 'sending');
    if ('done' in decision) {
      await repositories.schedule.markHandled(task.id, deps.clock.now(), decision.done);
      return { task, outcome: decision.done };
    }
    if (task.outcome !== 'sending') await repositories.schedule.markSending(task.id);
    return { task, effect: decision.effect };
  });
  if (!decided) return undefined;
  if (!('effect' in decided)) return decided.outcome;
  const acted = await steps.act(decided.effect as T, decided.task);
  return deps.store.transaction(async (repositories) => {
    const task = await repositories.schedule.takeForHandling(taskId);
    if (!task) return undefined;
    const outcome = await steps.finish(repositories, task, decided.effect as T, acted);
    await repositories.schedule.markHandled(task.id, deps.clock.now(), outcome);
    return outcome;
  });
}
