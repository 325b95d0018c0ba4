/**
 * Background jobs on pg-boss (docs/adr/0002-job-queue.md). State changes write outbox rows in their own transaction;
 * the dispatcher moves each row into pg-boss in one transaction with marking it dispatched, so a job is enqueued
 * exactly once, even across a crash. Topics without a handler yet stay in the outbox until one is added.
 */
import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

const BATCH_SIZE = 20;

export type JobHandler = (payload: Readonly<Record<string, unknown>>) => Promise<void>;

export interface JobRunner {
  /** Moves pending outbox rows into the queue now; returns how many. */
  dispatch(): Promise<number>;
  /** Dispatches and waits until no job is queued or running (tests and the demo walkthrough). */
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const asDb = (db: Kysely<Database> | Transaction<Database>): PgBoss.Db => ({
  executeSql: async (text, values) => db.executeQuery(CompiledQuery.raw(text, values ?? [])),
});

export async function startJobRunner(options: {
  readonly database: DatabaseHandle;
  readonly handlers: Readonly<Record<string, JobHandler>>;
  readonly log: Logger;
  readonly pollMs: number;
  /** Run handlers in this process (the `worker` role). The dispatcher always runs. */
  readonly work: boolean;
  /** Work done on a timer, one run at a time each (the audit log's tree heads). */
  readonly periodic?: ReadonlyArray<{ name: string; everyMs: number; run: () => Promise<unknown> }>;
}): Promise<JobRunner> {
  const { database, handlers, log } = options;
  const boss = new PgBoss({
    ...(database.kind === 'postgres' && database.url ? { connectionString: database.url, max: 4 } : { db: asDb(database.db) }),
    schedule: false,
    supervise: true,
    retryLimit: 5,
    retryBackoff: true,
  });
  boss.on('error', (error: Error) => log.error({ err: { message: error.message } }, 'job queue error'));
  await boss.start();
  const topics = Object.keys(handlers);
  const workers: string[] = [];
  for (const topic of topics) {
    await boss.createQueue(topic, { name: topic, retryLimit: 5, retryBackoff: true, retryDelay: 1 });
    if (!options.work) continue;
    const handler = handlers[topic];
    if (!handler) continue;
    let workerId = '';
    workerId = await boss.work<Record<string, unknown>>(topic, { pollingIntervalSeconds: 0.5, batchSize: BATCH_SIZE }, async (jobs) => {
      for (const job of jobs) {
        try {
          await handler(job.data);
        } catch (error) {
          // The payload holds identifiers only, but it is not logged: the job id is enough to find it.
          log.warn({ topic, job: job.id, err: { message: (error as Error).message } }, 'job failed; it will be retried');
          // Fail this job alone; pg-boss completes the rest of the batch (it completes only jobs still active).
          await boss.fail(topic, job.id, { message: (error as Error).message });
        }
      }
      // A full batch means more may be waiting: look again at once instead of after the polling interval.
      if (jobs.length === BATCH_SIZE) boss.notifyWorker(workerId);
    });
    workers.push(workerId);
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
        await boss.send(row.topic, { ...(row.payload as object), outboxId: String(row.id) }, { db: asDb(trx) });
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
    running ??= dispatchOnce().finally(() => (running = undefined));
    return running;
  };

  const timer = setInterval(() => {
    if (stopped) return;
    dispatch().catch((error: unknown) => log.error({ err: { message: (error as Error).message } }, 'outbox dispatch failed'));
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
      for (;;) {
        await dispatch();
        const pending = await sql<{ n: string }>`
          SELECT count(*)::text AS n FROM pgboss.job WHERE name = ANY(${topics}) AND state IN ('created', 'retry', 'active')
        `.execute(database.db);
        const outboxLeft = await database.db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('dispatched_at', 'is', null)
          .where('topic', 'in', topics.length > 0 ? topics : [''])
          .executeTakeFirstOrThrow();
        if (Number(pending.rows[0]?.n) === 0 && Number(outboxLeft.n) === 0) return;
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
