/** From approval to a downloaded package that stock tools and writ verify accept, and that fails them once tampered. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDemoSchema, DEMO_REFERENCE_INSTANT, generateDemoDataset } from '../../src/connectors/demo/demo-messenger.dataset.ts';
import { verifyBagDirectory } from '../../src/evidence/bag-verifier.ts';
import type { PlatformConnector } from '../../src/core/connector.ts';
import { approveRequest } from '../../src/services/approve-request.ts';
import { startProduction } from '../../src/services/production.ts';
import { runProduction } from '../../src/services/run-production.ts';
import { verifyRequest } from '../../src/services/verify-request.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { startJobs } from '../../src/server/context.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { stockChecks } from '../support/stock-tools.ts';
import { buildWorld, multipartBody, PDF_BYTES, sessionFor, submitted, type World } from '../support/factories.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'writ-production-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describeOnEachDatabase('productions', (db) => {
  let app: App;
  let world: World;
  let officer: Record<string, string>;
  let officerB: Record<string, string>;
  let counsel: Record<string, string>;
  let tracking: string;

  beforeAll(async () => {
    const { context } = db();
    await createDemoSchema(context.database.db);
    await generateDemoDataset(context.database.db, { users: 300, loginsPerUser: 20, messagesPerUser: 4, seed: 5 });
    world = await buildWorld(context);
    app = await buildApp(context);
    await startJobs(context);
    officer = { cookie: `writ_session=${await sessionFor(context, world.officerA)}` };
    officerB = { cookie: `writ_session=${await sessionFor(context, world.officerB)}` };
    counsel = { cookie: `writ_session=${await sessionFor(context, world.counsel)}` };
  });
  afterAll(async () => {
    await app.close();
  });

  it('produces exactly the approved scope, delivers it, and the officer downloads a package that verifies', async () => {
    const { context } = db();
    const form = multipartBody(Buffer.concat([PDF_BYTES, Buffer.from('warrant 1')]));
    const document = (
      await app.inject({ method: 'POST', url: '/api/v1/documents', headers: { ...officer, ...form.headers }, payload: form.payload })
    ).json<{ id: string }>();
    const submitted = await app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      headers: officer,
      payload: {
        kind: 'disclosure',
        jurisdiction: 'KR',
        legalProcess: { instrumentType: 'search_warrant', issuingAuthority: 'Seoul Central District Court', documentIds: [document.id] },
        targets: [
          { kind: 'phone', value: '+82 10-1234-5678' },
          { kind: 'email', value: 'Nobody.Here@Example.KR' },
        ],
        categories: ['subscriber', 'traffic', 'location'],
        dateRange: { from: new Date(Date.parse(DEMO_REFERENCE_INSTANT) - 60 * 86_400_000).toISOString(), to: DEMO_REFERENCE_INSTANT },
      },
    });
    expect(submitted.statusCode).toBe(201);
    tracking = submitted.json<{ trackingNumber: string }>().trackingNumber;
    await context.jobs!.drain();
    const view = (await app.inject({ method: 'GET', url: `/api/v1/requests/${tracking}`, headers: counsel })).json<{
      targets: Array<{ id: string }>;
    }>();
    const [phone, email] = view.targets;
    // Counsel approves subscriber and traffic of the phone target, location of the email target; not the rest.
    const approved = await app.inject({
      method: 'POST',
      url: `/api/v1/requests/${tracking}/approve`,
      headers: counsel,
      payload: {
        items: [
          { targetId: phone!.id, category: 'subscriber', approved: true },
          { targetId: phone!.id, category: 'traffic', approved: true },
          { targetId: phone!.id, category: 'location', approved: true },
          { targetId: email!.id, category: 'subscriber', approved: true },
        ],
      },
    });
    expect(approved.json()).toMatchObject({ state: 'partially_approved' });
    expect(
      (await app.inject({ method: 'POST', url: `/api/v1/requests/${tracking}/produce`, headers: officer, payload: {} })).statusCode,
    ).toBe(403);
    const started = await app.inject({ method: 'POST', url: `/api/v1/requests/${tracking}/produce`, headers: counsel, payload: {} });
    expect(started.json()).toMatchObject({ state: 'producing' });
    await context.jobs!.drain();

    const status = await app.inject({ method: 'GET', url: `/api/v1/requests/${tracking}/status`, headers: officer });
    expect(status.json()).toMatchObject({ state: 'delivered' });
    const production = (await app.inject({ method: 'GET', url: `/api/v1/requests/${tracking}/production`, headers: officer })).json<{
      state: string;
      outcomes: Array<{ target: string; category: string; status: string; records: number }>;
      tagManifestSha256: string;
    }>();
    expect(production.state).toBe('completed');
    const byKey = Object.fromEntries(production.outcomes.map((outcome) => [`${outcome.target}/${outcome.category}`, outcome]));
    expect(byKey['+82 10-1234-5678/subscriber']).toMatchObject({ status: 'produced', records: 1 });
    expect(byKey['+82 10-1234-5678/location']).toMatchObject({ status: 'not_held' });
    expect(byKey['Nobody.Here@Example.KR/subscriber']).toMatchObject({ status: 'not_found' });
    const { rows } = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM demo.logins WHERE account_id = 1 AND at BETWEEN ${new Date(Date.parse(DEMO_REFERENCE_INSTANT) - 60 * 86_400_000)} AND ${new Date(DEMO_REFERENCE_INSTANT)}
    `.execute(context.database.db);
    expect(byKey['+82 10-1234-5678/traffic']).toMatchObject({ status: 'produced', records: Number(rows[0]?.n) });
    expect(Object.keys(byKey)).toHaveLength(4);

    // Another agency cannot see or download it.
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/requests/${tracking}/production/download`, headers: officerB })).statusCode,
    ).toBe(404);

    const download = await app.inject({ method: 'GET', url: `/api/v1/requests/${tracking}/production/download`, headers: officer });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/x-tar');
    const target = mkdtempSync(path.join(scratch, `${db().kind}-`));
    writeFileSync(path.join(target, 'package.tar'), download.rawPayload);
    expect(spawnSync('tar', ['-xf', 'package.tar'], { cwd: target }).status).toBe(0);
    const bag = path.join(
      target,
      readdirSync(target).find((name) => name.startsWith('writ-production-'))!,
    );
    expect(readdirSync(path.join(bag, 'data/target-1')).sort()).toEqual([
      'subscriber.csv',
      'subscriber.jsonl',
      'traffic.csv',
      'traffic.jsonl',
    ]);
    expect(readdirSync(path.join(bag, 'data'))).toEqual(['target-1']);
    expect(stockChecks(bag)).toEqual({ manifest: 0, tags: 0, signature: 0 });
    expect(await verifyBagDirectory(bag)).toMatchObject({ ok: true });
    expect(readFileSync(path.join(bag, 'bag-info.txt'), 'utf8')).toContain(`External-Identifier: ${tracking}`);
    expect(readFileSync(path.join(bag, 'certificate-of-authenticity.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readFileSync(path.join(bag, 'tagmanifest-sha256.txt'), 'utf8')).toMatch(/ {2}certificate-of-authenticity\.pdf\n/);
    expect(readFileSync(path.join(bag, 'outcomes.csv'), 'utf8')).toContain('Nobody.Here@Example.KR,subscriber,not_found');
    expect(readFileSync(path.join(bag, 'data/target-1/subscriber.csv'), 'utf8')).toContain('minjun.kim');

    // One byte changed in any link of the chain the agency checks fails the stock tool for that link, and writ verify
    // names the file: a data file against the manifest, the manifest against the tag manifest, the tag manifest
    // against the signature.
    const tampered = (file: string): string => {
      const copy = mkdtempSync(path.join(scratch, 'tampered-'));
      cpSync(bag, copy, { recursive: true });
      const bytes = readFileSync(path.join(copy, file));
      bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 1;
      writeFileSync(path.join(copy, file), bytes);
      return copy;
    };
    const data = tampered('data/target-1/traffic.csv');
    expect(stockChecks(data)).toEqual({ manifest: 1, tags: 0, signature: 0 });
    expect((await verifyBagDirectory(data)).problems).toEqual(['data/target-1/traffic.csv: SHA-256 does not match manifest-sha256.txt']);
    const manifest = tampered('manifest-sha256.txt');
    expect(stockChecks(manifest).tags).not.toBe(0);
    expect(stockChecks(manifest).manifest).not.toBe(0);
    expect((await verifyBagDirectory(manifest)).problems).toContain('manifest-sha256.txt: SHA-256 does not match tagmanifest-sha256.txt');
    const tags = tampered('tagmanifest-sha256.txt');
    expect(stockChecks(tags).signature).not.toBe(0);
    expect((await verifyBagDirectory(tags)).problems).toContain(
      'tagmanifest-sha256.txt.sig: the signature over tagmanifest-sha256.txt does not verify',
    );

    const events = await sql<{ type: string }>`
      SELECT type FROM audit_events WHERE request_id = (SELECT id FROM requests WHERE tracking_number = ${tracking}) AND type LIKE 'production.%' ORDER BY id
    `.execute(context.database.db);
    expect(events.rows.map((row) => row.type)).toEqual(['production.completed', 'production.downloaded']);
  });

  it('reports how far it has got while it runs: the steps finished and the records written so far', async () => {
    const { context } = db();
    await context.jobs?.stop();
    context.jobs = undefined;
    const number = await submitted(context, world.officerA, {
      categories: ['subscriber', 'traffic'],
      targets: [{ kind: 'username', value: 'alex.doe' }],
    });
    const request = await context.store.read.requests.find({ kind: 'desk' }, number);
    await verifyRequest(context, { requestId: request!.id });
    await approveRequest(context, world.counsel, { reference: number, body: {} });
    await startProduction(context, world.counsel, { reference: number });
    // The second category's records wait for the test: the production is seen half done.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const waiting = new Promise<void>((resolve) => (reached = resolve));
    const paused: PlatformConnector = {
      name: 'paused',
      resolve: (identifier) => context.connector.resolve(identifier),
      produce: async (category) => ({
        status: 'records',
        columns: ['n'],
        records: (async function* () {
          const count = category === 'subscriber' ? 3 : 2;
          for (let n = 0; n < count; n += 1) {
            if (category === 'traffic' && n === 1) {
              reached();
              await gate;
            }
            yield { n };
          }
        })(),
      }),
    };
    const running = runProduction({ ...context, availableDays: 30, connector: paused }, { requestId: request!.id });
    await waiting;
    let progress: unknown;
    for (let tries = 0; tries < 100; tries += 1) {
      progress = (await context.store.read.productions.latestForRequest(request!.id))?.progress;
      if ((progress as { stepsDone?: number } | null)?.stepsDone === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(progress).toMatchObject({ steps: 2, stepsDone: 1 });
    // The three records of the finished step, and the first of the running one once it was counted.
    expect((progress as { records: number }).records).toBeGreaterThanOrEqual(3);
    release();
    expect((await running)?.state).toBe('delivered');
    const done = await context.store.read.productions.latestForRequest(request!.id);
    expect(done).toMatchObject({ state: 'completed', progress: { steps: 2, stepsDone: 2, records: 5 } });
  });

  it('leaves no package when the connector fails halfway, then finishes under the same production, and never builds a second', async () => {
    const { context } = db();
    // This test drives the production itself: the background runner must not race it.
    await context.jobs?.stop();
    context.jobs = undefined;
    const number = await submitted(context, world.officerA, {
      categories: ['subscriber'],
      targets: [{ kind: 'username', value: 'alex.doe' }],
    });
    const request = await context.store.read.requests.find({ kind: 'desk' }, number);
    await verifyRequest(context, { requestId: request!.id });
    await approveRequest(context, world.counsel, { reference: number, body: {} });
    await startProduction(context, world.counsel, { reference: number });
    const failing: PlatformConnector = {
      name: 'failing',
      resolve: (identifier) => context.connector.resolve(identifier),
      produce: async () => ({
        status: 'records',
        columns: ['x'],
        records: (async function* () {
          yield { x: 1 };
          throw new Error('connection to the platform lost');
        })(),
      }),
    };
    const deps = { ...context, availableDays: 30 };
    await expect(runProduction({ ...deps, connector: failing }, { requestId: request!.id })).rejects.toThrow(
      'connection to the platform lost',
    );
    const failed = await context.store.read.productions.latestForRequest(request!.id);
    expect(failed).toMatchObject({ state: 'failed', attempts: 1 });
    expect(readdirSync(path.join(context.config.WRIT_DATA_DIR, 'productions')).filter((name) => name.startsWith(failed!.id))).toEqual([]);
    expect((await context.store.read.requests.find({ kind: 'desk' }, number))?.state).toBe('producing');

    expect((await runProduction(deps, { requestId: request!.id }))?.state).toBe('delivered');
    const done = await context.store.read.productions.latestForRequest(request!.id);
    expect(done).toMatchObject({ id: failed!.id, state: 'completed', attempts: 2 });
    // The job delivered twice (a retry after a lost acknowledgement) changes nothing.
    expect(await runProduction(deps, { requestId: request!.id })).toBeUndefined();
    expect(await context.store.read.productions.latestForRequest(request!.id)).toEqual(done);
    const count = await sql<{ n: string }>`SELECT count(*)::text AS n FROM productions WHERE request_id = ${request!.id}`.execute(
      context.database.db,
    );
    expect(count.rows[0]?.n).toBe('1');
  });
});
