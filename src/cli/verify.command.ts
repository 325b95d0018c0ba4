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
import { checkReceiptFile, type OfflineCheck } from '../evidence/receipt-verifier.ts';

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

/** The receipt delivered beside a bag: `writ-receipt-<production id>.json` next to `writ-production-<production id>/`. */
async function receiptBeside(bag: string): Promise<string | undefined> {
  const id = /^writ-production-([0-9a-f-]{36})$/.exec(path.basename(path.resolve(bag)))?.[1];
  if (!id) return undefined;
  const file = path.join(path.dirname(path.resolve(bag)), `writ-receipt-${id}.json`);
  return (await stat(file).catch(() => undefined))?.isFile() ? file : undefined;
}

/** The bag and, when it came with one, its receipt: the receipt must name this bag's tag manifest. */
async function verifyWithReceipt(
  bag: string,
  trusted: readonly string[] | undefined,
): Promise<BagVerification & { receipt?: OfflineCheck }> {
  const result = await verifyBagDirectory(bag, trusted ? { trustedFingerprints: trusted } : {});
  const receiptFile = await receiptBeside(bag);
  if (!receiptFile) return result;
  const tagManifest = await readFile(path.join(bag, 'tagmanifest-sha256.txt')).catch(() => undefined);
  const { createHash } = await import('node:crypto');
  const receipt = await checkReceiptFile(receiptFile, {
    tagManifestSha256: tagManifest ? createHash('sha256').update(tagManifest).digest('hex') : '(missing)',
    trustedFingerprints: trusted ?? (result.fingerprint ? [result.fingerprint] : undefined),
  });
  const problems = [...result.problems, ...receipt.problems.map((problem) => `${path.basename(receiptFile)}: ${problem}`)];
  return { ...result, ok: problems.length === 0, problems, receipt };
}

async function verifyArchive(
  file: string,
  trusted: readonly string[] | undefined,
  identities: readonly string[],
): Promise<BagVerification & { receipt?: OfflineCheck }> {
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
    // A Writ package holds one folder (with its receipt beside it); a bag tarred from inside its folder holds the bag
    // files at the top.
    const folders: string[] = [];
    for (const name of top) if ((await stat(path.join(scratch, name))).isDirectory()) folders.push(name);
    const [only] = folders;
    const root = folders.length === 1 && only && !top.includes('bagit.txt') ? path.join(scratch, only) : scratch;
    return await verifyWithReceipt(root, trusted);
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
    : await verifyWithReceipt(target, values.fingerprint);
  if (result.ok) {
    console.log('OK: every file matches its manifest, none is missing or extra, and the signature verifies.');
    if (result.receipt) console.log(`Receipt: ${result.receipt.summary}.`);
    console.log(
      `Signed by key ${result.fingerprint}${values.fingerprint ? ' (one you trust)' : '; compare it with the platform’s published fingerprint'}.`,
    );
    return 0;
  }
  console.error(`FAILED: ${target}`);
  for (const problem of result.problems) console.error(`  ${problem}`);
  return 1;
}
