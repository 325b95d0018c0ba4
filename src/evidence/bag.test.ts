import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockChecks } from '../../test/support/stock-tools.ts';
import { verifyBagDirectory } from './bag-verifier.ts';
import { writeBag } from './bag-writer.ts';
import { createSigningKey, currentSigningKey, loadSigningKeys, type SigningKey } from './signing-key.ts';

const root = mkdtempSync(path.join(tmpdir(), 'writ-bag-'));
const now = new Date('2026-11-22T10:00:00Z');

async function* logins(count: number) {
  for (let index = 0; index < count; index += 1) {
    yield {
      at: new Date(Date.UTC(2026, 8, 1, 0, index)).toISOString(),
      ip: `198.51.100.${index % 250}`,
      user_agent: index === 3 ? 'Quote "me", please,\nnewline' : 'DemoMessenger/5.2',
    };
  }
}

let counter = 0;
async function bag(key: SigningKey): Promise<string> {
  const directory = path.join(root, `bag-${(counter += 1)}`);
  await writeBag({
    directory,
    key,
    now,
    info: [
      ['External-Identifier', 'WR-2026-000001'],
      ['Source-Organization', 'The demo messenger'],
    ],
    sections: [
      { folder: 'target-1', name: 'traffic', columns: ['at', 'ip', 'user_agent'], records: logins(50) },
      {
        folder: 'target-1',
        name: 'subscriber',
        columns: ['username', 'email'],
        records: (async function* () {
          yield { username: 'minjun.kim', email: 'minjun.kim@example.kr' };
        })(),
      },
    ],
  });
  return directory;
}

const stock = stockChecks;

const flipByte = (file: string) => {
  const bytes = readFileSync(file);
  const index = Math.floor(bytes.length / 2);
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  writeFileSync(file, bytes);
};

describe('signed bags', () => {
  let key: SigningKey;
  beforeAll(async () => {
    key = await currentSigningKey(path.join(root, 'keys'), now);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('keeps the private key readable only by its owner, and reuses it', async () => {
    const files = readdirSync(path.join(root, 'keys'));
    expect(files).toHaveLength(1);
    expect(statSync(path.join(root, 'keys', files[0]!)).mode & 0o777).toBe(0o600);
    expect((await currentSigningKey(path.join(root, 'keys'), now)).fingerprint).toBe(key.fingerprint);
  });

  it('writes a bag that sha256sum, openssl and writ verify all accept', async () => {
    const directory = await bag(key);
    expect(stock(directory)).toEqual({ manifest: 0, tags: 0, signature: 0 });
    const result = await verifyBagDirectory(directory, { trustedFingerprints: [key.fingerprint] });
    expect(result).toEqual({ ok: true, problems: [], fingerprint: key.fingerprint });
    const csv = readFileSync(path.join(directory, 'data/target-1/traffic.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('at,ip,user_agent');
    expect(csv).toContain('"Quote ""me"", please,\nnewline"');
    expect(readFileSync(path.join(directory, 'data/target-1/traffic.jsonl'), 'utf8').trim().split('\n')).toHaveLength(50);
    expect(readFileSync(path.join(directory, 'bag-info.txt'), 'utf8')).toMatch(/Payload-Oxum: \d+\.4\n/);
    const fingerprint = execFileSync('sh', ['-c', 'openssl pkey -pubin -in signing-key.pem -outform DER | sha256sum'], { cwd: directory })
      .toString()
      .split(' ')[0];
    expect(`sha256:${fingerprint}`).toBe(key.fingerprint);
  });

  it('fails all three checks after one byte of the payload changes, naming the file', async () => {
    const directory = await bag(key);
    flipByte(path.join(directory, 'data/target-1/traffic.csv'));
    expect(stock(directory).manifest).not.toBe(0);
    const result = await verifyBagDirectory(directory);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(['data/target-1/traffic.csv: SHA-256 does not match manifest-sha256.txt']);
  });

  it('fails when a tag file changes, and the signature no longer verifies when the tag manifest does', async () => {
    const directory = await bag(key);
    appendFileSync(path.join(directory, 'bag-info.txt'), 'Note: added later\n');
    expect(stock(directory).tags).not.toBe(0);
    expect((await verifyBagDirectory(directory)).problems).toEqual(['bag-info.txt: SHA-256 does not match tagmanifest-sha256.txt']);

    const resigned = await bag(key);
    flipByte(path.join(resigned, 'tagmanifest-sha256.txt'));
    expect(stock(resigned).signature).not.toBe(0);
    expect((await verifyBagDirectory(resigned)).problems).toContain(
      'tagmanifest-sha256.txt.sig: the signature over tagmanifest-sha256.txt does not verify',
    );
  });

  it('names a missing file and an extra one', async () => {
    const missing = await bag(key);
    unlinkSync(path.join(missing, 'data/target-1/subscriber.jsonl'));
    expect((await verifyBagDirectory(missing)).problems).toEqual([
      'data/target-1/subscriber.jsonl: missing (listed in manifest-sha256.txt)',
    ]);
    const extra = await bag(key);
    writeFileSync(path.join(extra, 'data/target-1/more.csv'), 'x\n');
    expect((await verifyBagDirectory(extra)).problems).toEqual(['data/target-1/more.csv: not listed in any manifest (extra file)']);
  });

  it('refuses a bag signed by a key the platform does not publish', async () => {
    const directory = await bag(await createSigningKey(path.join(root, 'other-keys'), now));
    const result = await verifyBagDirectory(directory, { trustedFingerprints: [key.fingerprint] });
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatch(/is not one of the platform's published keys/);
  });

  it('leaves no half bag when the records fail halfway', async () => {
    const directory = path.join(root, 'broken');
    const failing = (async function* () {
      yield { at: 'x' };
      throw new Error('connection lost');
    })();
    await expect(
      writeBag({ directory, key, now, info: [], sections: [{ folder: 't', name: 'traffic', columns: ['at'], records: failing }] }),
    ).rejects.toThrow('connection lost');
    expect(existsSync(directory)).toBe(false);
    expect(readdirSync(root).some((name) => name.startsWith('broken'))).toBe(false);
  });

  it('makes one key when two processes start at once', async () => {
    const dir = path.join(root, 'racing');
    const [first, second] = await Promise.all([currentSigningKey(dir, now), currentSigningKey(dir, now)]);
    expect(first.fingerprint).toBe(second.fingerprint);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it('keeps old keys after a rotation, newest first', async () => {
    const dir = path.join(root, 'rotating');
    const first = await createSigningKey(dir, new Date('2026-01-01T00:00:00Z'));
    const second = await createSigningKey(dir, new Date('2026-06-01T00:00:00Z'));
    expect((await loadSigningKeys(dir)).map((item) => item.fingerprint)).toEqual([second.fingerprint, first.fingerprint]);
  });
});
