/**
 * Every delivery carries a receipt: the audit log's tree head at delivery and the inclusion proof of the production's
 * event. It travels beside the bag in the download (the bag itself stays as stock tools check it), `writ verify` and
 * `writ audit verify --receipt` check it offline, and the public consistency proofs link it to every later head.
 * `writ audit verify` on the database names the first bad event once the log is rewritten.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDemoSchema, DEMO_REFERENCE_INSTANT, generateDemoDataset } from '../../src/connectors/demo/demo-messenger.dataset.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { startJobs } from '../../src/server/context.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { stockChecks } from '../support/stock-tools.ts';
import { buildWorld, sessionFor, submitted, type World } from '../support/factories.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'writ-receipts-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const writ = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['bin/writ.js', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });

describeOnEachDatabase('delivery receipts and writ audit verify', (db) => {
  let app: App;
  let world: World;
  let officer: Record<string, string>;
  let counsel: Record<string, string>;
  let tracking: string;
  let dir: string;

  beforeAll(async () => {
    const { context } = db();
    await createDemoSchema(context.database.db);
    await generateDemoDataset(context.database.db, { users: 50, loginsPerUser: 5, messagesPerUser: 2, seed: 7 });
    world = await buildWorld(context);
    app = await buildApp(context);
    await startJobs(context);
    officer = { cookie: `writ_session=${await sessionFor(context, world.officerA)}` };
    counsel = { cookie: `writ_session=${await sessionFor(context, world.counsel)}` };
    tracking = await submitted(context, world.officerA, {
      categories: ['subscriber'],
      targets: [{ kind: 'username', value: 'minjun.kim' }],
      dateRange: { from: new Date(Date.parse(DEMO_REFERENCE_INSTANT) - 30 * 86_400_000).toISOString(), to: DEMO_REFERENCE_INSTANT },
    });
    await context.jobs!.drain();
    expect(
      (await app.inject({ method: 'POST', url: `/api/v1/requests/${tracking}/approve`, headers: counsel, payload: {} })).statusCode,
    ).toBe(200);
    expect(
      (await app.inject({ method: 'POST', url: `/api/v1/requests/${tracking}/produce`, headers: counsel, payload: {} })).statusCode,
    ).toBe(200);
    await context.jobs!.drain();
    dir = mkdtempSync(path.join(scratch, `${db().kind}-`));
  });
  afterAll(async () => {
    await app.close();
  });

  it('hands the receipt out with the production, and beside the bag in the download', async () => {
    const production = (await app.inject({ method: 'GET', url: `/api/v1/requests/${tracking}/production`, headers: officer })).json<{
      id: string;
      tagManifestSha256: string;
      receipt: {
        productionId: string;
        tagManifestSha256: string;
        event: { leafIndex: number; entry: string };
        treeHead: { treeSize: number };
      };
    }>();
    expect(production.receipt).toMatchObject({ productionId: production.id, tagManifestSha256: production.tagManifestSha256 });
    expect(JSON.parse(production.receipt.event.entry)).toMatchObject({
      type: 'production.completed',
      data: { productionId: production.id },
    });
    expect(production.receipt.event.leafIndex).toBeLessThan(production.receipt.treeHead.treeSize);
    const alone = await app.inject({ method: 'GET', url: `/api/v1/requests/${tracking}/production/receipt`, headers: officer });
    expect(alone.json()).toEqual(production.receipt);

    const download = await app.inject({ method: 'GET', url: `/api/v1/requests/${tracking}/production/download`, headers: officer });
    expect(download.statusCode).toBe(200);
    writeFileSync(path.join(dir, 'package.tar'), download.rawPayload);
    expect(spawnSync('tar', ['-xf', 'package.tar'], { cwd: dir }).status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['package.tar', `writ-production-${production.id}`, `writ-receipt-${production.id}.json`]);
    // The bag is as stock tools have always checked it.
    expect(stockChecks(path.join(dir, `writ-production-${production.id}`))).toEqual({ manifest: 0, tags: 0, signature: 0 });
    expect(JSON.parse(readFileSync(path.join(dir, `writ-receipt-${production.id}.json`), 'utf8'))).toEqual(production.receipt);
  });

  it('writ verify checks the receipt with the package; writ audit verify --receipt checks it alone; a changed one fails', async () => {
    const [folder] = readdirSync(dir).filter((name) => name.startsWith('writ-production-'));
    const receiptFile = path.join(
      dir,
      readdirSync(dir).find((name) => name.startsWith('writ-receipt-'))!,
    );
    const archive = writ(['verify', path.join(dir, 'package.tar')]);
    expect(archive.status, archive.stderr).toBe(0);
    expect(archive.stdout).toMatch(/Receipt: production .* is event \d+ of the audit log, in the tree of \d+ events/);
    const folderCheck = writ(['verify', path.join(dir, folder!)]);
    expect(folderCheck.status, folderCheck.stderr).toBe(0);
    expect(folderCheck.stdout).toContain('Receipt:');
    const alone = writ(['audit', 'verify', '--receipt', receiptFile]);
    expect(alone.status, alone.stderr).toBe(0);

    const receipt = JSON.parse(readFileSync(receiptFile, 'utf8')) as { event: { entry: string }; inclusionProof: string[] };
    const forged = { ...receipt, event: { ...receipt.event, entry: receipt.event.entry.replace('"records":', '"records": ') } };
    writeFileSync(path.join(dir, 'forged.json'), JSON.stringify(forged));
    const failed = writ(['audit', 'verify', '--receipt', path.join(dir, 'forged.json')]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('its leaf hash is not the hash of its entry');
    // A receipt whose proof was tampered with, beside its bag: writ verify fails the package.
    writeFileSync(receiptFile, JSON.stringify({ ...receipt, inclusionProof: [...receipt.inclusionProof].reverse() }));
    const mismatched = writ(['verify', path.join(dir, folder!)]);
    expect(mismatched.status).toBe(1);
    writeFileSync(receiptFile, JSON.stringify(receipt));
  });

  it('links the receipt to later tree heads with a consistency proof anyone can check', async () => {
    const { context } = db();
    // More events after the delivery, under a new head.
    await app.inject({ method: 'GET', url: `/api/v1/requests/${tracking}`, headers: counsel });
    const { sequenceAuditLog } = await import('../../src/services/audit-log.ts');
    await sequenceAuditLog(context, { wait: true });
    const receiptFile = path.join(
      dir,
      readdirSync(dir).find((name) => name.startsWith('writ-receipt-'))!,
    );
    const receipt = JSON.parse(readFileSync(receiptFile, 'utf8')) as { treeHead: { treeSize: number } };
    const proof = await app.inject({ method: 'GET', url: `/api/v1/audit/consistency?first=${receipt.treeHead.treeSize}` });
    expect(proof.statusCode).toBe(200);
    writeFileSync(path.join(dir, 'consistency.json'), proof.body);
    writeFileSync(path.join(dir, 'key.pem'), (await app.inject({ method: 'GET', url: '/.well-known/writ/signing-key.pem' })).body);
    const checked = writ([
      'audit',
      'verify',
      '--proof',
      path.join(dir, 'consistency.json'),
      '--tree-head',
      receiptFile,
      '--key',
      path.join(dir, 'key.pem'),
    ]);
    expect(checked.status, checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/OK: the tree of \d+ events extends the tree of \d+ events/);

    // An auditor reads the event itself, with its proof; the read is an event too.
    const auditor = { cookie: `writ_session=${await sessionFor(context, world.auditor)}` };
    const event = await app.inject({ method: 'GET', url: '/api/v1/audit/events/0', headers: auditor });
    expect(event.statusCode).toBe(200);
    writeFileSync(path.join(dir, 'event.json'), event.body);
    writeFileSync(path.join(dir, 'head.json'), JSON.stringify(event.json<{ treeHead: unknown }>().treeHead));
    const inclusion = writ([
      'audit',
      'verify',
      '--proof',
      path.join(dir, 'event.json'),
      '--tree-head',
      path.join(dir, 'head.json'),
      '--key',
      path.join(dir, 'key.pem'),
    ]);
    expect(inclusion.status, inclusion.stderr).toBe(0);
    expect((await app.inject({ method: 'GET', url: '/api/v1/audit/events/0', headers: officer })).statusCode).toBe(403);
  });

  it('counts the delivered production as a request with some data, and writ report writes the files with their tree head', async () => {
    const { context } = db();
    const { transparencyReport } = await import('../../src/services/transparency-report.ts');
    const report = await transparencyReport(context, { bandBelow: 0 });
    const row = report.rows.find((candidate) => candidate.country === 'KR' && candidate.kind === 'disclosure')!;
    expect(row.withSomeData).toBe(1);
    expect(row.requests).toBe(1);
    expect(row.withSomeDataShare).toBe(1);
    if (db().kind !== 'postgres') return; // as below: the command opens the database itself
    const out = path.join(dir, 'report');
    const env = { DATABASE_URL: context.config.DATABASE_URL!, WRIT_DATA_DIR: context.config.WRIT_DATA_DIR, LOG_LEVEL: 'silent' };
    // A range of the operator's choosing is the exact, internal report: the public one is asked for by published period.
    const refused = writ(['report', '--from', report.period.from, '--to', report.period.to, '--out', out], env);
    expect(refused.status).not.toBe(0);
    const run = writ(['report', '--internal', '--from', report.period.from, '--to', report.period.to, '--out', out], env);
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      'dsa-statements.json',
      'internal-report.csv',
      'internal-report.json',
      'internal-report.pdf',
      'tree-head.checkpoint',
      'tree-head.json',
      'tree-head.sig',
    ]);
    writeFileSync(path.join(out, 'key.pem'), (await app.inject({ method: 'GET', url: '/.well-known/writ/signing-key.pem' })).body);
    const openssl = spawnSync(
      'openssl',
      ['pkeyutl', '-verify', '-pubin', '-inkey', 'key.pem', '-rawin', '-in', 'tree-head.checkpoint', '-sigfile', 'tree-head.sig'],
      { cwd: out },
    );
    expect(openssl.status).toBe(0);
    const written = JSON.parse(readFileSync(path.join(out, 'internal-report.json'), 'utf8')) as { totals: { requests: number } };
    expect(written.totals.requests).toBe(report.totals.requests);
    // Writing it out is an event of the log.
    const events = await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_events WHERE type = 'report.generated'`.execute(
      context.database.db,
    );
    expect(Number(events.rows[0]!.n)).toBe(1);
  });

  it('writ audit verify passes on the honest log and names the first bad event once it is rewritten', async () => {
    const { context } = db();
    if (db().kind !== 'postgres') return; // the command opens the database itself: an in-memory PGlite has no second door
    const env = { DATABASE_URL: context.config.DATABASE_URL!, WRIT_DATA_DIR: context.config.WRIT_DATA_DIR, LOG_LEVEL: 'silent' };
    const honest = writ(['audit', 'verify'], env);
    expect(honest.status, honest.stderr).toBe(0);
    expect(honest.stdout).toMatch(/^OK: \d+ events, each where it was logged/);
    const victim = 3;
    await sql`UPDATE audit_events SET entry = replace(entry, '"via":', '"via" :') WHERE id = (SELECT entry_id FROM audit_leaves WHERE position = ${victim})`.execute(
      context.database.db,
    );
    const id = (
      await sql<{ id: string }>`SELECT entry_id::text AS id FROM audit_leaves WHERE position = ${victim}`.execute(context.database.db)
    ).rows[0]!.id;
    const caught = writ(['audit', 'verify'], env);
    expect(caught.status).toBe(1);
    expect(caught.stderr).toContain(`First bad event: ${victim} (event id ${id},`);
  });
});
