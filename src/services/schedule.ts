/**
 * The durable schedule at work. `fireDueTasks` is the scan every process runs with the outbox dispatch: each task due
 * by the clock becomes one outbox row in the same transaction as it is marked fired, so a crash can neither lose it
 * nor fire it twice. `handleTask` is how a job does a task's work exactly once in effect: the task row is locked, the
 * work and the `handled` mark commit together, and a second run of the same job finds it handled.
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
