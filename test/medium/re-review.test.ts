/**
 * Re-review on time and events, with time moved by hand: a Korean emergency interception is lawful at hour 3 (PCSA
 * Art. 8: the court permit may follow) and blocked once 36 hours have passed without it (Art. 8(5)). The clock that turns it
 * is scheduled at verification; when it passes, the review runs again by itself, records the new block, holds the
 * request and pages the desk, once; a re-review that finds nothing new pages no one.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { submitRequest } from '../../src/services/submit-request.ts';
import { reReviewOnEvent } from '../../src/services/re-review.ts';
import { startJobs } from '../../src/server/context.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { HOUR, testClock } from '../support/clock.ts';
import { buildWorld, requestPayload, uploadPdf, type World } from '../support/factories.ts';

const pages: Array<Record<string, unknown>> = [];
const hook = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString()));
  request.on('end', () => {
    pages.push(JSON.parse(body) as Record<string, unknown>);
    response.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise<void>((resolve) => hook.close(() => resolve())));
const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/page`;

const clock = testClock();

describeOnEachDatabase(
  're-review on time and events',
  (db) => {
    let world: World;
    const events = async (requestId: string, type: string) =>
      (
        await sql<{ data: Record<string, unknown> }>`
          SELECT data FROM audit_events WHERE type = ${type} AND request_id = ${requestId} ORDER BY id
        `.execute(db().context.database.db)
      ).rows.map((row) => row.data);

    beforeAll(async () => {
      const { context } = db();
      pages.length = 0;
      world = await buildWorld(context);
      await startJobs(context);
    });

    it('blocks a Korean emergency measure whose court permit is 36 hours overdue, holds the request and pages once', async () => {
      const { context } = db();
      clock.set(new Date());
      const documentId = await uploadPdf(context, world.officerA);
      const payload = requestPayload({
        kind: 'prospective',
        categories: ['content'],
        legalProcess: { instrumentType: 'emergency_request', issuingAuthority: 'Seoul Police', documentIds: [documentId] },
        summary: 'An abducted child is held; there is a threat to her life. Emergency interception under PCSA Art. 8.',
        facts: {
          instrument: { form: 'kr_emergency_interception', issuerRole: 'prosecutor' },
          emergency: { isEmergency: true, threatToLife: true },
          offence: { lists: ['kr_pcsa_art5_1'] },
        },
      });
      const receipt = await submitRequest(context, world.officerA, { payload });
      await context.jobs!.drain();
      const request = (await context.store.read.requests.find({ kind: 'desk' }, receipt.trackingNumber))!;
      const received = Date.parse(request.receivedAt);
      expect(request.lastReview?.blocks).toEqual([]);
      const tasks = (await context.store.read.schedule.forRequest(request.id)).filter((task) => task.key.startsWith('review:'));
      expect(tasks.map((task) => task.dueAt)).toContain(new Date(received + 36 * HOUR + 1000).toISOString());

      // Hour 3: nothing new.
      clock.set(new Date(received + 3 * HOUR));
      await reReviewOnEvent({ ...context, clock }, { requestId: request.id, trigger: 'test' });
      await context.jobs!.drain();
      expect((await events(request.id, 'review.rerun')).at(-1)).toMatchObject({ trigger: 'test', newBlocks: [] });
      const pagedBefore = pages.filter((page) => page.trackingNumber === receipt.trackingNumber).length;

      // Hour 36 and a second: the clock fires by itself.
      clock.set(new Date(received + 36 * HOUR + 2000));
      await context.jobs!.drain();
      await context.jobs!.drain();
      const rerun = (await events(request.id, 'review.rerun')).at(-1);
      expect(rerun?.trigger).toMatch(/^clock /);
      expect(rerun?.newBlocks).toContain('kr.interception.emergency-overdue|content');
      const held = await events(request.id, 'request.held');
      expect(held.at(-1)).toMatchObject({ reasons: [{ code: 'REVIEW_BLOCK' }] });
      const paged = pages.filter((page) => page.trackingNumber === receipt.trackingNumber);
      expect(paged.length).toBe(pagedBefore + 1);
      expect(String(paged.at(-1)?.reason)).toContain('New block after re-review');
      expect((await context.store.read.requests.find({ kind: 'desk' }, request.id))?.lastReview?.blocks).toContain(
        'kr.interception.emergency-overdue|content',
      );

      // Again later: the block is known, no new page.
      clock.set(new Date(received + 40 * HOUR));
      await reReviewOnEvent({ ...context, clock }, { requestId: request.id, trigger: 'again' });
      await context.jobs!.drain();
      expect((await events(request.id, 'review.rerun')).at(-1)).toMatchObject({ trigger: 'again', newBlocks: [] });
      expect(pages.filter((page) => page.trackingNumber === receipt.trackingNumber).length).toBe(pagedBefore + 1);
    });
  },
  { WRIT_ONCALL_WEBHOOK_URL: hookUrl, WRIT_HOLD_BURST_PER_HOUR: '1000' },
  { clock },
);
