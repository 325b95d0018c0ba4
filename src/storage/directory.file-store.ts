/**
 * Files in a directory, named by their SHA-256 (`ab/abcdef…`): content-addressed, so the same bytes are stored once and
 * a stored file can be checked against its name. Writes go to a temporary file first and are renamed in on commit.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { WritError } from '../core/errors.ts';
import type { FileStore } from '../core/ports.ts';

const HEAD_BYTES = 1024;

export function directoryFileStore(root: string): FileStore {
  const pathOf = (sha256: string) => path.join(root, sha256.slice(0, 2), sha256);
  return {
    async put(source, maxBytes) {
      const temporaryDir = path.join(root, 'tmp');
      await mkdir(temporaryDir, { recursive: true });
      const temporary = path.join(temporaryDir, randomUUID());
      const out = createWriteStream(temporary, { mode: 0o600 });
      const hash = createHash('sha256');
      const head: Buffer[] = [];
      let headLength = 0;
      let size = 0;
      try {
        for await (const chunk of source) {
          size += chunk.length;
          if (size > maxBytes) throw new WritError('PAYLOAD_TOO_LARGE', `The document is larger than ${maxBytes} bytes.`);
          if (headLength < HEAD_BYTES) {
            head.push(Buffer.from(chunk.subarray(0, HEAD_BYTES - headLength)));
            headLength += Math.min(chunk.length, HEAD_BYTES - headLength);
          }
          hash.update(chunk);
          if (!out.write(chunk)) await once(out, 'drain');
        }
        out.end();
        await once(out, 'close');
      } catch (error) {
        out.destroy();
        await rm(temporary, { force: true });
        throw error;
      }
      const sha256 = hash.digest('hex');
      return {
        sha256,
        size,
        head: new Uint8Array(Buffer.concat(head)),
        async commit() {
          await mkdir(path.dirname(pathOf(sha256)), { recursive: true });
          await rename(temporary, pathOf(sha256));
        },
        discard: () => rm(temporary, { force: true }),
      };
    },
    open(sha256) {
      if (!/^[0-9a-f]{64}$/.test(sha256)) throw new WritError('DOCUMENT_NOT_FOUND', 'No such document.');
      return createReadStream(pathOf(sha256));
    },
    async remove(sha256) {
      if (!/^[0-9a-f]{64}$/.test(sha256)) return;
      await rm(pathOf(sha256), { force: true });
    },
  };
}
