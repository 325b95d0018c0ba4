/** Checks a bag folder offline: every hash, the file set (none missing, none extra) and the signature. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { listFiles } from './files.ts';
import { checkBag, PUBLIC_KEY_FILE, SIGNATURE_FILE } from '../core/bag.ts';
import { createPublicKey } from 'node:crypto';
import { fingerprintOf, verifySignature } from './signing-key.ts';

async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const readOptional = (file: string) => readFile(file).catch(() => undefined);

export interface BagVerification {
  readonly ok: boolean;
  readonly problems: readonly string[];
  /** The fingerprint of the key in the bag, to compare with the one the platform publishes. */
  readonly fingerprint: string | undefined;
}

export async function verifyBagDirectory(
  directory: string,
  options: { trustedFingerprints?: readonly string[] } = {},
): Promise<BagVerification> {
  const root = path.resolve(directory);
  const names = await listFiles(root).catch(() => undefined);
  if (!names) return { ok: false, problems: [`${directory}: not a folder that can be read`], fingerprint: undefined };
  const files = new Map<string, string>();
  for (const name of names) files.set(name, await hashFile(path.join(root, name)));
  const [manifest, tagManifest, bagitTxt, publicKey, signature] = await Promise.all(
    ['manifest-sha256.txt', 'tagmanifest-sha256.txt', 'bagit.txt', PUBLIC_KEY_FILE, SIGNATURE_FILE].map((name) =>
      readOptional(path.join(root, name)),
    ),
  );
  let fingerprint: string | undefined;
  try {
    fingerprint = publicKey ? fingerprintOf(createPublicKey(publicKey)) : undefined;
  } catch {
    fingerprint = undefined;
  }
  const signatureValid =
    publicKey && signature && tagManifest ? verifySignature(publicKey.toString('utf8'), tagManifest, signature) : undefined;
  const problems = checkBag({
    files,
    manifest: manifest?.toString('utf8'),
    tagManifest: tagManifest?.toString('utf8'),
    bagitTxt: bagitTxt?.toString('utf8'),
    signatureValid,
  });
  if (publicKey && !fingerprint) problems.push(`${PUBLIC_KEY_FILE}: not an Ed25519 public key`);
  if (options.trustedFingerprints && fingerprint && !options.trustedFingerprints.includes(fingerprint)) {
    problems.push(`${PUBLIC_KEY_FILE}: fingerprint ${fingerprint} is not one of the platform's published keys`);
  }
  return { ok: problems.length === 0, problems, fingerprint };
}
