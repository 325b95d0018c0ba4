/**
 * User notice, with time moved by hand: a user is told once what was disclosed about them, with a link to their own
 * notice page; a gag order delays the notice to the day after it ends, and a gag extended meanwhile delays it again;
 * a gag without an end, or the law (PCSA Art. 11), withholds it until the desk records otherwise. Never before.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDemoSchema, DEMO_REFERENCE_INSTANT, generateDemoDataset } from '../../src/connectors/demo/demo-messenger.dataset.ts';
import type { RequestRecord } from '../../src/core/model.ts';
import { approveRequest } from '../../src/services/approve-request.ts';
import { listNotices, recordNonDisclosure, releaseNotice, type NoticeView } from '../../src/services/notices.ts';
import { startProduction } from '../../src/services/production.ts';
import { submitRequest } from '../../src/services/submit-request.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { startJobs } from '../../src/server/context.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { DAY, testClock } from '../support/clock.ts';
import { buildWorld, requestPayload, uploadPdf, type World } from '../support/factories.ts';
import type { Actor } from '../../src/core/actor.ts';
import { readMail } from '../support/mail.ts';

const clock = testClock();
const RANGE = { from: '2026-09-01T00:00:00.000Z', to: new Date(DEMO_REFERENCE_INSTANT).toISOString() };
const day = (at: Date) => at.toISOString().slice(0, 10);

describeOnEachDatabase(
  'user notice',
  (db) => {
    let world: World;
    let app: App;
    const outgoing = () => path.join(db().context.config.WRIT_DATA_DIR, 'mail', 'outgoing');
    const noticeMails = (noticeId: string) => readdirSync(outgoing()).filter((name) => name.startsWith(`notice-${noticeId}`));
    const sentEvents = async (requestId: string) =>
      (
        await sql<{ data: { noticeId: string; targetId: string } }>`
          SELECT data FROM audit_events WHERE request_id = ${requestId} AND type = 'notice.sent' ORDER BY id
        `.execute(db().context.database.db)
      ).rows.map((row) => row.data);
    /** Submitted, approved by counsel, produced and delivered. */
    const delivered = async (officer: Actor, overrides: Record<string, unknown>): Promise<RequestRecord> => {
      const { context } = db();
      const documentId = await uploadPdf(context, officer);
      const payload = requestPayload({
        targets: [
          { kind: 'username', value: 'minjun.kim' },
          { kind: 'username', value: 'alex.doe' },
        ],
        categories: ['subscriber', 'traffic'],
        dateRange: RANGE,
        ...overrides,
      });
      const legalProcess = { ...(payload.legalProcess as object), instrumentType: 'search_warrant', documentIds: [documentId] };
      const { trackingNumber } = await submitRequest(context, officer, { payload: { ...payload, legalProcess } });
      await context.jobs!.drain();
      await approveRequest(context, world.counsel, { reference: trackingNumber, body: { reason: 'Within the warrant.' } });
      await startProduction(context, world.counsel, { reference: trackingNumber });
      await context.jobs!.drain();
      const request = await context.store.read.requests.find({ kind: 'desk' }, trackingNumber);
      expect(request?.state).toBe('delivered');
      return request!;
    };
    const tokenIn = (file: string) => /\/notice\/(writ_n_[A-Za-z0-9_-]{43})/.exec(readMail(path.join(outgoing(), file)))?.[1];

    beforeAll(async () => {
      const { context } = db();
      await createDemoSchema(context.database.db);
      await generateDemoDataset(context.database.db, { users: 30, loginsPerUser: 30, messagesPerUser: 2, seed: 4 });
      world = await buildWorld(context);
      clock.set(new Date(Date.now() + 60_000));
      app = await buildApp(context);
      await startJobs(context);
    });
    afterAll(async () => {
      await app.close();
    });

    it('tells each user once what was disclosed about them, with a link to their own notice page and how to challenge it', async () => {
      const { context } = db();
      const request = await delivered(world.officerB, { jurisdiction: 'US' });
      const notices = await listNotices(context, world.reviewer, { reference: request.trackingNumber });
      expect(notices.map((notice) => [notice.state, notice.basis])).toEqual([
        ['sent', 'policy'],
        ['sent', 'policy'],
      ]);
      const targets = await context.store.read.requests.targets(request.id);
      const minjun = notices.find((notice) => notice.targetId === targets[0]!.id)!;
      expect(noticeMails(minjun.id)).toHaveLength(1);
      const mail = readMail(path.join(outgoing(), noticeMails(minjun.id)[0]!));
      expect(mail).toContain('To: minjun.kim@example.kr');
      expect(mail).toContain(`${context.publicUrl}/notice/writ_n_`);
      expect(mail).toContain(request.agencyName);
      expect(await sentEvents(request.id)).toHaveLength(2);

      // Jobs run again (a retry, a duplicate): nothing is planned or sent twice.
      await context.store.transaction(async (r) => {
        await r.outbox.add('request.plan-notices', { requestId: request.id });
        for (const task of await r.schedule.forRequest(request.id))
          if (task.topic === 'notice.send') await r.outbox.add('notice.send', { taskId: task.id });
      });
      await context.jobs!.drain();
      expect(await sentEvents(request.id)).toHaveLength(2);
      expect(noticeMails(minjun.id)).toHaveLength(1);

      const token = tokenIn(noticeMails(minjun.id)[0]!)!;
      const page = await app.inject({ method: 'GET', url: `/api/v1/notices/${token}` });
      expect(page.statusCode).toBe(200);
      const view = page.json<NoticeView>();
      expect(view).toMatchObject({
        purpose: 'disclosure',
        agency: { name: request.agencyName, jurisdiction: 'US' },
        legalProcess: { instrumentType: 'search_warrant', issuingAuthority: 'Seoul Central District Court', reference: '2026-A-1234' },
        account: 'minjun.kim',
        removal: null,
        contact: 'privacy@demo-messenger.example',
      });
      expect(view.disclosed.map((entry) => entry.category).sort()).toEqual(['subscriber', 'traffic']);
      expect(view.disclosed.find((entry) => entry.category === 'subscriber')).toMatchObject({
        records: 1,
        status: 'produced',
        range: RANGE,
      });
      expect(view.challenge.en).toContain('challenge');
      // No more than the user's own notice: nothing of the other target, the officer, the case or the desk.
      const text = page.body;
      for (const secret of ['alex.doe', request.caseReference!, request.summary!, world.officerB.userId])
        expect(text).not.toContain(secret);
      // A wrong token answers exactly like a missing one, and like a malformed one.
      const wrong = await app.inject({ method: 'GET', url: `/api/v1/notices/writ_n_${'A'.repeat(43)}` });
      const malformed = await app.inject({ method: 'GET', url: '/api/v1/notices/nothing' });
      expect(wrong.statusCode).toBe(404);
      expect(wrong.body).toBe(malformed.body);
      expect(wrong.json<{ code: string }>().code).toBe('NOT_FOUND');
    });

    it('waits for a gag order to end and sends the notice the day after, by itself, and not a moment before', async () => {
      const { context } = db();
      const until = day(new Date(clock.now().getTime() + 10 * DAY));
      const request = await delivered(world.officerB, { jurisdiction: 'US', nonDisclosure: { ordered: true, until } });
      const [notice] = await listNotices(context, world.reviewer, { reference: request.trackingNumber });
      expect(notice).toMatchObject({
        state: 'scheduled',
        basis: 'gag',
        notBefore: `${day(new Date(Date.parse(`${until}T00:00:00Z`) + DAY))}T00:00:00.000Z`,
      });
      clock.set(new Date(Date.parse(notice!.notBefore!) - 1000));
      await context.jobs!.drain();
      expect(await sentEvents(request.id)).toEqual([]);
      clock.set(new Date(Date.parse(notice!.notBefore!) + 1000));
      await context.jobs!.drain();
      expect((await sentEvents(request.id)).length).toBe(2);
    });

    it('holds a notice again when the gag is extended after it was planned', async () => {
      const { context } = db();
      const first = day(new Date(clock.now().getTime() + 5 * DAY));
      const later = day(new Date(clock.now().getTime() + 40 * DAY));
      const request = await delivered(world.officerB, { jurisdiction: 'US', nonDisclosure: { ordered: true, until: first } });
      await recordNonDisclosure(context, world.reviewer, {
        reference: request.trackingNumber,
        body: { ordered: true, until: later, reason: 'The court extended its 2705(b) order.' },
      });
      clock.set(new Date(Date.parse(`${first}T00:00:00Z`) + 2 * DAY));
      await context.jobs!.drain();
      expect(await sentEvents(request.id)).toEqual([]);
      clock.set(new Date(Date.parse(`${later}T00:00:00Z`) + DAY + 1000));
      await context.jobs!.drain();
      expect(await sentEvents(request.id)).toHaveLength(2);
    });

    it('withholds a notice under a gag without an end until the desk records its end', async () => {
      const { context } = db();
      const request = await delivered(world.officerB, { jurisdiction: 'US', nonDisclosure: { ordered: true } });
      const notices = await listNotices(context, world.reviewer, { reference: request.trackingNumber });
      expect(notices.map((notice) => [notice.state, notice.basis])).toEqual([
        ['withheld', 'gag_without_end'],
        ['withheld', 'gag_without_end'],
      ]);
      clock.advance(400 * DAY);
      await context.jobs!.drain();
      expect(await sentEvents(request.id)).toEqual([]);
      const ended = day(new Date(clock.now().getTime() - 3 * DAY));
      await recordNonDisclosure(context, world.reviewer, {
        reference: request.trackingNumber,
        body: { ordered: true, until: ended, reason: 'The court set the order to end; it has ended.' },
      });
      await context.jobs!.drain();
      expect(await sentEvents(request.id)).toHaveLength(2);
    });

    it('withholds a notice the law leaves to the agency (Korea, PCSA) until counsel releases it', async () => {
      const { context } = db();
      const request = await delivered(world.officerA, { jurisdiction: 'KR' });
      const notices = await listNotices(context, world.reviewer, { reference: request.trackingNumber });
      expect(notices[0]).toMatchObject({ state: 'withheld', basis: 'law' });
      expect(notices[0]!.basisDetail).toMatch(/Protection of Communications Secrets Act|PCSA|통신비밀보호법/);
      await expect(
        releaseNotice(context, world.reviewer, { reference: request.trackingNumber, noticeId: notices[0]!.id, body: { reason: 'x' } }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await releaseNotice(context, world.counsel, {
        reference: request.trackingNumber,
        noticeId: notices[0]!.id,
        body: { reason: 'The agency notified the subject on indictment; its letter is on file.' },
      });
      await context.jobs!.drain();
      expect((await sentEvents(request.id)).map((event) => event.noticeId)).toEqual([notices[0]!.id]);
    });
  },
  { WRIT_HOLD_BURST_PER_HOUR: '1000', WRIT_PUBLIC_URL: 'https://writ.demo-messenger.example' },
  { clock },
);
