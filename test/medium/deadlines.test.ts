/**
 * Deadlines for every kind and their escalation, with time moved by hand: a removal order under Indian law has three
 * hours (IT Rules r. 3(1)(d)) and an EU order against terrorist content one (TCO Art. 3(3)); the desk is reminded
 * half-way, on-call is paged (webhook and mail) when it gets close, and a deadline met pages no one. Emergencies page
 * on arrival; an overdue request shows in the overdue view.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDemoSchema, demoMessageVisible, generateDemoDataset } from '../../src/connectors/demo/demo-messenger.dataset.ts';
import { listDeadlines } from '../../src/services/deadlines.ts';
import { actOnRemoval } from '../../src/services/removal.ts';
import { submitRequest } from '../../src/services/submit-request.ts';
import { confirmRequester } from '../../src/services/verify-request.ts';
import { startJobs } from '../../src/server/context.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { HOUR, testClock } from '../support/clock.ts';
import { buildWorld, requestPayload, uploadPdf, type World } from '../support/factories.ts';

const pages: Array<{ key: string | undefined; body: Record<string, unknown> }> = [];
const hook = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString()));
  request.on('end', () => {
    pages.push({ key: request.headers['idempotency-key'] as string | undefined, body: JSON.parse(body) as Record<string, unknown> });
    response.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise<void>((resolve) => hook.close(() => resolve())));
const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/page`;

const clock = testClock();

describeOnEachDatabase(
  'deadlines and escalation',
  (db) => {
    let world: World;
    const mailFolder = () => path.join(db().context.config.WRIT_DATA_DIR, 'mail', 'outgoing');
    const mails = () => readdirSync(mailFolder(), { withFileTypes: true }).filter((entry) => entry.isFile() && entry.name.endsWith('.eml'));
    const pagesFor = (tracking: string) => pages.filter((page) => page.body.trackingNumber === tracking);
    const reminders = async (requestId: string) =>
      (
        await sql<{ stage: string; channels: string[] }>`
          SELECT data->>'stage' AS stage, data->'channels' AS channels FROM audit_events
          WHERE type = 'deadline.reminded' AND request_id = ${requestId} ORDER BY id
        `.execute(db().context.database.db)
      ).rows;
    const submit = async (overrides: Record<string, unknown>) => {
      const { context } = db();
      const documentId = await uploadPdf(context, world.officerA);
      const payload = requestPayload({ ...overrides, documentIds: [documentId] });
      const legalProcess = { ...(payload.legalProcess as object), documentIds: [documentId] };
      const receipt = await submitRequest(context, world.officerA, { payload: { ...payload, legalProcess } });
      await context.jobs!.drain();
      return (await context.store.read.requests.find({ kind: 'desk' }, receipt.trackingNumber))!;
    };

    beforeAll(async () => {
      const { context } = db();
      // Each database numbers its requests from 1: pages of the other run would match the same tracking numbers.
      pages.length = 0;
      await createDemoSchema(context.database.db);
      await generateDemoDataset(context.database.db, { users: 40, loginsPerUser: 3, messagesPerUser: 3, seed: 9 });
      world = await buildWorld(context);
      await startJobs(context);
    });

    it('gives an Indian removal order three hours, reminds half-way, pages on-call when close, and pages no one once met', async () => {
      const { context } = db();
      clock.set(new Date());
      const message = (await sql<{ id: string }>`SELECT id::text FROM demo.messages ORDER BY id LIMIT 1`.execute(context.database.db))
        .rows[0]!.id;
      const request = await submit({
        kind: 'removal',
        jurisdiction: 'IN',
        legalProcess: { instrumentType: 'removal_order', issuerType: 'administrative', issuingAuthority: 'MeitY', documentIds: [] },
        targets: [{ kind: 'url', value: `https://demo-messenger.example/messages/${message}` }],
        categories: ['content'],
        dateRange: undefined,
      });
      const received = Date.parse(request.receivedAt);
      expect(request.due).toEqual({ at: new Date(received + 3 * HOUR).toISOString(), basis: 'in.takedown' });
      // The request's schedule also holds its review's clocks (services/re-review.ts); these are the reminders.
      const tasks = (await context.store.read.schedule.forRequest(request.id)).filter((task) => task.key.startsWith('deadline:'));
      expect(tasks.map((task) => [task.payload.stage, Date.parse(task.dueAt) - received])).toEqual([
        ['reminder', 1.5 * HOUR],
        ['escalation', 2.4 * HOUR],
        ['overdue', 3 * HOUR],
      ]);
      const view = await listDeadlines({ ...context, clock }, world.reviewer, {});
      expect(view.items.find((item) => item.requestId === request.id)).toMatchObject({ what: 'response', overdue: false });

      // Nothing is due yet: moving time a little sends nothing.
      clock.set(new Date(received + 1.4 * HOUR));
      await context.jobs!.drain();
      expect(await reminders(request.id)).toEqual([]);

      clock.set(new Date(received + 1.5 * HOUR + 1000));
      await context.jobs!.drain();
      expect(await reminders(request.id)).toEqual([{ stage: 'reminder', channels: ['desk_email'] }]);
      const reminderMail = mails().find((entry) =>
        readFileSync(path.join(mailFolder(), entry.name), 'utf8').includes(request.trackingNumber),
      );
      expect(readFileSync(path.join(mailFolder(), reminderMail!.name), 'utf8')).toContain('To: desk@platform.example');
      expect(pagesFor(request.trackingNumber)).toEqual([]);

      clock.set(new Date(received + 2.4 * HOUR + 1000));
      await context.jobs!.drain();
      // Run the scan and the queue again: nothing is sent twice.
      await context.jobs!.drain();
      expect(await reminders(request.id)).toEqual([
        { stage: 'reminder', channels: ['desk_email'] },
        { stage: 'escalation', channels: ['desk_email', 'oncall_webhook', 'oncall_email'] },
      ]);
      const paged = pagesFor(request.trackingNumber);
      expect(paged).toHaveLength(1);
      expect(paged[0]!.body).toMatchObject({ kind: 'removal', reason: 'Deadline close', due: request.due!.at });
      expect(paged[0]!.key).toMatch(/^page-\d+$/);
      // The page carries no personal data: not the content's URL, not the agency's summary.
      expect(JSON.stringify(paged[0]!.body)).not.toContain('demo-messenger.example/messages');

      // The desk confirms the requester (held: an Indian order from a Korean agency) and takes the content down.
      await confirmRequester(context, world.reviewer, { reference: request.trackingNumber });
      const targets = await context.store.read.requests.targets(request.id);
      await actOnRemoval(context, world.reviewer, {
        reference: request.trackingNumber,
        body: { items: [{ targetId: targets[0]!.id, action: 'removed', reasons: 'Named in the order under IT Rules r. 3(1)(d).' }] },
      });
      await context.jobs!.drain();
      expect(await demoMessageVisible(context.database.db, message, 'IN')).toBe(false);

      clock.set(new Date(received + 3 * HOUR + 1000));
      await context.jobs!.drain();
      expect(await reminders(request.id)).toHaveLength(2);
      expect(pagesFor(request.trackingNumber)).toHaveLength(1);
      const deadlineTasks = (await context.store.read.schedule.forRequest(request.id)).filter((task) => task.key.startsWith('deadline:'));
      expect(deadlineTasks.map((task) => task.outcome)).toEqual(['sent', 'sent', 'met']);
      const after = await listDeadlines({ ...context, clock }, world.reviewer, {});
      expect(after.items.find((item) => item.requestId === request.id)).toBeUndefined();
    });

    it('gives an EU removal order against terrorist content one hour', async () => {
      clock.set(new Date());
      const request = await submit({
        kind: 'removal',
        jurisdiction: 'DE',
        summary: 'Terrorist propaganda video inciting attacks (TCO Regulation).',
        legalProcess: { instrumentType: 'removal_order', issuingAuthority: 'Bundeskriminalamt', documentIds: [] },
        targets: [{ kind: 'url', value: 'https://demo-messenger.example/messages/2' }],
        categories: ['content'],
        dateRange: undefined,
      });
      expect(request.due).toEqual({ at: new Date(Date.parse(request.receivedAt) + HOUR).toISOString(), basis: 'eu.tco.basis' });
    });

    it('shows an unanswered request as overdue and pages on-call when its deadline passes', async () => {
      const { context } = db();
      clock.set(new Date());
      const due = new Date(clock.now().getTime() + HOUR).toISOString();
      const request = await submit({ deadline: due });
      expect(request.due).toEqual({ at: due, basis: 'agency' });
      clock.set(new Date(Date.parse(due) - 0.2 * HOUR + 1000));
      await context.jobs!.drain();
      // The desk was not reminded half-way (Writ was down, say): only the stage that is current goes out, not a burst.
      expect((await reminders(request.id)).map((entry) => entry.stage)).toEqual(['escalation']);
      clock.set(new Date(Date.parse(due) + 1000));
      await context.jobs!.drain();
      expect((await reminders(request.id)).map((entry) => entry.stage)).toEqual(['escalation', 'overdue']);
      const deadlineTasks = (await context.store.read.schedule.forRequest(request.id)).filter((task) => task.key.startsWith('deadline:'));
      expect(deadlineTasks.map((task) => task.outcome)).toEqual(['skipped', 'sent', 'sent']);
      // A one-hour deadline is urgent: the escalation pages, and so does the overdue reminder.
      expect(pagesFor(request.trackingNumber).map((page) => page.body.reason)).toEqual(['Deadline close', 'Deadline passed']);
      const overdue = await listDeadlines({ ...context, clock }, world.counsel, { overdue: 'true' });
      expect(overdue.items.find((item) => item.requestId === request.id)).toMatchObject({
        what: 'response',
        overdue: true,
        basis: 'agency',
      });
      expect(overdue.items.every((item) => item.overdue)).toBe(true);
    });

    it('pages on-call as soon as an emergency request arrives', async () => {
      clock.set(new Date());
      const request = await submit({
        kind: 'emergency',
        legalProcess: { instrumentType: 'emergency_request', documentIds: [] },
        emergency: { dangerDescription: 'A kidnapping victim is held; threat to life within hours.', attestation: true },
      });
      expect(pagesFor(request.trackingNumber).map((page) => page.body.reason)).toEqual(['Emergency request received']);
    });
  },
  {
    WRIT_DESK_EMAIL: 'desk@platform.example',
    WRIT_ONCALL_EMAIL: 'oncall@platform.example',
    WRIT_ONCALL_WEBHOOK_URL: hookUrl,
    WRIT_HOLD_BURST_PER_HOUR: '1000',
  },
  { clock },
);
