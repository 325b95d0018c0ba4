/**
 * Writes a signed BagIt bag, streaming: each section's records go to CSV and JSON Lines while being hashed, so memory
 * does not grow with the production. The bag is built in a temporary folder beside the destination and renamed into
 * place whole: a failure halfway leaves no half bag.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { BAGIT_TXT, bagInfoText, csvLine, manifestText, PUBLIC_KEY_FILE, SIGNATURE_FILE } from '../core/bag.ts';
import type { BagSectionInput } from '../core/ports.ts';
import type { SigningKey } from './signing-key.ts';

/** One category of one target: written as `data/<folder>/<name>.csv` and `.jsonl`. */
export type BagSection = BagSectionInput;

export interface BagResult {
  readonly directory: string;
  readonly payloadBytes: number;
  readonly payloadFiles: number;
  readonly records: ReadonlyMap<string, number>;
  readonly tagManifestSha256: string;
  readonly fingerprint: string;
}

/** A file written through a hash, in 64 KiB chunks: a row at a time would cost a write and an await per row. */
class HashingFile {
  private readonly hash = createHash('sha256');
  private readonly out: WriteStream;
  private pending: string[] = [];
  private pendingLength = 0;
  bytes = 0;
  constructor(
    readonly relative: string,
    root: string,
  ) {
    // A write of up to a megabyte goes on while the next block is made, instead of waiting for each 16 KiB to drain.
    this.out = createWriteStream(path.join(root, relative), { highWaterMark: 1024 * 1024 });
  }
  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= 65_536) await this.flush();
  }
  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
  /** Writes a byte stream through the hash as it comes; `observe` sees each chunk. */
  async pump(source: AsyncIterable<Uint8Array>, observe?: (chunk: Uint8Array) => void): Promise<void> {
    await this.flush();
    for await (const chunk of source) {
      observe?.(chunk);
      this.hash.update(chunk);
      this.bytes += chunk.length;
      if (!this.out.write(chunk)) await once(this.out, 'drain');
    }
  }
  async close(): Promise<string> {
    await this.flush();
    this.out.end();
    await once(this.out, 'close');
    return this.hash.digest('hex');
  }
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export const VERIFY_TXT = `How to check this package

Every file under data/ is listed with its SHA-256 in manifest-sha256.txt; the tag files are listed in
tagmanifest-sha256.txt, which is signed with the platform's Ed25519 key (signature: ${SIGNATURE_FILE},
public key: ${PUBLIC_KEY_FILE}). Compare the key's fingerprint with the one the platform publishes at
/.well-known/writ/signing-key.pem before trusting the signature.

With stock tools, from this folder:

  sha256sum -c manifest-sha256.txt
  sha256sum -c tagmanifest-sha256.txt
  openssl pkeyutl -verify -pubin -inkey ${PUBLIC_KEY_FILE} -rawin -in tagmanifest-sha256.txt -sigfile ${SIGNATURE_FILE}
  openssl pkey -pubin -in ${PUBLIC_KEY_FILE} -outform DER | sha256sum     (the key's fingerprint)

With Writ:

  writ verify <this folder>

Each check fails if a single byte of any file changed, a file is missing, or one was added.
`;

export async function writeBag(options: {
  readonly directory: string;
  readonly sections: Iterable<BagSection> | AsyncIterable<BagSection>;
  readonly info: ReadonlyArray<readonly [string, string]>;
  readonly key: SigningKey;
  readonly now: Date;
  /** More tag files (a certificate, for instance), made after the payload is written and listed in the tag manifest. */
  readonly tagFiles?: (
    payload: ReadonlyArray<{ readonly path: string; readonly sha256: string }>,
  ) =>
    | Promise<ReadonlyArray<{ readonly path: string; readonly content: Buffer }>>
    | ReadonlyArray<{ readonly path: string; readonly content: Buffer }>;
}): Promise<BagResult> {
  const final = path.resolve(options.directory);
  const work = `${final}.partial-${randomUUID()}`;
  await mkdir(path.join(work, 'data'), { recursive: true });
  try {
    const payload: Array<{ path: string; sha256: string }> = [];
    const records = new Map<string, number>();
    let payloadBytes = 0;
    for await (const section of options.sections) {
      await mkdir(path.join(work, 'data', section.folder), { recursive: true });
      const csv = new HashingFile(path.posix.join('data', section.folder, `${section.name}.csv`), work);
      const jsonl = new HashingFile(path.posix.join('data', section.folder, `${section.name}.jsonl`), work);
      try {
        let count = 0;
        if ('encoded' in section) {
          // Both files at once, as the database sends them; the JSON Lines give the count (one record per line).
          await Promise.all([
            csv.pump(section.encoded.csv),
            jsonl.pump(section.encoded.jsonl, (chunk) => {
              for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) count += 1;
              // Kept up to date as the records pass, for the production's progress.
              if (section.counter) section.counter.records = count;
            }),
          ]);
          if (section.counter) section.counter.records = count;
        } else {
          await csv.write(csvLine(section.columns));
          for await (const record of section.records) {
            await csv.write(csvLine(section.columns.map((column) => record[column])));
            await jsonl.write(`${JSON.stringify(record)}\n`);
            count += 1;
          }
        }
        records.set(`${section.folder}/${section.name}`, count);
      } finally {
        payload.push({ path: csv.relative, sha256: await csv.close() }, { path: jsonl.relative, sha256: await jsonl.close() });
        payloadBytes += csv.bytes + jsonl.bytes;
      }
    }
    const manifest = manifestText(payload);
    const bagInfo = bagInfoText([
      ...options.info,
      ['Bagging-Date', options.now.toISOString().slice(0, 10)],
      ['Bag-Software-Agent', 'Writ'],
      ['Payload-Oxum', `${payloadBytes}.${payload.length}`],
      ['Signing-Key-Fingerprint', options.key.fingerprint],
    ]);
    const tags: Array<{ path: string; content: string | Buffer }> = [
      { path: 'bagit.txt', content: BAGIT_TXT },
      { path: 'bag-info.txt', content: bagInfo },
      { path: 'manifest-sha256.txt', content: manifest },
      { path: 'VERIFY.txt', content: VERIFY_TXT },
      { path: PUBLIC_KEY_FILE, content: options.key.publicKeyPem },
      ...((await options.tagFiles?.(payload)) ?? []),
    ];
    for (const tag of tags) await writeFile(path.join(work, tag.path), tag.content);
    const tagManifest = manifestText(tags.map((tag) => ({ path: tag.path, sha256: sha256(tag.content) })));
    await writeFile(path.join(work, 'tagmanifest-sha256.txt'), tagManifest);
    await writeFile(path.join(work, SIGNATURE_FILE), options.key.sign(Buffer.from(tagManifest, 'utf8')));
    await rename(work, final);
    return {
      directory: final,
      payloadBytes,
      payloadFiles: payload.length,
      records,
      tagManifestSha256: sha256(tagManifest),
      fingerprint: options.key.fingerprint,
    };
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw error;
  }
}
