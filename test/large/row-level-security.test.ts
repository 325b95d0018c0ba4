/**
 * The second wall between agencies, on PostgreSQL: with an agency's scope set, row-level security hides every other
 * agency's rows from any query — one that forgets its WHERE clause included — and refuses writes to them; desk notes
 * are hidden from every agency. The PostgreSQL suites connect as an ordinary role that owns its database
 * (`test/support/databases.ts`), so the wall is in force for all of them, as it is for an operator set up that way.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { currentAgencyScope, rowLevelSecurity, runInAgencyScope } from '../../src/db/agency-scope.ts';
import { addNote } from '../../src/services/add-note.ts';
import { postMessage } from '../../src/services/post-message.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import type { AppContext } from '../../src/server/context.ts';
import { openTestContext } from '../support/databases.ts';
import { buildWorld, sessionFor, submitted, type World } from '../support/factories.ts';

const postgresUrl = process.env.TEST_DATABASE_URL;

(postgresUrl ? describe : describe.skip)('row-level security [postgres]', () => {
  let context: AppContext;
  let dispose: () => Promise<void>;
  let world: World;
  let app: App;
  let trackingA: string;
  let requestIdA: string;

  beforeAll(async () => {
    ({ context, dispose } = await openTestContext('postgres'));
    world = await buildWorld(context);
    app = await buildApp(context);
    trackingA = await submitted(context, world.officerA);
    requestIdA = (await context.store.read.requests.find({ kind: 'desk' }, trackingA))!.id;
    await postMessage(context, world.officerA, { reference: trackingA, body: { body: 'The suspect may delete the account.' } });
    await addNote(context, world.reviewer, { reference: trackingA, body: { body: 'Desk only: check the warrant date.' } });
  });
  afterAll(async () => {
    await app.close();
    await dispose();
  });

  /** What one query with no agency condition at all sees of agency A's request, its parts and its desk note. */
  const visible = async () => {
    const { rows } = await sql<Record<string, string>>`
      SELECT (SELECT count(*) FROM requests WHERE id = ${requestIdA})::text AS requests,
             (SELECT count(*) FROM targets WHERE request_id = ${requestIdA})::text AS targets,
             (SELECT count(*) FROM documents WHERE request_id = ${requestIdA})::text AS documents,
             (SELECT count(*) FROM messages WHERE request_id = ${requestIdA})::text AS messages,
             (SELECT count(*) FROM notes WHERE request_id = ${requestIdA})::text AS notes
    `.execute(context.database.db);
    return rows[0];
  };

  it('is in force for the role Writ connects as, and not for a superuser', async () => {
    expect(await rowLevelSecurity(context.database.db)).toBe('enforced');
    const superuser = await openDatabase({ url: postgresUrl });
    try {
      expect(await rowLevelSecurity(superuser.db)).toBe('bypassed');
    } finally {
      await superuser.close();
    }
  });

  it("hides another agency's request and all its parts from a query with no WHERE on the agency", async () => {
    expect(await visible()).toEqual({ requests: '1', targets: '2', documents: '1', messages: '1', notes: '1' });
    expect(await runInAgencyScope(world.agencyA, visible)).toEqual({
      requests: '1',
      targets: '2',
      documents: '1',
      messages: '1',
      notes: '0',
    });
    expect(await runInAgencyScope(world.agencyB, visible)).toEqual({
      requests: '0',
      targets: '0',
      documents: '0',
      messages: '0',
      notes: '0',
    });
    // A repository asked for the request with the desk's (unscoped) reach still finds nothing for agency B.
    expect(await runInAgencyScope(world.agencyB, () => context.store.read.requests.find({ kind: 'desk' }, trackingA))).toBeUndefined();
    expect(await runInAgencyScope(world.agencyA, () => context.store.read.requests.find({ kind: 'desk' }, trackingA))).toBeDefined();
  });

  it("refuses to change or add to another agency's request", async () => {
    const { db } = context.database;
    const changed = await runInAgencyScope(world.agencyB, () =>
      db.updateTable('requests').set({ summary: 'overwritten' }).where('id', '=', requestIdA).executeTakeFirst(),
    );
    expect(changed.numUpdatedRows).toBe(0n);
    await expect(
      runInAgencyScope(world.agencyB, () =>
        db.insertInto('targets').values({ request_id: requestIdA, position: 99, kind: 'username', value: 'planted', note: null }).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    // Moving its own request over to agency A is refused too.
    const own = await submitted(context, world.officerB);
    await expect(
      runInAgencyScope(world.agencyB, () =>
        db.updateTable('requests').set({ agency_id: world.agencyA }).where('tracking_number', '=', own).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    expect((await context.store.read.requests.find({ kind: 'desk' }, trackingA))?.summary).not.toBe('overwritten');
  });

  it("serves each agency's people inside their scope over HTTP: their own work goes on, another's answers as missing", async () => {
    const cookies = new Map<World['officerA'], { cookie: string }>();
    for (const actor of [world.officerA, world.officerB, world.reviewer]) {
      cookies.set(actor, { cookie: `writ_session=${await sessionFor(context, actor)}` });
    }
    const as = (actor: World['officerA']) => cookies.get(actor)!;
    // Which agency's scope each handler below did its database work in.
    const scopes: Array<string | undefined> = [];
    const transaction = context.store.transaction.bind(context.store);
    const spy = vi.spyOn(context.store, 'transaction').mockImplementation((work) => {
      scopes.push(currentAgencyScope());
      return transaction(work);
    });
    const own = await app.inject({ method: 'GET', url: `/api/v1/requests/${trackingA}`, headers: as(world.officerA) });
    expect(own.statusCode).toBe(200);
    const reply = await app.inject({
      method: 'POST',
      url: `/api/v1/requests/${trackingA}/messages`,
      headers: as(world.officerA),
      payload: { body: 'The account is still active.' },
    });
    expect(reply.statusCode).toBe(201);
    const other = await app.inject({ method: 'GET', url: `/api/v1/requests/${trackingA}`, headers: as(world.officerB) });
    const missing = await app.inject({ method: 'GET', url: '/api/v1/requests/WR-2026-999999', headers: as(world.officerB) });
    expect(other.statusCode).toBe(404);
    expect(other.body).toBe(missing.body);
    const desk = await app.inject({ method: 'GET', url: `/api/v1/requests/${trackingA}`, headers: as(world.reviewer) });
    expect(desk.statusCode).toBe(200);
    spy.mockRestore();
    expect(scopes).toEqual([world.agencyA, world.agencyA, world.agencyB, world.agencyB, undefined]);
    // The scope ends with the call: the connections the pool hands out afterwards see every row again.
    expect(await visible()).toMatchObject({ requests: '1', messages: '2', notes: '1' });
  });
});
