/**
 * `writ verify <bag-folder | package.tar | package.zip | package.tar.age>`: checks a production offline and says exactly what failed.
 * An age-encrypted package is decrypted on the fly with the agency's key file (`--identity`), never written out whole.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, open, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { verifyBagDirectory, type BagVerification } from '../evidence/bag-verifier.ts';
import { decryptWith, identitiesIn } from '../evidence/age.ts';
import { extractTar } from '../evidence/tar.ts';
import { extractZip } from '../evidence/zip.ts';

const AGE_HEADER = 'age-encryption.org/v1\n';
const USAGE =
  'Usage: writ verify <bag-folder | package.tar | package.zip | package.tar.age> [--identity <age key file>]... [--fingerprint sha256:<hex>]...';

/** What kind of archive a file is, from its first bytes (not its name). */
async function archiveKind(file: string): Promise<'age' | 'zip' | 'tar'> {
  const handle = await open(file, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(AGE_HEADER.length), 0, AGE_HEADER.length, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head.toString('latin1') === AGE_HEADER) return 'age';
    return head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) ? 'zip' : 'tar';
  } finally {
    await handle.close();
  }
}

async function verifyArchive(
  file: string,
  trusted: readonly string[] | undefined,
  identities: readonly string[],
): Promise<BagVerification> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'writ-verify-'));
  try {
    const kind = await archiveKind(file);
    if (kind === 'zip') await extractZip(file, scratch);
    else if (kind === 'tar') await extractTar(createReadStream(file), scratch);
    else {
      if (identities.length === 0) throw new Error('the package is encrypted with age: give the agency key file with --identity');
      await extractTar(decryptWith({ identities }, createReadStream(file)), scratch).catch((error: unknown) => {
        throw new Error(`cannot be decrypted with the key given, or was altered (${(error as Error).message})`);
      });
    }
    const top = await readdir(scratch);
    // A Writ package holds one folder; a bag tarred from inside its folder holds the bag files at the top.
    const [only] = top;
    const root = top.length === 1 && only && (await stat(path.join(scratch, only))).isDirectory() ? path.join(scratch, only) : scratch;
    return await verifyBagDirectory(root, trusted ? { trustedFingerprints: trusted } : {});
  } catch (error) {
    return { ok: false, problems: [`${path.basename(file)}: ${(error as Error).message}`], fingerprint: undefined };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export async function verifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { fingerprint: { type: 'string', multiple: true }, identity: { type: 'string', multiple: true } },
    allowPositionals: true,
    strict: true,
  });
  const [target] = positionals;
  if (!target || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const identities: string[] = [];
  for (const keyFile of values.identity ?? []) {
    const found = identitiesIn(await readFile(keyFile, 'utf8').catch(() => ''));
    if (found.length === 0) {
      console.error(`${keyFile}: no age identity (AGE-SECRET-KEY-1…) in this file.`);
      return 2;
    }
    identities.push(...found);
  }
  const kind = await stat(target).catch(() => undefined);
  const result = kind?.isFile()
    ? await verifyArchive(target, values.fingerprint, identities)
    : await verifyBagDirectory(target, values.fingerprint ? { trustedFingerprints: values.fingerprint } : {});
  if (result.ok) {
    console.log('OK: every file matches its manifest, none is missing or extra, and the signature verifies.');
    console.log(
      `Signed by key ${result.fingerprint}${values.fingerprint ? ' (one you trust)' : '; compare it with the platform’s published fingerprint'}.`,
    );
    return 0;
  }
  console.error(`FAILED: ${target}`);
  for (const problem of result.problems) console.error(`  ${problem}`);
  return 1;
}
