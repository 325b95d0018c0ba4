/**
 * The job system under failure: retries with backoff, the dead-letter list and sending a job round again, and the
 * durable schedule (a task fires once, when the clock says, and its work is done once however often its job runs).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI_ACTOR } from '../../src/core/actor.ts';
import { startJobRunner, type JobRunner } from '../../src/jobs/job-runner.ts';
import { listDeadLetters, retryDeadLetter } from '../../src/services/dead-letters.ts';
import { fireDueTasks, handleTask, handleTaskWithEffect } from '../../src/services/schedule.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { HOUR, testClock } from '../support/clock.ts';

const clock = testClock();

describeOnEachDatabase(
  'durable jobs',
  (db) => {
    let runner: JobRunner;
    const attempts = new Map<string, number>();
    let healed = false;

    beforeAll(async () => {
      const { context } = db();
      runner = await startJobRunner({
        database: context.database,
        log: context.log,
        pollMs: 100,
        work: true,
        retry: { retryLimit: 2, retryDelaySeconds: 1, expireInSeconds: 30 },
        handlers: {
          // Fails its first two attempts, then succeeds: a passing outage.
          'test.flaky': async (payload) => {
            const key = String(payload.key);
            const count = (attempts.get(key) ?? 0) + 1;
            attempts.set(key, count);
            if (count < 3) throw new Error('flaky');
          },
          // Fails until healed: a bug that needs a fix, then a retry from the dead-letter list.
          'test.broken': async (payload) => {
            const key = String(payload.key);
            attempts.set(key, (attempts.get(key) ?? 0) + 1);
            if (!healed) throw new Error('broken');
          },
        },
      });
    });
    afterAll(async () => {
      await runner.stop();
    });

    it('retries a failing job with growing waits and completes it once it succeeds', async () => {
      const { context } = db();
      await context.store.transaction((r) => r.outbox.add('test.flaky', { key: 'flaky-1' }));
      const started = Date.now();
      await runner.drain(60_000);
      expect(attempts.get('flaky-1')).toBe(3);
      // Backoff: the first retry waits about a second, the second about two (with jitter), so three attempts take a while.
      expect(Date.now() - started).toBeGreaterThan(1000);
      const jobs = await sql<{ state: string; retry_count: number }>`
        SELECT state, retry_count FROM pgboss.job WHERE name = 'test.flaky' AND data->>'key' = 'flaky-1'
      `.execute(context.database.db);
      expect(jobs.rows).toEqual([{ state: 'completed', retry_count: 2 }]);
      expect((await listDeadLetters(context, CLI_ACTOR, {})).items.filter((item) => item.topic === 'test.flaky')).toEqual([]);
    });

    it('puts a job that fails every attempt in the dead-letter list, once, and an admin sends it round again', async () => {
      const { context } = db();
      await context.store.transaction((r) => r.outbox.add('test.broken', { key: 'broken-1', requestId: 'none' }));
      await runner.drain(60_000);
      expect(attempts.get('broken-1')).toBe(3);
      const page = await listDeadLetters(context, CLI_ACTOR, {});
      const letters = page.items.filter((item) => item.topic === 'test.broken');
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({ attempts: 3, reason: 'Error', payload: { key: 'broken-1', requestId: 'none' }, retriedAt: null });
      // The reason names the error's class, never its message (which for a database error may quote personal data).
      expect(letters[0]!.reason).not.toContain('broken');

      healed = true;
      const retried = await retryDeadLetter(context, CLI_ACTOR, { id: letters[0]!.id });
      expect(retried.retriedAt).not.toBeNull();
      // Once only: a second click finds it sent already.
      await expect(retryDeadLetter(context, CLI_ACTOR, { id: letters[0]!.id })).rejects.toMatchObject({ code: 'DEAD_LETTER_NOT_FOUND' });
      await runner.drain(60_000);
      expect(attempts.get('broken-1')).toBe(4);
      expect((await listDeadLetters(context, CLI_ACTOR, {})).items.filter((item) => item.topic === 'test.broken')).toEqual([]);
      expect(
        (await listDeadLetters(context, CLI_ACTOR, { all: 'true' })).items.filter((item) => item.topic === 'test.broken'),
      ).toHaveLength(1);
      const audited = await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_events WHERE type = 'job.retried'`.execute(
        context.database.db,
      );
      expect(audited.rows[0]?.n).toBe('1');
    });

    it('fires a scheduled task when the clock reaches it, once, and its work is done once however often its job runs', async () => {
      const { context } = db();
      const deps = { store: context.store, clock };
      await context.store.transaction((r) =>
        r.schedule.put({ key: 'test:one', topic: 'test.none', dueAt: new Date(clock.now().getTime() + HOUR), payload: { n: 1 } }),
      );
      expect(await fireDueTasks(deps)).toBe(0);
      clock.advance(HOUR - 1000);
      expect(await fireDueTasks(deps)).toBe(0);
      // Moving the task before it fires moves it; there is still one task.
      await context.store.transaction((r) =>
        r.schedule.put({ key: 'test:one', topic: 'test.none', dueAt: new Date(clock.now().getTime() + 2000), payload: { n: 2 } }),
      );
      clock.advance(2000);
      expect(await fireDueTasks(deps)).toBe(1);
      expect(await fireDueTasks(deps)).toBe(0);
      const outbox = await sql<{ payload: { n: number; taskId: string } }>`
        SELECT payload FROM outbox WHERE topic = 'test.none'
      `.execute(context.database.db);
      expect(outbox.rows).toHaveLength(1);
      expect(outbox.rows[0]?.payload.n).toBe(2);
      const taskId = outbox.rows[0]!.payload.taskId;
      // A fired task is not scheduled again by putting its key again.
      expect(
        await context.store.transaction((r) =>
          r.schedule.put({ key: 'test:one', topic: 'test.none', dueAt: clock.now(), payload: { n: 3 } }),
        ),
      ).toBe(false);
      let done = 0;
      const work = async () => {
        done += 1;
        return 'done';
      };
      const results = await Promise.all([handleTask(deps, taskId, work), handleTask(deps, taskId, work), handleTask(deps, taskId, work)]);
      expect(results.filter((result) => result === 'done')).toHaveLength(1);
      expect(done).toBe(1);
      expect(await handleTask(deps, taskId, work)).toBeUndefined();
      expect((await context.store.read.schedule.find('test:one'))?.outcome).toBe('done');
    });

    it('acts again, and does not decide again, when a run is cut short between sending and recording it', async () => {
      const { context } = db();
      const deps = { store: context.store, clock };
      await context.store.transaction((r) => r.schedule.put({ key: 'test:effect', topic: 'test.effect', dueAt: clock.now() }));
      await fireDueTasks(deps);
      const taskId = (await context.store.read.schedule.find('test:effect'))!.id;
      const seen: boolean[] = [];
      const sent: string[] = [];
      let finished = 0;
      let crash = true;
      const steps = {
        decide: async (_r: unknown, _task: unknown, decided: boolean) => {
          seen.push(decided);
          // The world moved after the first decision: deciding afresh would now say there is nothing to send.
          return seen.length > 1 && !decided ? { done: 'nothing' } : { effect: 'mail-1' };
        },
        act: async (effect: string) => {
          sent.push(effect);
          if (crash) {
            crash = false;
            throw new Error('killed after the mail left');
          }
          return 1;
        },
        finish: async () => {
          finished += 1;
          return 'sent';
        },
      };
      await expect(handleTaskWithEffect(deps, taskId, steps)).rejects.toThrow('killed');
      expect(await handleTaskWithEffect(deps, taskId, steps)).toBe('sent');
      expect(await handleTaskWithEffect(deps, taskId, steps)).toBeUndefined();
      expect(seen).toEqual([false, true]);
      expect(sent).toEqual(['mail-1', 'mail-1']);
      expect(finished).toBe(1);
    });

    it('lets two scanners at once fire each due task exactly once', async () => {
      const { context } = db();
      const deps = { store: context.store, clock };
      await context.store.transaction(async (r) => {
        for (let index = 0; index < 60; index += 1) {
          await r.schedule.put({ key: `test:many:${index}`, topic: 'test.many', dueAt: clock.now() });
        }
      });
      const fired = await Promise.all([fireDueTasks(deps, 7), fireDueTasks(deps, 7), fireDueTasks(deps, 100), fireDueTasks(deps, 100)]);
      const more = await fireDueTasks(deps, 100);
      expect(fired.reduce((sum, count) => sum + count, 0) + more).toBe(60);
      const outbox = await sql<{ n: string; distinct: string }>`
        SELECT count(*)::text AS n, count(DISTINCT payload->>'taskId')::text AS distinct FROM outbox WHERE topic = 'test.many'
      `.execute(context.database.db);
      expect(outbox.rows[0]).toEqual({ n: '60', distinct: '60' });
    });
  },
  {},
  { clock },
);
