/**
 * Background jobs on pg-boss (docs/adr/0002-job-queue.md). State changes write outbox rows in their own transaction;
 * the dispatcher moves each row into pg-boss in one transaction with marking it dispatched, so a job is enqueued
 * exactly once, even across a crash. Topics without a handler yet stay in the outbox until one is added.
 *
 * A job that throws is retried with exponential backoff (pg-boss `retryBackoff`); one that is still active when its
 * process dies is failed by pg-boss's maintenance after `expireInSeconds` and retried the same way. After the last
 * attempt pg-boss moves it to the dead-letter queue, whose worker records it in `dead_letters` for admins
 * (docs/adr/0040-durable-schedule-and-dead-letters.md).
 */
import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { isWritError } from '../core/errors.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

const BATCH_SIZE = 20;
/** Where pg-boss puts a job that failed its last attempt. */
export const DEAD_LETTER_QUEUE = 'writ.dead-letter';

export type JobHandler = (payload: Readonly<Record<string, unknown>>) => Promise<void>;

export interface JobRunner {
  /** Moves pending outbox rows into the queue now; returns how many. */
  dispatch(): Promise<number>;
  /** Dispatches and waits until no job is queued or running (tests and the demo walkthrough). */
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly retryLimit: number;
  /** The first retry waits about this long (seconds); each further one about twice as long (with jitter). */
  readonly retryDelaySeconds: number;
  /** A job still active this long after it started is taken to have died with its process, and retried. */
  readonly expireInSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retryLimit: 6, retryDelaySeconds: 2, expireInSeconds: 900 };

const asDb = (db: Kysely<Database> | Transaction<Database>): PgBoss.Db => ({
  executeSql: async (text, values) => db.executeQuery(CompiledQuery.raw(text, values ?? [])),
});

/**
 * What a failed job says about why, for the dead-letter list and the log: our own errors carry a message that is safe
 * to show; any other error only its class, since a database error's message can quote the values it was given.
 */
export function failureReason(error: unknown): string {
  if (isWritError(error)) return `${error.code}: ${error.detail}`;
  const name = error instanceof Error ? error.name : typeof error;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? `${name} (${code})` : name;
}

