/**
 * A prospective (real-time) order, with time moved by hand: within its authorised period it delivers, part by part,
 * the login records of the target as they appear, and it stops by itself when the period ends.
 */
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { createDemoSchema, generateDemoDataset } from '../../src/connectors/demo/demo-messenger.dataset.ts';
import { approveRequest } from '../../src/services/approve-request.ts';
import { downloadProduction, startProduction } from '../../src/services/production.ts';
import { submitRequest } from '../../src/services/submit-request.ts';
import { startJobs } from '../../src/server/context.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { HOUR, testClock } from '../support/clock.ts';
import { buildWorld, requestPayload, uploadPdf, type World } from '../support/factories.ts';

const clock = testClock();
const MINUTE = 60_000;

describeOnEachDatabase(
  'prospective orders',
  (db) => {
    let world: World;
    const login = (at: number, ip: string) =>
      sql`INSERT INTO demo.logins (account_id, ip, port, at, user_agent, kind) VALUES (4, ${ip}::inet, 4444, ${new Date(at)}, 'DemoMessenger/5.2 (iOS 18.1)', 'login')`.execute(
        db().context.database.db,
      );

    beforeAll(async () => {
      const { context } = db();
      await createDemoSchema(context.database.db);
      await generateDemoDataset(context.database.db, { users: 20, loginsPerUser: 2, messagesPerUser: 1, seed: 8 });
      world = await buildWorld(context);
      await startJobs(context);
    });

    it('delivers the new login records of each interval of its period, and stops when the period ends', async () => {
      const { context } = db();
      const start = Date.now() + MINUTE;
      clock.set(new Date(start));
      await login(start - 30 * MINUTE, '192.0.2.10');
      // Before the period: never delivered.
      await login(start - 3 * HOUR, '192.0.2.9');
      const documentId = await uploadPdf(context, world.officerB);
      const payload = requestPayload({
        kind: 'prospective',
        jurisdiction: 'US',
        targets: [{ kind: 'username', value: 'jordan.lee' }],
        categories: ['traffic'],
        dateRange: { from: new Date(start - HOUR).toISOString(), to: new Date(start + 2 * HOUR).toISOString() },
      });
      const legalProcess = {
        instrumentType: 'court_order',
        issuingAuthority: 'U.S. District Court (pen/trap, 18 U.S.C. 3123)',
        documentIds: [documentId],
      };
      const { trackingNumber } = await submitRequest(context, world.officerB, { payload: { ...payload, legalProcess } });
      await context.jobs!.drain();
      await approveRequest(context, world.counsel, { reference: trackingNumber, body: { reason: 'A pen/trap order for 60 days.' } });
      await startProduction(context, world.counsel, { reference: trackingNumber });
      await context.jobs!.drain();
      const request = (await context.store.read.requests.find({ kind: 'desk' }, trackingNumber))!;
      expect(request.state).toBe('producing');
      const parts = () => context.store.read.productions.parts(request.id);
      const records = async () => (await parts()).map((part) => part.outcomes.reduce((sum, outcome) => sum + outcome.records, 0));
      expect(await records()).toEqual([1]);
      expect((await parts())[0]!.window).toEqual({ from: new Date(start - HOUR).toISOString(), to: new Date(start).toISOString() });

      // New logins appear; the next part, fifteen minutes on, delivers them and nothing twice.
      await login(start + 5 * MINUTE, '192.0.2.11');
      await login(start + 6 * MINUTE, '192.0.2.12');
      clock.set(new Date(start + 14 * MINUTE));
      await context.jobs!.drain();
      expect(await records()).toEqual([1]);
      clock.set(new Date(start + 15 * MINUTE + 1000));
      await context.jobs!.drain();
      expect(await records()).toEqual([1, 2]);

      // Past the end of the period: one last part up to the end, then the order is delivered and stops.
      await login(start + 90 * MINUTE, '192.0.2.13');
      await login(start + 3 * HOUR, '192.0.2.14');
      clock.set(new Date(start + 30 * MINUTE + 1000));
      await context.jobs!.drain();
      clock.set(new Date(start + 5 * HOUR));
      await context.jobs!.drain();
      await context.jobs!.drain();
      const all = await parts();
      expect(all.at(-1)!.window!.to).toBe(new Date(start + 2 * HOUR).toISOString());
      expect((await records()).reduce((sum, count) => sum + count, 0)).toBe(4);
      expect((await context.store.read.requests.find({ kind: 'desk' }, request.id))?.state).toBe('delivered');
      const pending = (await context.store.read.schedule.forRequest(request.id)).filter(
        (task) => task.topic === 'prospective.collect' && task.state === 'pending',
      );
      expect(pending).toEqual([]);
      // Each part is its own signed package, windows back to back.
      for (const [index, part] of all.entries()) {
        expect(part).toMatchObject({ part: index, state: 'completed' });
        if (index > 0) expect(Date.parse(part.window!.from)).toBe(Date.parse(all[index - 1]!.window!.to) + 1);
      }
      // The officer downloads any part by its number; every download is recorded.
      const first = await downloadProduction(context, world.officerB, { reference: trackingNumber, part: 0 });
      expect(first.production).toMatchObject({ part: 0, id: all[0]!.id });
      let bytes = 0;
      for await (const chunk of first.content) bytes += chunk.length;
      expect(bytes).toBeGreaterThan(1024);
      const latest = await downloadProduction(context, world.officerB, { reference: trackingNumber });
      expect(latest.production.part).toBe(all.length - 1);
      for await (const chunk of latest.content) bytes += chunk.length;
      await expect(downloadProduction(context, world.officerB, { reference: trackingNumber, part: 99 })).rejects.toMatchObject({
        code: 'PRODUCTION_NOT_FOUND',
      });
      const delivered = await sql<{ n: string }>`
        SELECT count(*)::text AS n FROM audit_events WHERE request_id = ${request.id} AND type = 'prospective.delivered'
      `.execute(context.database.db);
      expect(Number(delivered.rows[0]?.n)).toBe(all.length);
    });
  },
  { WRIT_HOLD_BURST_PER_HOUR: '1000' },
  { clock },
);
