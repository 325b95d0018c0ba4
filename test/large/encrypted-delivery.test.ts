/**
 * A package encrypted with age to the key the agency registered: the officer downloads a .tar.age that stock `age -d`
 * and `writ verify --identity` open, and that fails both once a byte changes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDemoSchema, generateDemoDataset } from '../../src/connectors/demo/demo-messenger.dataset.ts';
import { approveRequest } from '../../src/services/approve-request.ts';
import { startProduction } from '../../src/services/production.ts';
import { runProduction } from '../../src/services/run-production.ts';
import { verifyRequest } from '../../src/services/verify-request.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, sessionFor, submitted, type World } from '../support/factories.ts';
import { stockChecks } from '../support/stock-tools.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'writ-age-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const writ = (...args: string[]) => spawnSync(process.execPath, ['bin/writ.js', ...args], { encoding: 'utf8' });

/** A fresh age key pair from the stock `age-keygen`; returns the key file and its public recipient. */
function ageKeygen(name: string): { file: string; recipient: string } {
  const file = path.join(scratch, `${name}.txt`);
  expect(spawnSync('age-keygen', ['-o', file]).status).toBe(0);
  const recipient = /# public key: (age1\S+)/.exec(readFileSync(file, 'utf8'))?.[1];
  if (!recipient) throw new Error('age-keygen wrote no public key');
  return { file, recipient };
}

describeOnEachDatabase('encrypted delivery', (db) => {
  let app: App;
  let world: World;
  let tracking: string;
  const as: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    const { context } = db();
    await createDemoSchema(context.database.db);
    await generateDemoDataset(context.database.db, { users: 50, loginsPerUser: 5, messagesPerUser: 2, seed: 9 });
    world = await buildWorld(context);
    app = await buildApp(context);
    for (const [name, actor] of Object.entries({ officerA: world.officerA, officerB: world.officerB, adminA: world.agencyAdminA })) {
      as[name] = { cookie: `writ_session=${await sessionFor(context, actor)}` };
    }
    tracking = await submitted(context, world.officerA, { categories: ['subscriber', 'traffic'] });
    const request = await context.store.read.requests.find({ kind: 'desk' }, tracking);
    await verifyRequest(context, { requestId: request!.id });
    await approveRequest(context, world.counsel, { reference: tracking, body: {} });
    await startProduction(context, world.counsel, { reference: tracking });
    await runProduction({ ...context, availableDays: 30 }, { requestId: request!.id });
  });
  afterAll(async () => {
    await app.close();
  });

  const download = (who: string, query = '?encrypted=true') =>
    app.inject({ method: 'GET', url: `/api/v1/requests/${tracking}/production/download${query}`, headers: as[who] });
  const downloads = async () =>
    Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM production_downloads`.execute(db().context.database.db)).rows[0]?.n);

  it('refuses an encrypted download until the agency registers a recipient, and records nothing', async () => {
    const before = await downloads();
    const refused = await download('officerA');
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'ENCRYPTION_KEY_MISSING' });
    expect(await downloads()).toBe(before);
  });

  it('accepts only an age X25519 recipient, from the agency itself', async () => {
    const bad = await app.inject({
      method: 'PUT',
      url: '/api/v1/agency/encryption-key',
      headers: as.adminA,
      payload: { recipient: 'ssh-ed25519 AAAA' },
    });
    expect(bad.statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/v1/agency', headers: as.officerA })).json()).toMatchObject({ ageRecipient: null });
  });

  it('delivers a .tar.age that stock age and writ verify open, and that fails both after one byte changes', async () => {
    const key = ageKeygen(`${db().kind}-agency-a`);
    const other = ageKeygen(`${db().kind}-agency-b`);
    const set = await app.inject({
      method: 'PUT',
      url: '/api/v1/agency/encryption-key',
      headers: as.adminA,
      payload: { recipient: key.recipient },
    });
    expect(set.json()).toMatchObject({ ageRecipient: key.recipient });
    // Another agency's key is its own affair, and its officers still cannot reach this package.
    await app.inject({
      method: 'PUT',
      url: '/api/v1/agency/encryption-key',
      headers: as.officerB,
      payload: { recipient: other.recipient },
    });
    expect((await download('officerB')).statusCode).toBe(404);

    const response = await download('officerA');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toMatch(/\.tar\.age"$/);
    expect(response.rawPayload.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    const dir = mkdtempSync(path.join(scratch, `${db().kind}-`));
    const sealed = path.join(dir, 'package.tar.age');
    writeFileSync(sealed, response.rawPayload);

    expect(spawnSync('age', ['-d', '-i', key.file, '-o', path.join(dir, 'package.tar'), sealed]).status).toBe(0);
    expect(spawnSync('tar', ['-xf', 'package.tar'], { cwd: dir }).status).toBe(0);
    const bag = path.join(
      dir,
      readdirSync(dir).find((name) => name.startsWith('writ-production-'))!,
    );
    expect(stockChecks(bag)).toEqual({ manifest: 0, tags: 0, signature: 0 });

    const verified = writ('verify', sealed, '--identity', key.file);
    expect(verified.stdout).toContain('OK:');
    expect(verified.status).toBe(0);
    const withoutKey = writ('verify', sealed);
    expect(withoutKey.status).toBe(1);
    expect(withoutKey.stderr).toContain('encrypted with age: give the agency key file with --identity');
    const wrongKey = writ('verify', sealed, '--identity', other.file);
    expect(wrongKey.status).toBe(1);
    expect(wrongKey.stderr).toContain('package.tar.age: cannot be decrypted with the key given, or was altered');

    const bytes = readFileSync(sealed);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 1;
    const tampered = path.join(dir, 'tampered.tar.age');
    writeFileSync(tampered, bytes);
    expect(spawnSync('age', ['-d', '-i', key.file, '-o', path.join(dir, 'out.tar'), tampered]).status).not.toBe(0);
    const failed = writ('verify', tampered, '--identity', key.file);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('tampered.tar.age: cannot be decrypted with the key given, or was altered');

    const events = await sql<{ data: { encrypted: boolean } }>`
      SELECT data FROM audit_events WHERE type = 'production.downloaded' ORDER BY id DESC LIMIT 1`.execute(db().context.database.db);
    expect(events.rows[0]?.data.encrypted).toBe(true);
    const keyEvents = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM audit_events WHERE type = 'agency.encryption_key_set'`.execute(db().context.database.db);
    expect(Number(keyEvents.rows[0]?.n)).toBe(2);
  });
});
