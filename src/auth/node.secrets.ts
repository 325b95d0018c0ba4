/** Random bearer secrets and SHA-256, from node:crypto. Secrets carry 256 bits of entropy, so a plain hash stores them safely. */
import { createHash, randomBytes } from 'node:crypto';
import type { Secrets } from '../core/ports.ts';

export const nodeSecrets: Secrets = {
  newToken: (prefix) => `${prefix}_${randomBytes(32).toString('base64url')}`,
  sha256Hex: (data) => createHash('sha256').update(data).digest('hex'),
};
