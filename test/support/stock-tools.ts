/** What an agency runs on a package with stock tools: each check's exit status (0 passes). */
import { spawnSync } from 'node:child_process';

const OPENSSL_VERIFY = [
  'pkeyutl',
  '-verify',
  '-pubin',
  '-inkey',
  'signing-key.pem',
  '-rawin',
  '-in',
  'tagmanifest-sha256.txt',
  '-sigfile',
  'tagmanifest-sha256.txt.sig',
];

export function stockChecks(directory: string): { manifest: number | null; tags: number | null; signature: number | null } {
  return {
    manifest: spawnSync('sha256sum', ['-c', '--quiet', 'manifest-sha256.txt'], { cwd: directory }).status,
    tags: spawnSync('sha256sum', ['-c', '--quiet', 'tagmanifest-sha256.txt'], { cwd: directory }).status,
    signature: spawnSync('openssl', OPENSSL_VERIFY, { cwd: directory }).status,
  };
}
