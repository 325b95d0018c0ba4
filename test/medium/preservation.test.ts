/**
 * Preservation on the demo messenger, with time moved by hand: a US 2703(f) request seals a copy of the approved
 * categories for 90 days, reminds before it expires, extends once by 90 more, feeds a later production even after the
 * platform dropped the live records, holds while a production request for it is open, and then expires and lets the
 * copy go; another is released early.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { createDemoSchema, DEMO_REFERENCE_INSTANT, generateDemoDataset } from '../../src/connectors/demo/demo-messenger.dataset.ts';
import type { RequestRecord } from '../../src/core/model.ts';
import { approveRequest } from '../../src/services/approve-request.ts';
import { extendPreservation, getPreservation, releasePreservation, startPreservation } from '../../src/services/preservation.ts';
import { startProduction } from '../../src/services/production.ts';
import { submitRequest } from '../../src/services/submit-request.ts';
import { withdrawRequest } from '../../src/services/withdraw-request.ts';
import { startJobs } from '../../src/server/context.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { DAY, HOUR, testClock } from '../support/clock.ts';
import { buildWorld, requestPayload, uploadPdf, type World } from '../support/factories.ts';

const clock = testClock();
const RANGE = { from: '2026-05-01T00:00:00.000Z', to: new Date(DEMO_REFERENCE_INSTANT).toISOString() };

describeOnEachDatabase(
  'preservation',
  (db) => {
    let world: World;
    const fileOf = (sha256: string) => path.join(db().context.config.WRIT_DATA_DIR, 'files', sha256.slice(0, 2), sha256);
    const events = async (requestId: string, type: string) =>
      (
        await sql<{ data: Record<string, unknown> }>`
          SELECT data FROM audit_events WHERE request_id = ${requestId} AND type = ${type} ORDER BY id
        `.execute(db().context.database.db)
      ).rows.map((row) => row.data);
    const submit = async (overrides: Record<string, unknown>): Promise<RequestRecord> => {
      const { context } = db();
      const documentId = await uploadPdf(context, world.officerB);
      const payload = requestPayload({ jurisdiction: 'US', ...overrides });
      const legalProcess = {
        ...(payload.legalProcess as object),
        ...((overrides.legalProcess as object) ?? {}),
        documentIds: [documentId],
      };
      const receipt = await submitRequest(context, world.officerB, { payload: { ...payload, legalProcess } });
      await context.jobs!.drain();
      return (await context.store.read.requests.find({ kind: 'desk' }, receipt.trackingNumber))!;
    };
    const preservationRequest = () =>
      submit({
        kind: 'preservation',
        legalProcess: { instrumentType: 'preservation_order', issuingAuthority: 'FBI Example Field Office' },
        targets: [{ kind: 'username', value: 'minjun.kim' }],
        categories: ['subscriber', 'traffic'],
        dateRange: RANGE,
      });
    const liveLogins = async () =>
      Number(
        (
          await sql<{ n: string }>`
            SELECT count(*)::text AS n FROM demo.logins WHERE account_id = 1 AND at BETWEEN ${new Date(RANGE.from)} AND ${new Date(RANGE.to)}
          `.execute(db().context.database.db)
        ).rows[0]?.n,
      );

    beforeAll(async () => {
      const { context } = db();
      clock.set(new Date());
      await createDemoSchema(context.database.db);
      await generateDemoDataset(context.database.db, { users: 60, loginsPerUser: 40, messagesPerUser: 2, seed: 3 });
      world = await buildWorld(context);
      await startJobs(context);
    });

    it('seals the approved categories of the target, for the 90 days 18 U.S.C. 2703(f) gives, with reminders before', async () => {
      const { context } = db();
      const request = await preservationRequest();
      expect(request.state).toBe('in_review');
      await approveRequest(context, world.counsel, { reference: request.trackingNumber, body: { reason: 'A 2703(f) letter.' } });
      const active = await startPreservation(context, world.reviewer, { reference: request.trackingNumber });
      expect(active.state).toBe('active');
      await context.jobs!.drain();
      const preservation = await getPreservation(context, world.reviewer, { reference: request.trackingNumber });
      // The agency learns what was secured, not which account its identifier named or how much it holds.
      const seenByAgency = await getPreservation(context, world.officerB, { reference: request.trackingNumber });
      expect(seenByAgency.items.map((item) => [item.status, item.accountLabel, item.records])).toEqual([
        ['sealed', null, 0],
        ['sealed', null, 0],
      ]);
      expect(preservation).toMatchObject({
        copyState: 'sealed',
        basis: 'us.preservation.basis',
        extensionHours: 2160,
        expiresAt: new Date(Date.parse(request.receivedAt) + 90 * DAY).toISOString(),
      });
      const traffic = preservation.items.find((item) => item.category === 'traffic')!;
      const subscriber = preservation.items.find((item) => item.category === 'subscriber')!;
      const logins = await liveLogins();
      expect(logins).toBeGreaterThan(2);
      expect(traffic).toMatchObject({ status: 'sealed', accountLabel: 'minjun.kim', records: logins, range: RANGE });
      expect(subscriber).toMatchObject({ status: 'sealed', records: 1 });
      // The sealed file is what its name says, and it holds the records as they were.
      const content = readFileSync(fileOf(traffic.sha256!));
      expect(createHash('sha256').update(content).digest('hex')).toBe(traffic.sha256);
      expect(content.toString('utf8').trim().split('\n')).toHaveLength(logins);
      expect(await events(request.id, 'preservation.sealed')).toEqual([
        expect.objectContaining({ items: 2, records: logins + 1, manifestSha256: preservation.manifestSha256 }),
      ]);
      // Running the job again seals nothing twice.
      await context.store.transaction((r) => r.outbox.add('request.preserve', { requestId: request.id }));
      await context.jobs!.drain();
      expect(await events(request.id, 'preservation.sealed')).toHaveLength(1);

      const tasks = (await context.store.read.schedule.forRequest(request.id)).filter((task) => task.key.startsWith('preservation:'));
      const expires = Date.parse(preservation.expiresAt);
      expect(tasks.map((task) => [task.topic, (expires - Date.parse(task.dueAt)) / DAY])).toEqual([
        ['preservation.remind', 14],
        ['preservation.remind', 3],
        ['preservation.expire', 0],
      ]);
      clock.set(new Date(expires - 14 * DAY + 1000));
      await context.jobs!.drain();
      const reminded = await events(request.id, 'preservation.expiry_reminded');
      expect(reminded).toEqual([expect.objectContaining({ expiresAt: preservation.expiresAt, channels: ['officer_email'] })]);
      const officer = await context.store.read.users.find(world.officerB.userId);
      const mail = readFileSync(path.join(context.config.WRIT_DATA_DIR, 'mail', 'outgoing', `expiry-${tasks[0]!.id}-officer.eml`), 'utf8');
      expect(mail).toContain(`To: ${officer!.email}`);
      expect(mail).toContain(request.trackingNumber);
    });

    it('extends once by the 90 days the statute allows, and not twice', async () => {
      const { context } = db();
      const [request] = (await context.store.read.requests.list({ kind: 'desk' }, { kind: 'preservation', order: 'newest', limit: 1 }))
        .items;
      const before = await getPreservation(context, world.reviewer, { reference: request!.trackingNumber });
      const extended = await extendPreservation(context, world.reviewer, { reference: request!.trackingNumber });
      expect(extended.state).toBe('extended');
      const after = await getPreservation(context, world.reviewer, { reference: request!.trackingNumber });
      expect(Date.parse(after.expiresAt) - Date.parse(before.expiresAt)).toBe(90 * DAY);
      await expect(extendPreservation(context, world.reviewer, { reference: request!.trackingNumber })).rejects.toMatchObject({
        code: 'INVALID_TRANSITION',
      });
      // The old expiry and its last reminder were cancelled; the new ones stand.
      // (The review's own clocks, services/re-review.ts, are scheduled beside these and left out here.)
      const pending = (await context.store.read.schedule.forRequest(request!.id)).filter(
        (task) => task.state === 'pending' && task.topic !== 'review.clock',
      );
      expect(pending.map((task) => [task.topic, (Date.parse(after.expiresAt) - Date.parse(task.dueAt)) / DAY])).toEqual([
        ['preservation.remind', 14],
        ['preservation.remind', 3],
        ['preservation.expire', 0],
      ]);
      // Time passes to the old expiry: nothing expires.
      clock.set(new Date(Date.parse(before.expiresAt) + HOUR));
      await context.jobs!.drain();
      expect((await context.store.read.requests.find({ kind: 'desk' }, request!.id))?.state).toBe('extended');
    });

    it('produces a later disclosure request from the sealed copy, though the platform has dropped the live records', async () => {
      const { context } = db();
      const [preserved] = (await context.store.read.requests.list({ kind: 'desk' }, { kind: 'preservation', order: 'newest', limit: 1 }))
        .items;
      const sealed = (await getPreservation(context, world.reviewer, { reference: preserved!.trackingNumber })).items.find(
        (item) => item.category === 'traffic',
      )!;
      await sql`DELETE FROM demo.logins WHERE account_id = 1`.execute(context.database.db);
      expect(await liveLogins()).toBe(0);
      const disclosure = await submit({
        targets: [{ kind: 'username', value: 'minjun.kim' }],
        categories: ['traffic'],
        legalProcess: { instrumentType: 'court_order', issuingAuthority: 'U.S. District Court' },
        dateRange: { from: '2026-08-01T00:00:00.000Z', to: RANGE.to },
      });
      await approveRequest(context, world.counsel, { reference: disclosure.trackingNumber, body: { reason: 'A 2703(d) order.' } });
      await startProduction(context, world.counsel, { reference: disclosure.trackingNumber });
      await context.jobs!.drain();
      const production = await context.store.read.productions.latestForRequest(disclosure.id);
      const outcome = production!.outcomes.find((item) => item.category === 'traffic')!;
      const inRange = readFileSync(fileOf(sealed.sha256!), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { at: string })
        .filter((record) => record.at >= '2026-08-01T00:00:00.000Z').length;
      expect(outcome).toMatchObject({ status: 'produced', records: inRange });
      expect(outcome.detail).toContain(`from the copy preserved under ${preserved!.trackingNumber}`);
      expect(await events(disclosure.id, 'preservation.copy_used')).toEqual([expect.objectContaining({ productionId: production!.id })]);
    });

    it('holds the copy past its expiry while a production request for it is open, then expires and deletes it', async () => {
      const { context } = db();
      const [preserved] = (await context.store.read.requests.list({ kind: 'desk' }, { kind: 'preservation', order: 'newest', limit: 1 }))
        .items;
      const preservation = await getPreservation(context, world.reviewer, { reference: preserved!.trackingNumber });
      const open = await submit({ targets: [{ kind: 'username', value: 'minjun.kim' }], categories: ['subscriber'] });
      clock.set(new Date(Date.parse(preservation.expiresAt) + 1000));
      await context.jobs!.drain();
      expect((await context.store.read.requests.find({ kind: 'desk' }, preserved!.id))?.state).toBe('extended');
      expect(await events(preserved!.id, 'preservation.expiry_changed')).toEqual([
        expect.objectContaining({ why: 'extended' }),
        expect.objectContaining({ why: 'production_pending' }),
      ]);
      await withdrawRequest(context, world.officerB, { reference: open.trackingNumber, body: {} });
      clock.advance(25 * HOUR);
      await context.jobs!.drain();
      expect((await context.store.read.requests.find({ kind: 'desk' }, preserved!.id))?.state).toBe('expired');
      const released = await getPreservation(context, world.reviewer, { reference: preserved!.trackingNumber });
      expect(released.copyState).toBe('released');
      for (const item of released.items) if (item.sha256) expect(existsSync(fileOf(item.sha256))).toBe(false);
      expect(await events(preserved!.id, 'preservation.copy_released')).toHaveLength(1);
    });

    it('lets the desk release a preservation early; its copy goes at once', async () => {
      const { context } = db();
      const request = await preservationRequest();
      await approveRequest(context, world.counsel, { reference: request.trackingNumber, body: { reason: 'A 2703(f) letter.' } });
      await startPreservation(context, world.reviewer, { reference: request.trackingNumber });
      await context.jobs!.drain();
      const sealed = await getPreservation(context, world.reviewer, { reference: request.trackingNumber });
      expect(sealed.copyState).toBe('sealed');
      const released = await releasePreservation(context, world.reviewer, { reference: request.trackingNumber });
      expect(released.state).toBe('released');
      await context.jobs!.drain();
      const after = await getPreservation(context, world.reviewer, { reference: request.trackingNumber });
      expect(after.copyState).toBe('released');
      expect(
        (await context.store.read.schedule.forRequest(request.id)).filter(
          (task) => task.state === 'pending' && task.topic !== 'review.clock',
        ),
      ).toEqual([]);
      // Another agency sees a preservation that is not its own as no preservation at all.
      await expect(getPreservation(context, world.officerA, { reference: request.trackingNumber })).rejects.toMatchObject({
        code: 'REQUEST_NOT_FOUND',
      });
    });
  },
  { WRIT_HOLD_BURST_PER_HOUR: '1000' },
  { clock },
);
