/** Signed bags kept under `<data>/productions/<production id>/`, handed out as tar archives streamed from disk. */
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { listFiles } from './files.ts';
import { pipeline } from 'node:stream/promises';
import { pack } from 'tar-stream';
import type { Clock, EvidenceStore } from '../core/ports.ts';
import { writeBag } from './bag-writer.ts';
import { encryptTo } from './age.ts';
import { certificatePdf } from './certificate.ts';
import { createSigningKey, currentSigningKey, loadSigningKeys } from './signing-key.ts';

export function directoryEvidenceStore(options: { root: string; keysDir: string; clock: Clock }): EvidenceStore {
  const folder = (productionId: string) => {
    if (!/^[0-9a-f-]{36}$/.test(productionId)) throw new Error('not a production id');
    return path.join(options.root, productionId);
  };
  return {
    async write(productionId, bag) {
      const directory = folder(productionId);
      // An earlier attempt of this same production may have finished writing before its commit failed: start again.
      await rm(directory, { recursive: true, force: true });
      const key = await currentSigningKey(options.keysDir, options.clock.now());
      const now = options.clock.now();
      const result = await writeBag({
        directory,
        key,
        now,
        sections: bag.sections,
        info: bag.info,
        tagFiles: async (payload) => [
          ...bag.tagFiles(),
          {
            path: 'certificate-of-authenticity.pdf',
            content: await certificatePdf({
              ...bag.certificate,
              productionId,
              producedAt: now.toISOString(),
              keyFingerprint: key.fingerprint,
              files: payload,
            }),
          },
        ],
      });
      return { tagManifestSha256: result.tagManifestSha256, keyFingerprint: result.fingerprint, payloadBytes: result.payloadBytes };
    },
    async signingKeys() {
      return (await loadSigningKeys(options.keysDir)).map((key) => ({ id: key.id, fingerprint: key.fingerprint }));
    },
    async rotateSigningKey() {
      const key = await createSigningKey(options.keysDir, options.clock.now());
      return { id: key.id, fingerprint: key.fingerprint };
    },
    archive(productionId, archiveOptions = {}) {
      const directory = folder(productionId);
      const tar = pack();
      const top = `writ-production-${productionId}`;
      void (async () => {
        try {
          for (const file of await listFiles(directory)) {
            const full = path.join(directory, file);
            const { size, mtime } = await stat(full);
            await pipeline(createReadStream(full), tar.entry({ name: `${top}/${file}`, size, mtime, mode: 0o644 }));
          }
          for (const extra of archiveOptions.besideBag ?? []) {
            if (!/^[A-Za-z0-9._-]+$/.test(extra.name)) throw new Error('not a file name for beside the bag');
            await new Promise<void>((resolve, reject) =>
              tar.entry({ name: extra.name, size: extra.content.length, mode: 0o644 }, extra.content, (error) =>
                error ? reject(error) : resolve(),
              ),
            );
          }
          tar.finalize();
        } catch (error) {
          tar.destroy(error as Error);
        }
      })();
      const plain = (async function* () {
        for await (const chunk of tar) yield chunk as Uint8Array;
      })();
      return archiveOptions.ageRecipient ? encryptTo(archiveOptions.ageRecipient, plain) : plain;
    },
  };
}
