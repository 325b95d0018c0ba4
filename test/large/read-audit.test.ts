/**
 * Every read of a request's data leaves a trace. This walks every route of the app's own OpenAPI document, calls each
 * GET (and each other read-only route) as a role allowed to, against seeded requests, and fails when the call leaves
 * no audit event about that request — or, for a list, no `request.list_viewed` event naming it. A route that returns
 * no request data must be in the short allow-list below, with why; a route added to the API without either fails here.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { can, type Actor, type Permission } from '../../src/core/actor.ts';
import { createDemoSchema, DEMO_REFERENCE_INSTANT, generateDemoDataset } from '../../src/connectors/demo/demo-messenger.dataset.ts';
import { buildApp, type App, type RouteEntry } from '../../src/server/app.ts';
import { startJobs } from '../../src/server/context.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, sessionFor, submitted, type World } from '../support/factories.ts';

/** Routes that return no request data, each with why. Keep it short: a route that reads a request does not belong here. */
const NO_REQUEST_DATA: Readonly<Record<string, string>> = {
  'GET /api/v1/me': 'the caller’s own account',
  'GET /api/v1/auth/passkeys': 'the caller’s own passkeys',
  'GET /api/v1/auth/sessions': 'the caller’s own sessions',
  'GET /api/v1/tokens': 'the caller’s own API tokens (names, dates, scope; never a request)',
  'GET /api/v1/users': 'people, not requests (audited as user.list_viewed)',
  'GET /api/v1/security-events': 'failed and suspicious attempts (audited as audit.security_events_viewed)',
  'GET /api/v1/agency': 'the caller’s own agency',
  'GET /api/v1/agencies': 'the agency directory',
  'GET /api/v1/agencies/{id}': 'one directory entry',
  'GET /api/v1/settings': 'the policy, rule packs and connector in force',
  'GET /api/v1/signing-keys': 'public keys',
  'GET /api/v1/demo/accounts': 'the demo’s sign-in aid',
  'GET /api/v1/jobs/dead-letters': 'failed jobs: a topic, ids and the error, no request content',
  'GET /api/v1/audit/tree-heads/latest': 'signed tree heads: hashes',
  'GET /api/v1/audit/tree-heads': 'signed tree heads: hashes',
  'GET /api/v1/audit/tree-heads/{treeSize}': 'a signed tree head: hashes',
  'GET /api/v1/audit/consistency': 'a consistency proof: hashes',
  'GET /api/v1/audit/events/{leafIndex}': 'one log entry as held, to auditors (audited as audit.event_viewed)',
  'GET /api/v1/transparency/report': 'aggregates per country and kind, never one request',
  'GET /api/v1/transparency/report.csv': 'aggregates per country and kind, never one request',
  'GET /api/v1/transparency/report.pdf': 'aggregates per country and kind, never one request',
  'GET /api/v1/transparency/periods': 'the periods a report covers',
  'GET /api/v1/notices/{token}': 'the public notice page: its views are recorded by the notice-link work (issue 17, part a)',
  'GET /api/v1/intake/messages': 'mail summaries (sender, subject, status, a count of attachments); opening one is audited',
  'GET /api/v1/intake/messages/{id}': 'mail before it is a request (audited as intake.message_viewed)',
  'GET /api/v1/intake/messages/{id}/raw': 'mail before it is a request (audited as intake.message_viewed)',
  'GET /api/v1/intake/drafts': 'draft summaries (kind, agency, country, a count of targets, no target); opening one is audited',
  'GET /api/v1/intake/drafts/{reference}': 'a draft before it is a request (audited as intake.draft_viewed)',
  'POST /api/v1/requests/preview-findings': 'findings for a draft in the body: nothing stored is read',
};

/** Routes that read many requests at once: each call must leave one list event (its type here). */
const LISTS: ReadonlyMap<string, string> = new Map([
  ['GET /api/v1/requests', 'request.list_viewed'],
  ['GET /api/v1/deadlines', 'request.list_viewed'],
  // Statements of reasons for the removal orders of a period, without personal data: the export is the event.
  ['GET /api/v1/transparency/dsa-statements', 'dsa.statements_exported'],
]);

/** Read-only routes other than GET (they change nothing but answer with data). */
const READ_ONLY_OTHER = new Set(['POST /api/v1/requests/preview-findings']);

