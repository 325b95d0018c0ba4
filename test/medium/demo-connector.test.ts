/** The demo connector on both databases: identifiers in odd forms, and each distinct answer. */
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { normalizeIdentifier } from '../../src/core/identifiers.ts';
import { demoConnector } from '../../src/connectors/demo/demo.connector.ts';
import { createDemoSchema, DEMO_REFERENCE_INSTANT, generateDemoDataset } from '../../src/connectors/demo/demo-messenger.dataset.ts';
import type { PlatformConnector, ProduceOutcome } from '../../src/core/connector.ts';
import { describeOnEachDatabase } from '../support/databases.ts';

const LAST_30_DAYS = { from: new Date(Date.parse(DEMO_REFERENCE_INSTANT) - 30 * 86_400_000).toISOString(), to: DEMO_REFERENCE_INSTANT };
const LAST_YEAR = { from: new Date(Date.parse(DEMO_REFERENCE_INSTANT) - 365 * 86_400_000).toISOString(), to: DEMO_REFERENCE_INSTANT };

async function collect(outcome: ProduceOutcome): Promise<Array<Record<string, unknown>>> {
  if (outcome.status !== 'records') return [];
  const rows: Array<Record<string, unknown>> = [];
  for await (const record of outcome.records) rows.push({ ...record });
  return rows;
}

describeOnEachDatabase('demo connector', (db) => {
  let connector: PlatformConnector;
  beforeAll(async () => {
    const { context } = db();
    await createDemoSchema(context.database.db);
    await generateDemoDataset(context.database.db, { users: 300, loginsPerUser: 12, messagesPerUser: 6, seed: 3 });
    connector = demoConnector(context.database.db);
  });

  it.each([
    ['username', '@minjun.kim:demo-messenger.example'],
    ['url', 'https://demo-messenger.example/@Minjun.Kim'],
    ['email', 'Minjun.Kim@Example.KR'],
    ['phone', '+82 10-1234-5678'],
    ['user_id', '1'],
  ] as const)('resolves %s %s to the account', async (kind, value) => {
    expect(await connector.resolve(normalizeIdentifier(kind, value, 'KR'))).toEqual({
      status: 'found',
      accounts: [{ id: '1', label: 'minjun.kim' }],
    });
  });

  it('answers "not found" with the form it tried', async () => {
    expect(await connector.resolve(normalizeIdentifier('phone', '+82 10-0000-0000'))).toEqual({
      status: 'not_found',
      tried: { kind: 'phone', value: '+821000000000', original: '+82 10-0000-0000' },
    });
  });

  it('produces the subscriber record and the logins in range, and nothing outside it', async () => {
    const subscriber = await collect(await connector.produce('subscriber', '1', LAST_YEAR));
    expect(subscriber).toEqual([
      expect.objectContaining({ account_id: '1', username: 'minjun.kim', email: 'minjun.kim@example.kr', phone: '+821012345678' }),
    ]);
    const narrow = {
      from: new Date(Date.parse(DEMO_REFERENCE_INSTANT) - 120 * 86_400_000).toISOString(),
      to: new Date(Date.parse(DEMO_REFERENCE_INSTANT) - 60 * 86_400_000).toISOString(),
    };
    const logins = await collect(await connector.produce('traffic', '1', narrow));
    const { rows } = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM demo.logins WHERE account_id = 1 AND at BETWEEN ${new Date(narrow.from)} AND ${new Date(narrow.to)}
    `.execute(db().context.database.db);
    expect(logins).toHaveLength(Number(rows[0]?.n));
    for (const login of logins) {
      expect(Date.parse(String(login.at))).toBeGreaterThanOrEqual(Date.parse(narrow.from));
      expect(Date.parse(String(login.at))).toBeLessThanOrEqual(Date.parse(narrow.to));
    }
  });

  it('says "end-to-end encrypted", "not held", "outside retention" and "no records" as different answers', async () => {
    const { context } = db();
    // One encrypted message, in a range that holds no readable message of the same sender.
    const { rows } = await sql<{ e2ee: string; at: Date; readable: string }>`
      SELECT m.sender_id::text AS e2ee, m.sent_at AS at, (SELECT min(sender_id)::text FROM demo.messages WHERE body IS NOT NULL) AS readable
      FROM demo.messages m
      WHERE m.ciphertext IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM demo.messages r WHERE r.sender_id = m.sender_id AND r.body IS NOT NULL AND r.sent_at = m.sent_at)
      ORDER BY m.id LIMIT 1
    `.execute(context.database.db);
    const instant = rows[0]!.at.toISOString();
    expect((await connector.produce('content', rows[0]!.e2ee, { from: instant, to: instant })).status).toBe('end_to_end_encrypted');
    const readable = await collect(await connector.produce('content', rows[0]!.readable, LAST_30_DAYS));
    expect(readable.length).toBeGreaterThan(0);
    expect(readable.every((message) => typeof message.body === 'string')).toBe(true);
    expect((await connector.produce('location', '1', LAST_YEAR)).status).toBe('not_held');
    const longAgo = { from: '2020-01-01T00:00:00.000Z', to: '2020-02-01T00:00:00.000Z' };
    expect((await connector.produce('content', '1', longAgo)).status).toBe('outside_retention');
    expect((await connector.produce('traffic', '1', longAgo)).status).toBe('outside_retention');
    const future = { from: '2026-11-02T00:00:00.000Z', to: '2026-11-03T00:00:00.000Z' };
    expect((await connector.produce('traffic', '1', future)).status).toBe('no_records');
  });

  it('streams a production larger than one batch exactly once, ties in time included', async () => {
    const { context } = db();
    // 25,000 logins, three per second, so batches end inside runs of equal timestamps.
    await sql`
      INSERT INTO demo.logins (account_id, ip, port, at, user_agent, kind)
      SELECT 2, '192.0.2.1', g, ${DEMO_REFERENCE_INSTANT}::timestamptz - (g / 3) * interval '1 second', 'bulk', 'session'
      FROM generate_series(1, 25000) AS g
    `.execute(context.database.db);
    const range = { from: new Date(Date.parse(DEMO_REFERENCE_INSTANT) - 20_000 * 1000).toISOString(), to: DEMO_REFERENCE_INSTANT };
    const rows = await collect(await connector.produce('traffic', '2', range));
    const bulk = rows.filter((row) => row.user_agent === 'bulk');
    expect(bulk).toHaveLength(25_000);
    expect(new Set(bulk.map((row) => row.port)).size).toBe(25_000);
    const { rows: counted } = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM demo.logins WHERE account_id = 2 AND at BETWEEN ${new Date(range.from)} AND ${new Date(range.to)}
    `.execute(context.database.db);
    expect(rows).toHaveLength(Number(counted[0]?.n));
    const times = rows.map((row) => Date.parse(String(row.at)));
    expect(times.every((time, index) => index === 0 || time >= times[index - 1]!)).toBe(true);
  });
});
