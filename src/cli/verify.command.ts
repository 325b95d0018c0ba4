/** `writ verify <bag-folder | package.tar>`: checks a production offline and says exactly what failed. */
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { verifyBagDirectory, type BagVerification } from '../evidence/bag-verifier.ts';
import { extractTar } from '../evidence/tar.ts';

async function verifyTar(file: string, trusted: readonly string[] | undefined): Promise<BagVerification> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'writ-verify-'));
  try {
    await extractTar(createReadStream(file), scratch);
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
    options: { fingerprint: { type: 'string', multiple: true } },
    allowPositionals: true,
    strict: true,
  });
  const [target] = positionals;
  if (!target || positionals.length > 1) {
    console.error('Usage: writ verify <bag-folder | package.tar> [--fingerprint sha256:<hex>]...');
    return 2;
  }
  const kind = await stat(target).catch(() => undefined);
  const result = kind?.isFile()
    ? await verifyTar(target, values.fingerprint)
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
