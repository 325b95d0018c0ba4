/** `writ verify <bag-folder>`: checks a production offline and says exactly what failed. */
import { parseArgs } from 'node:util';
import { verifyBagDirectory } from '../evidence/bag-verifier.ts';

export async function verifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { fingerprint: { type: 'string', multiple: true } },
    allowPositionals: true,
    strict: true,
  });
  const [directory] = positionals;
  if (!directory || positionals.length > 1) {
    console.error('Usage: writ verify <bag-folder> [--fingerprint sha256:<hex>]...');
    return 2;
  }
  const result = await verifyBagDirectory(directory, values.fingerprint ? { trustedFingerprints: values.fingerprint } : {});
  if (result.ok) {
    console.log(`OK: every file matches its manifest, none is missing or extra, and the signature verifies.`);
    console.log(
      `Signed by key ${result.fingerprint}${values.fingerprint ? ' (one you trust)' : '; compare it with the platform’s published fingerprint'}.`,
    );
    return 0;
  }
  console.error(`FAILED: ${directory}`);
  for (const problem of result.problems) console.error(`  ${problem}`);
  return 1;
}
