import { describe, expect, it } from 'vitest';
import { teeEncodings } from './copy.ts';

async function* blocks(count: number, pulled: { count: number }) {
  for (let index = 0; index < count; index += 1) {
    pulled.count += 1;
    yield Buffer.from(`${index}\n`);
  }
}

const collect = async (chunks: AsyncIterable<Uint8Array>, each?: () => Promise<void>) => {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) {
    parts.push(Buffer.from(chunk));
    await each?.();
  }
  return Buffer.concat(parts).toString();
};

describe('one CSV read as two streams', () => {
  it('gives every block to both sides, the derived one transformed, with its tail', async () => {
    const pulled = { count: 0 };
    const { csv, jsonl } = teeEncodings(
      blocks(50, pulled),
      (chunk) => Buffer.from(chunk.toString().toUpperCase().replace('\n', '!\n')),
      () => Buffer.from('end\n'),
    );
    const [left, right] = await Promise.all([collect(csv), collect(jsonl)]);
    expect(left).toBe(Array.from({ length: 50 }, (_, index) => `${index}\n`).join(''));
    expect(right).toBe(`${Array.from({ length: 50 }, (_, index) => `${index}!\n`).join('')}end\n`);
    expect(pulled.count).toBe(50);
  });

  it('does not read far ahead of the slower side, so memory stays flat', async () => {
    const pulled = { count: 0 };
    const { csv, jsonl } = teeEncodings(
      blocks(200, pulled),
      (chunk) => chunk,
      () => Buffer.alloc(0),
    );
    let slowTaken = 0;
    let widest = 0;
    const fast = collect(csv, async () => {
      widest = Math.max(widest, pulled.count - slowTaken);
    });
    const slow = collect(jsonl, async () => {
      slowTaken += 1;
      await new Promise((resolve) => setTimeout(resolve, 1));
    });
    await Promise.all([fast, slow]);
    expect(slowTaken).toBe(200);
    expect(widest).toBeLessThanOrEqual(6);
  });

  it('stops the source when one side is left early, and hands a failure of the source to both', async () => {
    let returned = false;
    const source = (async function* () {
      try {
        for (let index = 0; ; index += 1) yield Buffer.from(String(index));
      } finally {
        returned = true;
      }
    })();
    const { csv, jsonl } = teeEncodings(
      source,
      (chunk) => chunk,
      () => Buffer.alloc(0),
    );
    const reader = csv[Symbol.asyncIterator]();
    await reader.next();
    await reader.return?.();
    expect(returned).toBe(true);
    await collect(jsonl);

    const failing = (async function* () {
      yield Buffer.from('a');
      throw new Error('connection lost');
    })();
    const broken = teeEncodings(
      failing,
      (chunk) => chunk,
      () => Buffer.alloc(0),
    );
    await expect(Promise.all([collect(broken.csv), collect(broken.jsonl)])).rejects.toThrow('connection lost');
  });
});
