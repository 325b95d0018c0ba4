/**
 * The desk's side of what Writ owes, over HTTP: the deadline view, the dead-letter list and its retry, and a
 * preservation put into force, extended once and read back — with the errors a client acts on.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDemoSchema, generateDemoDataset } from '../../src/connectors/demo/demo-messenger.dataset.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { startJobs } from '../../src/server/context.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, sessionFor, submitted, type World } from '../support/factories.ts';

describeOnEachDatabase(
  'obligations over HTTP',
  (db) => {
    let app: App;
    let world: World;
    const as: Record<string, Record<string, string>> = {};
    const call = (who: string, method: 'GET' | 'POST', url: string, payload?: unknown, extra: Record<string, string> = {}) =>
      app.inject({
        method,
        url: `/api/v1${url}`,
        headers: { ...as[who], ...extra },
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });

    beforeAll(async () => {
      const { context } = db();
      await createDemoSchema(context.database.db);
      await generateDemoDataset(context.database.db, { users: 20, loginsPerUser: 5, messagesPerUser: 1, seed: 2 });
      world = await buildWorld(context);
      app = await buildApp(context);
      await startJobs(context);
      for (const [name, actor] of Object.entries({
        officerA: world.officerA,
        officerB: world.officerB,
        reviewer: world.reviewer,
        counsel: world.counsel,
        admin: world.admin,
        auditor: world.auditor,
      })) {
        as[name] = { cookie: `writ_session=${await sessionFor(context, actor)}` };
      }
    });
    afterAll(async () => {
      await app.close();
    });

    it('lists what is due soonest first for the desk, and refuses a bad filter with a problem', async () => {
      const { context } = db();
      const due = new Date(Date.now() + 3_600_000).toISOString();
      const tracking = await submitted(context, world.officerA, { deadline: due });
      await context.jobs!.drain();
      const view = await call('reviewer', 'GET', '/deadlines');
      expect(view.statusCode).toBe(200);
      expect(view.json<{ items: Array<{ trackingNumber: string }> }>().items).toContainEqual(
        expect.objectContaining({ trackingNumber: tracking, what: 'response', dueAt: due, basis: 'agency', overdue: false }),
      );
      const status = await call('officerA', 'GET', `/requests/${tracking}`);
      expect(status.json<{ request: { due: unknown } }>().request.due).toEqual({ at: due, basis: 'agency' });
      const bad = await call('reviewer', 'GET', '/deadlines?overdue=perhaps');
      expect(bad.statusCode).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
      expect((await call('officerA', 'GET', '/deadlines')).statusCode).toBe(403);
    });

    it('shows dead jobs to auditors and lets an admin send one round again, once', async () => {
      const { context } = db();
      const { id } = await context.database.db
        .insertInto('dead_letters')
        .values({ outbox_id: null, topic: 'request.verify', payload: JSON.stringify({ requestId: 'gone' }), reason: 'Error', attempts: 7 })
        .returning('id')
        .executeTakeFirstOrThrow();
      const listed = await call('auditor', 'GET', '/jobs/dead-letters');
      expect(listed.json<{ items: Array<{ id: string }> }>().items).toContainEqual(
        expect.objectContaining({ id: String(id), topic: 'request.verify' }),
      );
      expect((await call('auditor', 'POST', `/jobs/dead-letters/${id}/retry`, {})).statusCode).toBe(403);
      const retried = await call('admin', 'POST', `/jobs/dead-letters/${id}/retry`, {});
      expect(retried.statusCode).toBe(200);
      const again = await call('admin', 'POST', `/jobs/dead-letters/${id}/retry`, {});
      expect(again.statusCode).toBe(404);
      expect(again.json<{ code: string }>().code).toBe('DEAD_LETTER_NOT_FOUND');
      await context.jobs!.drain();
    });

    it('puts a preservation into force, extends it once, and shows it to its agency and to no other', async () => {
      const { context } = db();
      const tracking = await submitted(context, world.officerB, {
        kind: 'preservation',
        jurisdiction: 'US',
        targets: [{ kind: 'username', value: 'minjun.kim' }],
        categories: ['traffic'],
      });
      await context.jobs!.drain();
      expect((await call('counsel', 'POST', `/requests/${tracking}/approve`, { reason: 'A 2703(f) letter.' })).statusCode).toBe(200);
      const stale = await call('reviewer', 'POST', `/requests/${tracking}/preserve`, {}, { 'if-match': '"1"' });
      expect(stale.json<{ code: string }>().code).toBe('STALE_UPDATE');
      const preserved = await call('reviewer', 'POST', `/requests/${tracking}/preserve`, {});
      expect(preserved.statusCode).toBe(200);
      expect(preserved.json<{ state: string }>().state).toBe('active');
      await context.jobs!.drain();
      const read = await call('officerB', 'GET', `/requests/${tracking}/preservation`);
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({
        copyState: 'sealed',
        basis: 'us.preservation.basis',
        items: [expect.objectContaining({ category: 'traffic' })],
      });
      expect((await call('reviewer', 'POST', `/requests/${tracking}/extend`, {})).json<{ state: string }>().state).toBe('extended');
      const twice = await call('reviewer', 'POST', `/requests/${tracking}/extend`, {});
      expect(twice.statusCode).toBe(409);
      expect(twice.json<{ code: string }>().code).toBe('INVALID_TRANSITION');
      // Another agency's preservation answers exactly like none.
      const other = await call('officerA', 'GET', `/requests/${tracking}/preservation`);
      const missing = await call('officerA', 'GET', '/requests/WR-2026-999999/preservation');
      expect(other.statusCode).toBe(404);
      expect(other.body).toBe(missing.body);
      // A disclosure request preserves nothing: a distinct answer.
      const disclosure = await submitted(context, world.officerA);
      expect((await call('officerA', 'GET', `/requests/${disclosure}/preservation`)).json<{ code: string }>().code).toBe(
        'PRESERVATION_NOT_FOUND',
      );
    });
  },
  { WRIT_HOLD_BURST_PER_HOUR: '1000' },
);
