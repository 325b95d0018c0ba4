/**
 * The platform's Ed25519 signing key: made on first start under `<data>/keys` (private key file mode 0600), never
 * leaving the machine. Older keys stay in the folder so their public halves remain published after a rotation.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface SigningKey {
  readonly id: string;
  /** `sha256:<hex>` of the DER-encoded SubjectPublicKeyInfo. */
  readonly fingerprint: string;
  readonly publicKeyPem: string;
  sign(data: Uint8Array): Buffer;
}

export const fingerprintOf = (publicKey: KeyObject): string =>
  `sha256:${createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')}`;

export function verifySignature(publicKeyPem: string, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(null, data, createPublicKey(publicKeyPem), signature);
  } catch {
    return false;
  }
}

function fromPrivatePem(id: string, pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  return {
    id,
    fingerprint: fingerprintOf(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (data) => sign(null, data, privateKey),
  };
}

// Named by the time they were made (to the millisecond; keys from before that carry seconds only).
const KEY_FILE = /^signing-(\d{8}T\d{6}(?:\d{3})?Z)\.ed25519\.pem$/;

/** All keys in the folder, newest first; the first is the one that signs. */
export async function loadSigningKeys(keysDir: string): Promise<SigningKey[]> {
  let names: string[];
  try {
    names = await readdir(keysDir);
  } catch {
    return [];
  }
  const ids = names
    .filter((name) => KEY_FILE.test(name))
    .sort()
    .reverse();
  return Promise.all(
    ids.map(async (name) => fromPrivatePem(name.replace('.ed25519.pem', ''), await readFile(path.join(keysDir, name), 'utf8'))),
  );
}

/** Makes a new key and makes it the one that signs (rotation keeps the old ones). */
export async function createSigningKey(keysDir: string, now: Date): Promise<SigningKey> {
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  const file = path.join(keysDir, `signing-${stamp}.ed25519.pem`);
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await writeFile(file, pem, { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
  return fromPrivatePem(`signing-${stamp}`, pem);
}

export async function currentSigningKey(keysDir: string, now: Date): Promise<SigningKey> {
  const existing = (await loadSigningKeys(keysDir))[0];
  if (existing) return existing;
  try {
    return await createSigningKey(keysDir, now);
  } catch (error) {
    // Two processes starting at once: the other one made the key first; use it.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const made = (await loadSigningKeys(keysDir))[0];
    if (!made) throw error;
    return made;
  }
}