const messageOf = (output: unknown): string => {
  const value = (output as { value?: unknown } | null)?.value ?? output;
  const message = (value as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message.slice(0, 500) : 'failed';
};

export async function startJobRunner(options: {
  readonly database: DatabaseHandle;
  readonly handlers: Readonly<Record<string, JobHandler>>;
  readonly log: Logger;
  readonly pollMs: number;
  /** Run handlers in this process (the `worker` role). The dispatcher always runs. */
  readonly work: boolean;
  readonly retry?: RetryPolicy;
  /** Run before each dispatch: the scan that moves due scheduled tasks into the outbox; returns how many it moved. */
  readonly tick?: () => Promise<number>;
  /** Work done on a timer, one run at a time each (the audit log's tree heads). */
  readonly periodic?: ReadonlyArray<{ name: string; everyMs: number; run: () => Promise<unknown> }>;
}): Promise<JobRunner> {
  const { database, handlers, log } = options;
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const boss = new PgBoss({
    ...(database.kind === 'postgres' && database.url ? { connectionString: database.url, max: 4 } : { db: asDb(database.db) }),
    schedule: false,
    supervise: true,
    // Expired jobs are found by maintenance: look often enough that a job of a killed process is retried in time.
    maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.floor(retry.expireInSeconds / 3))),
    retryLimit: retry.retryLimit,
    retryBackoff: true,
    retryDelay: retry.retryDelaySeconds,
    expireInSeconds: retry.expireInSeconds,
  });
  boss.on('error', (error: Error) => log.error({ err: { name: error.name } }, 'job queue error'));
  await boss.start();
  const topics = Object.keys(handlers);
  const queueOptions = {
    retryLimit: retry.retryLimit,
    retryBackoff: true,
    retryDelay: retry.retryDelaySeconds,
    expireInSeconds: retry.expireInSeconds,
    deadLetter: DEAD_LETTER_QUEUE,
  };
  await boss.createQueue(DEAD_LETTER_QUEUE, { name: DEAD_LETTER_QUEUE, retryLimit: retry.retryLimit, retryBackoff: true });
  for (const topic of topics) {
    await boss.createQueue(topic, { name: topic, ...queueOptions });
    // createQueue leaves an existing queue as it was: bring it to this policy.
    await boss.updateQueue(topic, { name: topic, ...queueOptions });
  }
  const workers: string[] = [];
  if (options.work) {
    for (const topic of topics) {
      const handler = handlers[topic];
      if (!handler) continue;
      let workerId = '';
      workerId = await boss.work<Record<string, unknown>>(topic, { pollingIntervalSeconds: 0.5, batchSize: BATCH_SIZE }, async (jobs) => {
        for (const job of jobs) {
          try {
            await handler(job.data);
          } catch (error) {
            const reason = failureReason(error);
            // The payload holds identifiers only, but it is not logged: the job id is enough to find it.
            log.warn({ topic, job: job.id, reason }, 'job failed; it will be retried');
            // Fail this job alone; pg-boss completes the rest of the batch (it completes only jobs still active).
            await boss.fail(topic, job.id, { message: reason });
          }
        }
        // A full batch means more may be waiting: look again at once instead of after the polling interval.
        if (jobs.length === BATCH_SIZE) boss.notifyWorker(workerId);
      });
      workers.push(workerId);
    }
    // The dead-letter queue's worker records each job that failed for good, once per outbox row.
    workers.push(
      await boss.work<Record<string, unknown>>(
        DEAD_LETTER_QUEUE,
        { pollingIntervalSeconds: 1, batchSize: BATCH_SIZE, includeMetadata: true },
        async (jobs) => {
          for (const job of jobs) {
            const { topic, outboxId, ...payload } = job.data;
            const outbox = typeof outboxId === 'string' && /^\d{1,19}$/.test(outboxId) ? outboxId : null;
            await database.db
              .insertInto('dead_letters')
              .values({
                outbox_id: outbox,
                topic: typeof topic === 'string' ? topic : 'unknown',
                payload: JSON.stringify(payload),
                reason: messageOf(job.output),
                attempts: job.retryLimit + 1,
              })
              .onConflict((conflict) => conflict.column('outbox_id').doNothing())
              .execute();
            log.error({ topic, outboxId: outbox }, 'job failed every attempt; it is in the dead-letter list');
          }
        },
      ),
    );
  }

  let stopped = false;
  let running: Promise<number> | undefined;
  const dispatchOnce = async (): Promise<number> => {
    const moved = await database.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('outbox')
        .select(['id', 'topic', 'payload'])
        .where('dispatched_at', 'is', null)
        .where('topic', 'in', topics.length > 0 ? topics : [''])
        .orderBy('id')
        .limit(200)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const row of rows) {
        // The topic rides along so that a dead letter can say which queue it failed in.
        await boss.send(row.topic, { ...(row.payload as object), outboxId: String(row.id), topic: row.topic }, { db: asDb(trx) });
      }
      if (rows.length > 0) {
        await trx
          .updateTable('outbox')
          .set({ dispatched_at: sql<Date>`now()` })
          .where(
            'id',
            'in',
            rows.map((row) => row.id),
          )
          .execute();
      }
      return rows.length;
    });
    if (moved > 0) for (const worker of workers) boss.notifyWorker(worker);
    return moved;
  };
  const dispatch = (): Promise<number> => {
    running ??= (async () => {
      await options.tick?.();
      return dispatchOnce();
    })().finally(() => (running = undefined));
    return running;
  };

  const timer = setInterval(() => {
    if (stopped) return;
    dispatch().catch((error: unknown) => log.error({ reason: failureReason(error) }, 'outbox dispatch failed'));
  }, options.pollMs);
  timer.unref();

  const periodic = (options.periodic ?? []).map((task) => {
    let current: Promise<unknown> | undefined;
    const tick = () => {
      if (stopped || current) return;
      current = task
        .run()
        .catch((error: unknown) => log.error({ task: task.name, err: { message: (error as Error).message } }, 'periodic work failed'))
        .finally(() => (current = undefined));
    };
    const handle = setInterval(tick, task.everyMs);
    handle.unref();
    return { handle, wait: () => current };
  });

  return {
    dispatch,
    async drain(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      const queues = [...topics, DEAD_LETTER_QUEUE];
      for (;;) {
        await dispatch();
        const pending = await sql<{ n: string }>`
          SELECT count(*)::text AS n FROM pgboss.job WHERE name = ANY(${queues}) AND state IN ('created', 'retry', 'active')
        `.execute(database.db);
        const outboxLeft = await database.db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('dispatched_at', 'is', null)
          .where('topic', 'in', topics.length > 0 ? topics : [''])
          .executeTakeFirstOrThrow();
        // Quiet: unless a job just scheduled a task that is already due, which the scan now fires.
        if (Number(pending.rows[0]?.n) === 0 && Number(outboxLeft.n) === 0 && !((await options.tick?.()) ?? 0)) return;
        if (Date.now() > deadline) throw new Error('Jobs did not finish in time.');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      for (const task of periodic) clearInterval(task.handle);
      await running?.catch(() => undefined);
      await Promise.all(periodic.map((task) => task.wait()));
      await boss.stop({ graceful: true, wait: true, timeout: 5000 });
    },
  };
}
