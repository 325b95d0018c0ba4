/** Unpacks a package tar safely: regular files only, no absolute paths, nothing outside the target folder. */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar-stream';

export async function extractTar(
  source: AsyncIterable<Uint8Array>,
  directory: string,
  options: { maxBytes?: number } = {},
): Promise<string[]> {
  const root = path.resolve(directory);
  const limit = options.maxBytes ?? 50 * 1024 ** 3;
  const written: string[] = [];
  let total = 0;
  const unpack = extract();
  const done = (async () => {
    for await (const entry of unpack) {
      const name = entry.header.name.replace(/^\.\//, '');
      const target = path.resolve(root, name);
      if (entry.header.type === 'directory') {
        entry.resume();
        continue;
      }
      if (entry.header.type !== 'file' || path.isAbsolute(name) || !target.startsWith(`${root}${path.sep}`)) {
        throw new Error(`The archive holds an entry that is not a plain file inside it: ${name}`);
      }
      total += entry.header.size ?? 0;
      if (total > limit) throw new Error('The archive is larger than allowed.');
      await mkdir(path.dirname(target), { recursive: true });
      await pipeline(entry, createWriteStream(target, { flags: 'wx' }));
      written.push(name);
    }
  })();
  await Promise.all([pipeline(Readable.from(source), unpack), done]);
  return written;
}