/** Non-GET routes are writes: each records its own event (the authorization matrix and the suites of each cover them). */
const isRead = (key: string) => key.startsWith('GET ') || READ_ONLY_OTHER.has(key);

describeOnEachDatabase('every read of request data is audited', (db) => {
  let app: App;
  let world: World;
  let delivered: { tracking: string; id: string };
  let preserved: { tracking: string; id: string };
  let documentId: string;
  const cookies = new Map<Actor, Record<string, string>>();

  const idOf = async (tracking: string) =>
    (await db().context.database.db.selectFrom('requests').select('id').where('tracking_number', '=', tracking).executeTakeFirstOrThrow())
      .id;
  const lastEventId = async () =>
    Number((await sql<{ id: string | null }>`SELECT max(id) AS id FROM audit_events`.execute(db().context.database.db)).rows[0]?.id ?? 0);
  const eventsSince = (since: number) =>
    db().context.database.db.selectFrom('audit_events').select(['type', 'request_id', 'data']).where('id', '>', String(since)).execute();

  beforeAll(async () => {
    const { context } = db();
    await createDemoSchema(context.database.db);
    await generateDemoDataset(context.database.db, { users: 20, loginsPerUser: 2, messagesPerUser: 2, seed: 11 });
    world = await buildWorld(context);
    app = await buildApp(context);
    await startJobs(context);
    for (const actor of [world.officerA, world.officerB, world.reviewer, world.counsel, world.auditor, world.admin]) {
      cookies.set(actor, { cookie: `writ_session=${await sessionFor(context, actor)}` });
    }
    const as = (actor: Actor) => cookies.get(actor) ?? {};
    // A delivered disclosure: findings, production, receipt, download, the document, callbacks, notices, removal.
    const tracking = await submitted(context, world.officerA, {
      categories: ['subscriber'],
      targets: [{ kind: 'username', value: 'minjun.kim' }],
      dateRange: { from: new Date(Date.parse(DEMO_REFERENCE_INSTANT) - 30 * 86_400_000).toISOString(), to: DEMO_REFERENCE_INSTANT },
    });
    await context.jobs!.drain();
    const approve = await app.inject({
      method: 'POST',
      url: `/api/v1/requests/${tracking}/approve`,
      headers: as(world.counsel),
      payload: {},
    });
    expect(approve.statusCode).toBe(200);
    const produce = await app.inject({
      method: 'POST',
      url: `/api/v1/requests/${tracking}/produce`,
      headers: as(world.counsel),
      payload: {},
    });
    expect(produce.statusCode).toBe(200);
    await context.jobs!.drain();
    delivered = { tracking, id: await idOf(tracking) };
    documentId = (await context.store.read.documents.listForRequest(delivered.id))[0]?.id ?? '';
    expect(documentId).not.toBe('');
    // A preservation in force, for its own view.
    const preservation = await submitted(context, world.officerB, {
      kind: 'preservation',
      jurisdiction: 'US',
      targets: [{ kind: 'username', value: 'minjun.kim' }],
      categories: ['traffic'],
    });
    await context.jobs!.drain();
    await app.inject({
      method: 'POST',
      url: `/api/v1/requests/${preservation}/approve`,
      headers: as(world.counsel),
      payload: { reason: 'A 2703(f) letter.' },
    });
    const started = await app.inject({
      method: 'POST',
      url: `/api/v1/requests/${preservation}/preserve`,
      headers: as(world.reviewer),
      payload: {},
    });
    expect(started.statusCode).toBe(200);
    await context.jobs!.drain();
    preserved = { tracking: preservation, id: await idOf(preservation) };
  });
  afterAll(async () => {
    await app.close();
  });

  /** The people allowed to call a route (the desk's auditor first: it reads everything), from the app's route table. */
  const allowed = (entry: RouteEntry | undefined): Actor[] =>
    [world.auditor, world.reviewer, world.counsel, world.officerA, world.officerB].filter((actor) => {
      if (!entry || entry.public || entry.permission === undefined || entry.permission === 'signed_in') return true;
      return can(actor, entry.permission as Permission);
    });

  it('walks the OpenAPI document: each read of a request leaves an event on its trail, each list page one list event', async () => {
    await app.ready();
    const spec = app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const table = (app as unknown as { routeTable: RouteEntry[] }).routeTable;
    const walked: string[] = [];
    const failures: string[] = [];
    for (const [path, operations] of Object.entries(spec.paths)) {
      for (const method of Object.keys(operations)) {
        const key = `${method.toUpperCase()} ${path}`;
        if (!isRead(key) || key in NO_REQUEST_DATA) continue;
        const fastifyPath = path.replace(/\{(\w+)\}/g, ':$1');
        const entry = table.find((route) => route.method === method.toUpperCase() && route.url === fastifyPath);
        const readers = allowed(entry);
        if (readers.length === 0) failures.push(`${key}: no seeded person may call it`);
        for (const actor of readers) {
          // Try each seeded request until one has what the route shows (a preservation, a production…).
          const candidates = path.includes('{reference}') ? [delivered, preserved] : [delivered];
          let answered = false;
          for (const seeded of candidates) {
            const url = path.replace('{reference}', seeded.tracking).replace('{id}', documentId);
            const before = await lastEventId();
            const response = await app.inject({ method: method.toUpperCase() as 'GET', url, headers: cookies.get(actor) ?? {} });
            if (response.statusCode >= 400) continue;
            answered = true;
            const events = await eventsSince(before);
            const ok = LISTS.has(key)
              ? events.some((event) => event.type === LISTS.get(key))
              : events.some((event) => event.request_id === seeded.id);
            if (!ok) failures.push(`${key} as ${actor.roles.join(',')}: ${response.statusCode} and no audit event for ${seeded.tracking}`);
            break;
          }
          if (!answered && !LISTS.has(key)) {
            // Someone allowed must be able to read it for the walk to mean anything; other roles may be refused by scope.
            if (actor === readers[0]) failures.push(`${key} as ${actor.roles.join(',')}: no seeded request answered it`);
          }
          walked.push(`${key} as ${actor.roles.join(',')}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // The walk reached the routes the red team named, and the allow-list names only routes that exist.
    for (const named of ['status', 'callbacks', 'notices', 'removal', 'production/receipt', 'preservation']) {
      expect(walked.some((line) => line.startsWith(`GET /api/v1/requests/{reference}/${named} `))).toBe(true);
    }
    expect(walked.some((line) => line.startsWith('GET /api/v1/requests as'))).toBe(true);
    for (const key of Object.keys(NO_REQUEST_DATA)) {
      const [method, path] = key.split(' ') as [string, string];
      expect(spec.paths[path]?.[method.toLowerCase()], key).toBeDefined();
    }
  });

  it('records one list event per page, naming the requests it showed, searches included', async () => {
    const before = await lastEventId();
    const page = await app.inject({
      method: 'GET',
      url: `/api/v1/requests?q=${delivered.tracking}`,
      headers: cookies.get(world.reviewer) ?? {},
    });
    expect(page.statusCode).toBe(200);
    const events = (await eventsSince(before)).filter((event) => event.type === 'request.list_viewed');
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({ list: 'requests', requestIds: [delivered.id], filtered: true });
  });

  it('covers a poll that repeats within a minute by the first read, and records the first read after a change', async () => {
    const reviewer = cookies.get(world.reviewer) ?? {};
    const statusEvents = async () =>
      (await eventsSince(0)).filter(
        (event) =>
          event.request_id === delivered.id && event.type === 'request.viewed' && (event.data as { part?: string }).part === 'status',
      ).length;
    const start = await statusEvents();
    for (let poll = 0; poll < 5; poll += 1) {
      expect(
        (await app.inject({ method: 'GET', url: `/api/v1/requests/${delivered.tracking}/status`, headers: reviewer })).statusCode,
      ).toBe(200);
    }
    expect(await statusEvents()).toBe(start + 1);
    // Another person's poll is their own trace.
    await app.inject({ method: 'GET', url: `/api/v1/requests/${delivered.tracking}/status`, headers: cookies.get(world.officerA) ?? {} });
    expect(await statusEvents()).toBe(start + 2);
    // Something happens to the request: the next read is recorded again.
    const note = await app.inject({
      method: 'POST',
      url: `/api/v1/requests/${delivered.tracking}/notes`,
      headers: reviewer,
      payload: { body: 'Checked.' },
    });
    expect(note.statusCode).toBe(201);
    await app.inject({ method: 'GET', url: `/api/v1/requests/${delivered.tracking}/status`, headers: reviewer });
    expect(await statusEvents()).toBe(start + 3);
  });
});
