/** Unpacks a package someone zipped, safely: regular files only, nothing outside the target folder, a size limit. */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

export async function extractZip(file: string, directory: string, options: { maxBytes?: number } = {}): Promise<string[]> {
  const root = path.resolve(directory);
  const limit = options.maxBytes ?? 50 * 1024 ** 3;
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true }, (error, opened) =>
      error ? reject(error) : resolve(opened),
    ),
  );
  const written: string[] = [];
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        void (async () => {
          const name = entry.fileName;
          if (name.endsWith('/')) return zip.readEntry();
          const target = path.resolve(root, name);
          // Unix mode in the high bits of the external attributes: refuse links and anything but regular files.
          const type = (entry.externalFileAttributes >>> 16) & 0o170000;
          if (path.isAbsolute(name) || !target.startsWith(`${root}${path.sep}`) || (type !== 0 && type !== 0o100000)) {
            throw new Error(`The archive holds an entry that is not a plain file inside it: ${name}`);
          }
          total += entry.uncompressedSize;
          if (total > limit) throw new Error('The archive is larger than allowed.');
          await mkdir(path.dirname(target), { recursive: true });
          const stream = await new Promise<NodeJS.ReadableStream>((done, fail) =>
            zip.openReadStream(entry, (error, opened) => (error ? fail(error) : done(opened))),
          );
          await pipeline(stream, createWriteStream(target, { flags: 'wx' }));
          written.push(name);
          zip.readEntry();
        })().catch(reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return written;
}
