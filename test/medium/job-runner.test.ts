/** The outbox feeds pg-boss exactly once and the verification job moves a new request into review. */
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { startJobs } from '../../src/server/context.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, submitted, type World } from '../support/factories.ts';

describeOnEachDatabase(
  'job runner',
  (db) => {
    let world: World;
    beforeAll(async () => {
      world = await buildWorld(db().context);
    });

    it('dispatches each outbox row once and runs request.verify, which moves the request to in_review', async () => {
      const { context } = db();
      const tracking = await submitted(context, world.officerA);
      const runner = await startJobs(context);
      await runner.drain();
      const request = await context.store.read.requests.find({ kind: 'desk' }, tracking);
      expect(request?.state).toBe('in_review');
      const outbox = await sql<{ dispatched: boolean }>`
      SELECT dispatched_at IS NOT NULL AS dispatched FROM outbox WHERE topic = 'request.verify' AND payload->>'requestId' = ${request!.id}
    `.execute(context.database.db);
      expect(outbox.rows).toEqual([{ dispatched: true }]);
      const jobs = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM pgboss.job WHERE name = 'request.verify' AND data->>'requestId' = ${request!.id}
    `.execute(context.database.db);
      expect(jobs.rows[0]?.n).toBe('1');
      // A second dispatch finds nothing new; a desk notification (no handler yet) stays pending in the outbox.
      expect(await runner.dispatch()).toBe(0);
      const pending = await sql<{ topic: string }>`
      SELECT topic FROM outbox WHERE dispatched_at IS NULL AND payload->>'requestId' = ${request!.id}
    `.execute(context.database.db);
      expect(pending.rows.map((row) => row.topic)).toEqual(['request.notify-desk']);
    });

    it('handles many submissions in a burst, each verified once', async () => {
      const { context } = db();
      const numbers = await Promise.all(Array.from({ length: 20 }, () => submitted(context, world.officerA)));
      await context.jobs!.drain();
      for (const tracking of numbers) {
        const request = await context.store.read.requests.find({ kind: 'desk' }, tracking);
        expect(request?.state).toBe('in_review');
        const transitions = await sql<{ n: string }>`
        SELECT count(*)::text AS n FROM audit_events WHERE request_id = ${request!.id} AND type = 'request.transitioned'
      `.execute(context.database.db);
        expect(transitions.rows[0]?.n).toBe('2');
      }
    });
  },
  // Twenty requests from one officer at once: this suite is about the queue, not the burst hold.
  { WRIT_HOLD_BURST_PER_HOUR: '1000' },
);
