/** `writ verify` as a user runs it, and the published signing keys it is checked against. */
import { spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pack } from 'tar-stream';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../../src/core/actor.ts';
import { writeBag } from '../../src/evidence/bag-writer.ts';
import { createSigningKey, currentSigningKey, fingerprintOf } from '../../src/evidence/signing-key.ts';
import { buildApp } from '../../src/server/app.ts';
import { rotateSigningKey } from '../../src/services/rotate-signing-key.ts';
import { openTestContext } from '../support/databases.ts';

const root = mkdtempSync(path.join(tmpdir(), 'writ-verify-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const writ = (...args: string[]) => spawnSync(process.execPath, ['bin/writ.js', ...args], { encoding: 'utf8' });

describe('writ verify', () => {
  it('says OK for a whole bag, and names the file after one byte changes', async () => {
    const key = await createSigningKey(path.join(root, 'keys'), new Date());
    const directory = path.join(root, 'bag');
    await writeBag({
      directory,
      key,
      now: new Date(),
      info: [['External-Identifier', 'WR-2026-000007']],
      sections: [
        {
          folder: 'target-1',
          name: 'subscriber',
          columns: ['username'],
          records: (async function* () {
            yield { username: 'alex.doe' };
          })(),
        },
      ],
    });
    const ok = writ('verify', directory, '--fingerprint', key.fingerprint);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^OK:/);
    writeFileSync(path.join(directory, 'data/target-1/subscriber.jsonl'), '{"username":"alex.doE"}\n');
    const tampered = writ('verify', directory);
    expect(tampered.status).toBe(1);
    expect(tampered.stderr).toContain('data/target-1/subscriber.jsonl: SHA-256 does not match manifest-sha256.txt');
    expect(writ('verify').status).toBe(2);
  });

  it('verifies a package tar, and refuses one with an entry that climbs out of its folder', async () => {
    const key = await createSigningKey(path.join(root, 'keys-tar'), new Date());
    const directory = path.join(root, 'tarred', 'writ-production-x');
    await writeBag({
      directory,
      key,
      now: new Date(),
      info: [],
      sections: [
        {
          folder: 't',
          name: 'subscriber',
          columns: ['a'],
          records: (async function* () {
            yield { a: 1 };
          })(),
        },
      ],
    });
    expect(spawnSync('tar', ['-cf', '../package.tar', 'writ-production-x'], { cwd: path.join(root, 'tarred') }).status).toBe(0);
    expect(writ('verify', path.join(root, 'package.tar')).status).toBe(0);
    const evil = pack();
    evil.entry({ name: '../escaped.txt' }, 'nope');
    evil.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of evil) chunks.push(chunk as Buffer);
    writeFileSync(path.join(root, 'evil.tar'), Buffer.concat(chunks));
    const refused = writ('verify', path.join(root, 'evil.tar'));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('not a plain file inside it');

    // Someone zipped the package: still verifiable, and a changed file or a link inside is named.
    const tarred = path.join(root, 'tarred');
    expect(spawnSync('zip', ['-qr', '../package.zip', 'writ-production-x'], { cwd: tarred }).status).toBe(0);
    expect(writ('verify', path.join(root, 'package.zip')).status).toBe(0);
    writeFileSync(path.join(directory, 'data/t/subscriber.csv'), 'a\r\n2\r\n');
    expect(spawnSync('zip', ['-qr', '../changed.zip', 'writ-production-x'], { cwd: tarred }).status).toBe(0);
    const changed = writ('verify', path.join(root, 'changed.zip'));
    expect(changed.status).toBe(1);
    expect(changed.stderr).toContain('data/t/subscriber.csv: SHA-256 does not match manifest-sha256.txt');
    symlinkSync('/etc/hostname', path.join(tarred, 'link'));
    expect(spawnSync('zip', ['-qy', '../link.zip', 'link'], { cwd: tarred }).status).toBe(0);
    const linked = writ('verify', path.join(root, 'link.zip'));
    expect(linked.status).toBe(1);
    expect(linked.stderr).toContain('not a plain file inside it: link');
  });
});

describe('published signing keys', () => {
  it('serves every key, newest first, at /.well-known/writ/signing-key.pem and with fingerprints in the API', async () => {
    const { context, dispose } = await openTestContext('pglite');
    try {
      const old = await createSigningKey(context.keysDir, new Date('2026-01-01T00:00:00Z'));
      const current = await currentSigningKey(context.keysDir, new Date());
      const newer =
        current.fingerprint === old.fingerprint ? await createSigningKey(context.keysDir, new Date('2026-06-01T00:00:00Z')) : current;
      const app = await buildApp(context);
      const pem = await app.inject({ method: 'GET', url: '/.well-known/writ/signing-key.pem' });
      expect(pem.statusCode).toBe(200);
      const blocks = pem.body.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----\n/g) ?? [];
      expect(blocks.map((block) => fingerprintOf(createPublicKey(block)))).toEqual([newer.fingerprint, old.fingerprint]);
      const listed = await app.inject({ method: 'GET', url: '/api/v1/signing-keys' });
      expect(listed.json()).toEqual([
        expect.objectContaining({ fingerprint: newer.fingerprint, current: true }),
        expect.objectContaining({ fingerprint: old.fingerprint, current: false }),
      ]);
      await app.close();
    } finally {
      await dispose();
    }
  });

  // Five `writ` processes, each opening its own embedded database: a busy shared machine needs more than a minute.
  it('rotates the key from the command line: the new one signs, the old stays listed, and the rotation is audited', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'writ-keys-'));
    const env = { ...process.env, WRIT_DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: '' };
    const keys = (...args: string[]) => spawnSync(process.execPath, ['bin/writ.js', 'keys', ...args], { encoding: 'utf8', env });
    try {
      const first = keys('rotate');
      expect(first.status).toBe(0);
      const second = keys('rotate');
      expect(second.status).toBe(0);
      const firstFingerprint = /\((sha256:[0-9a-f]{64})\)/.exec(first.stdout)?.[1];
      expect(second.stdout).toContain(`The previous key (${firstFingerprint}) stays published`);
      const listed = keys('list').stdout.trim().split('\n');
      expect(listed).toHaveLength(2);
      expect(listed[0]).toContain('(signs new productions)');
      expect(listed[1]).toContain(firstFingerprint);
      expect(keys('turn').status).toBe(2);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }

    const { context, dispose } = await openTestContext('pglite');
    try {
      await expect(rotateSigningKey(context, { ...CLI_ACTOR, roles: ['reviewer'] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      const rotated = await rotateSigningKey(context, CLI_ACTOR);
      const { rows } = await sql<{ data: { fingerprint: string } }>`SELECT data FROM audit_events WHERE type = 'key.rotated'`.execute(
        context.database.db,
      );
      expect(rows.map((row) => row.data.fingerprint)).toEqual([rotated.fingerprint]);
    } finally {
      await dispose();
    }
  }, 240_000);
});
