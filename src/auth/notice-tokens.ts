/**
 * Notice page tokens: HMAC-SHA-256 of the notice's id under a key kept in `<data>/keys/notice-token.key` (0600), made
 * on first use. The same notice always has the same token, so a notice mailed again after a crash carries the same
 * link; the database holds only the token's SHA-256, so a copy of it alone opens no notice page.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { NoticeTokens } from '../core/ports.ts';

export const NOTICE_TOKEN_PATTERN = /^writ_n_[A-Za-z0-9_-]{43}$/;

export function noticeTokens(keysDir: string): NoticeTokens {
  let key: Buffer | undefined;
  const load = (): Buffer => {
    if (key) return key;
    const file = path.join(keysDir, 'notice-token.key');
    mkdirSync(keysDir, { recursive: true, mode: 0o700 });
    try {
      // Exclusive create: of two processes starting at once, one writes the key and both then read it.
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length < 32) throw new Error('The notice token key is damaged.');
    return key;
  };
  return {
    tokenFor: (noticeId) => `writ_n_${createHmac('sha256', load()).update(`notice:${noticeId}`).digest('base64url')}`,
  };
}
