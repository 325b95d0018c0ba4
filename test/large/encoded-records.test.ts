/**
 * On PostgreSQL the demo messenger's login records are encoded by the server (COPY): the files must be byte for byte
 * what Writ writes when it encodes the records itself, and a production must use them. PostgreSQL only.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvLine } from '../../src/core/bag.ts';
import type { ProduceOutcome } from '../../src/core/connector.ts';
import { demoConnector } from '../../src/connectors/demo/demo.connector.ts';
import { createDemoSchema, DEMO_REFERENCE_INSTANT, generateDemoDataset } from '../../src/connectors/demo/demo-messenger.dataset.ts';
import { copyEncoder, type CopyEncoder } from '../../src/connectors/shared/copy.ts';
import { DATABASE_KINDS, openTestContext } from '../support/databases.ts';

const onPostgres = DATABASE_KINDS.includes('postgres') ? describe : describe.skip;
const RANGE = { from: new Date(Date.parse(DEMO_REFERENCE_INSTANT) - 200 * 86_400_000).toISOString(), to: DEMO_REFERENCE_INSTANT };

async function text(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
}

onPostgres('records encoded by PostgreSQL', () => {
  let opened: Awaited<ReturnType<typeof openTestContext>>;
  let encoder: CopyEncoder;
  beforeAll(async () => {
    opened = await openTestContext('postgres');
    await createDemoSchema(opened.context.database.db);
    await generateDemoDataset(opened.context.database.db, { users: 40, loginsPerUser: 400, messagesPerUser: 1, seed: 11 });
    // A user agent with a comma, a quote, a newline and non-ASCII text, to exercise the quoting of both encodings.
    await opened.context.database.db
      .updateTable('demo.logins' as never)
      .set({ user_agent: 'Mozilla "X", 한국어\nline two' } as never)
      .where('account_id' as never, '=', 1 as never)
      .execute();
    encoder = copyEncoder(opened.context.database.url!);
  });
  afterAll(async () => {
    await encoder?.close();
    await opened?.dispose();
  });

  it('gives the same CSV and JSON Lines, byte for byte, as encoding each record in Writ', async () => {
    const plain = await demoConnector(opened.context.database.db).produce('traffic', '1', RANGE);
    const fast = await demoConnector(opened.context.database.db, { encode: (query) => encoder.encode(query) }).produce(
      'traffic',
      '1',
      RANGE,
    );
    if (plain.status !== 'records' || fast.status !== 'records' || !fast.encoded) throw new Error('expected records both ways');
    let csv = csvLine(plain.columns);
    let jsonl = '';
    let count = 0;
    for await (const record of plain.records) {
      csv += csvLine(plain.columns.map((column) => record[column]));
      jsonl += `${JSON.stringify(record)}\n`;
      count += 1;
    }
    expect(count).toBeGreaterThan(100);
    const encoded = await fast.encoded();
    const [copiedCsv, copiedJsonl] = await Promise.all([text(encoded.csv), text(encoded.jsonl)]);
    expect(copiedJsonl.split('\n').length - 1).toBe(count);
    expect(copiedJsonl.slice(0, 300)).toBe(jsonl.slice(0, 300));
    expect(createHash('sha256').update(copiedJsonl).digest('hex')).toBe(createHash('sha256').update(jsonl).digest('hex'));
    expect(copiedCsv).toContain('"Mozilla ""X"", 한국어\nline two"');
    expect(createHash('sha256').update(copiedCsv).digest('hex')).toBe(createHash('sha256').update(csv).digest('hex'));
  });

  it('is what the composition root gives the demo connector on PostgreSQL', async () => {
    const outcome: ProduceOutcome = await opened.context.connector.produce('traffic', '2', RANGE);
    expect(outcome.status === 'records' && typeof outcome.encoded).toBe('function');
  });
});
