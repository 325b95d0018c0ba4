/**
 * Removal orders on the demo messenger: the desk takes one message down, withholds another in the requesting country
 * and keeps a third, each with a statement of reasons; the platform does it (and doing it again changes nothing), the
 * `removal.actioned` events count what was done, and the authors of what was taken down or withheld are told why. A
 * connector that cannot act says so.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { createDemoSchema, demoMessageVisible, generateDemoDataset } from '../../src/connectors/demo/demo-messenger.dataset.ts';
import type { PlatformConnector } from '../../src/core/connector.ts';
import { listNotices, readNotice } from '../../src/services/notices.ts';
import { actOnRemoval, getRemoval, runRemoval } from '../../src/services/removal.ts';
import { submitRequest } from '../../src/services/submit-request.ts';
import { startJobs } from '../../src/server/context.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, requestPayload, uploadPdf, type World } from '../support/factories.ts';
import { readMail } from '../support/mail.ts';

describeOnEachDatabase(
  'removal orders',
  (db) => {
    let world: World;
    let messages: Array<{ id: string; sender: string }>;
    const submitOrder = async (targets: Array<{ kind: string; value: string }>) => {
      const { context } = db();
      const documentId = await uploadPdf(context, world.officerA);
      const payload = requestPayload({
        kind: 'removal',
        jurisdiction: 'KR',
        summary: 'Defamatory posts naming a private person; KCSC correction request.',
        categories: ['content'],
        dateRange: undefined,
      });
      const legalProcess = { instrumentType: 'removal_order', issuingAuthority: 'KCSC', documentIds: [documentId] };
      const receipt = await submitRequest(context, world.officerA, { payload: { ...payload, targets, legalProcess } });
      await context.jobs!.drain();
      return (await context.store.read.requests.find({ kind: 'desk' }, receipt.trackingNumber))!;
    };
    const actioned = async (requestId: string) =>
      (
        await sql<{ data: { action: string; items: number } }>`
          SELECT data FROM audit_events WHERE request_id = ${requestId} AND type = 'removal.actioned' ORDER BY data->>'action'
        `.execute(db().context.database.db)
      ).rows.map(({ data }) => ({ action: data.action, items: data.items }));

    beforeAll(async () => {
      const { context } = db();
      await createDemoSchema(context.database.db);
      await generateDemoDataset(context.database.db, { users: 30, loginsPerUser: 2, messagesPerUser: 3, seed: 6 });
      world = await buildWorld(context);
      await startJobs(context);
      messages = (
        await sql<{ id: string; sender: string }>`
          SELECT DISTINCT ON (m.sender_id) m.id::text, m.sender_id::text AS sender FROM demo.messages m
          JOIN demo.accounts a ON a.id = m.sender_id WHERE m.body IS NOT NULL AND a.email IS NOT NULL ORDER BY m.sender_id, m.id LIMIT 3
        `.execute(context.database.db)
      ).rows;
      expect(new Set(messages.map((message) => message.sender)).size).toBe(3);
    });

    it('removes, restricts in the requesting country or keeps each item, once, and tells the authors why', async () => {
      const { context } = db();
      const [taken, withheld, kept] = messages;
      const request = await submitOrder([
        { kind: 'url', value: `https://demo-messenger.example/messages/${taken!.id}` },
        { kind: 'content_id', value: `message:${withheld!.id}` },
        { kind: 'content_id', value: kept!.id },
        { kind: 'url', value: 'https://demo-messenger.example/messages/999999999' },
      ]);
      expect(request.state).toBe('in_review');
      const targets = await context.store.read.requests.targets(request.id);
      // Every item must be decided.
      await expect(
        actOnRemoval(context, world.reviewer, {
          reference: request.trackingNumber,
          body: { items: [{ targetId: targets[0]!.id, action: 'removed', reasons: 'x' }] },
        }),
      ).rejects.toMatchObject({ code: 'DECISION_SCOPE_INVALID' });
      const changed = await actOnRemoval(context, world.reviewer, {
        reference: request.trackingNumber,
        body: {
          items: [
            {
              targetId: targets[0]!.id,
              action: 'removed',
              reasons: 'Defames a private person (Criminal Act art. 307); illegal everywhere we operate.',
            },
            { targetId: targets[1]!.id, action: 'restricted', reasons: 'Unlawful in Korea under the ICNA; lawful elsewhere.' },
            { targetId: targets[2]!.id, action: 'kept', reasons: 'Opinion on a public matter; not unlawful.' },
            { targetId: targets[3]!.id, action: 'removed', reasons: 'Named in the order.' },
          ],
        },
      });
      expect(changed.state).toBe('actioned');
      await context.jobs!.drain();
      expect(await demoMessageVisible(context.database.db, taken!.id, 'US')).toBe(false);
      expect(await demoMessageVisible(context.database.db, withheld!.id, 'KR')).toBe(false);
      expect(await demoMessageVisible(context.database.db, withheld!.id, 'US')).toBe(true);
      expect(await demoMessageVisible(context.database.db, kept!.id, 'KR')).toBe(true);
      const actions = await getRemoval(context, world.reviewer, { reference: request.trackingNumber });
      // The agency sees what was done, not who wrote the content.
      const seenByAgency = await getRemoval(context, world.officerA, { reference: request.trackingNumber });
      expect(seenByAgency.map((action) => action.authorAccount)).toEqual([null, null, null, null]);
      expect(actions[0]!.authorAccount).toBe(taken!.sender);
      expect(actions.map((action) => [action.action, action.state, action.countries, action.contentId])).toEqual([
        ['removed', 'done', [], `message:${taken!.id}`],
        ['restricted', 'done', ['KR'], `message:${withheld!.id}`],
        ['kept', 'done', [], `message:${kept!.id}`],
        ['removed', 'not_found', [], null],
      ]);
      expect(await actioned(request.id)).toEqual([
        { action: 'kept', items: 1 },
        { action: 'removed', items: 1 },
        { action: 'restricted', items: 1 },
      ]);

      // The job runs again: the platform is not acted on twice, nothing is counted twice.
      await context.store.transaction((r) => r.outbox.add('request.act-on-removal', { requestId: request.id }));
      await context.jobs!.drain();
      expect(await actioned(request.id)).toHaveLength(3);

      // The authors of what was taken down or withheld are told, with the statement of reasons; the third is not.
      const notices = await listNotices(context, world.reviewer, { reference: request.trackingNumber });
      expect(notices.map((notice) => [notice.purpose, notice.state, notice.targetId])).toEqual([
        ['removal', 'sent', targets[0]!.id],
        ['removal', 'sent', targets[1]!.id],
      ]);
      const folder = path.join(context.config.WRIT_DATA_DIR, 'mail', 'outgoing');
      const mail = readMail(
        path.join(
          folder,
          readdirSync(folder).find((name) => name.startsWith(`notice-${notices[1]!.id}`))!,
        ),
      );
      const author = await sql<{ email: string }>`SELECT email FROM demo.accounts WHERE id = ${withheld!.sender}::bigint`.execute(
        context.database.db,
      );
      expect(mail).toContain(`To: ${author.rows[0]!.email}`);
      const token = /\/notice\/(writ_n_[A-Za-z0-9_-]{43})/.exec(mail)![1]!;
      const view = await readNotice(context, { token });
      expect(view.removal).toEqual({
        action: 'restricted',
        countries: ['KR'],
        content: `message:${withheld!.id}`,
        statementOfReasons: 'Unlawful in Korea under the ICNA; lawful elsewhere.',
        actedAt: actions[1]!.actedAt,
        automated: false,
      });
      expect(view.disclosed).toEqual([]);
    });

    it('answers "not supported" where the connector cannot act on the platform, and counts nothing as done', async () => {
      const { context } = db();
      const request = await submitOrder([{ kind: 'url', value: `https://demo-messenger.example/messages/${messages[2]!.id}` }]);
      const [target] = await context.store.read.requests.targets(request.id);
      await context.store.transaction(async (r) => {
        // Acted on with the job held back, then run with a read-only connector.
        await actOnRemoval({ store: { read: r, transaction: (work) => work(r) } }, world.reviewer, {
          reference: request.trackingNumber,
          body: { items: [{ targetId: target!.id, action: 'removed', reasons: 'Named in the order.' }] },
        });
      });
      const { act: _act, ...readOnly } = context.connector;
      const actions = await runRemoval({ ...context, connector: readOnly as PlatformConnector }, { requestId: request.id });
      expect(actions.map((action) => [action.state, action.detail])).toEqual([
        ['not_supported', 'The demo connector cannot act on the platform; act there by hand and record it.'],
      ]);
      expect(await actioned(request.id)).toEqual([]);
      expect(await demoMessageVisible(context.database.db, messages[2]!.id, 'KR')).toBe(true);
    });
  },
  { WRIT_HOLD_BURST_PER_HOUR: '1000' },
);
