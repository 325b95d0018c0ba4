/** Reading a platform's database: batches through a cursor, a read-only snapshot, and the connection given back. */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { readRows, streamRows } from '../../../src/connectors/shared/cursor.ts';
import { describeOnEachPlatformDatabase } from '../../support/platform-databases.ts';

describeOnEachPlatformDatabase(
  'platform cursor',
  () => `CREATE TABLE items (id bigint PRIMARY KEY, at timestamptz NOT NULL, blob bytea);
         INSERT INTO items SELECT g, timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute', '\\x00ff' FROM generate_series(1, 2345) g;`,
  (fixture) => {
    it('reads every row in order across batches, with times as ISO 8601 and bytes as hex', async () => {
      const ids: string[] = [];
      let first: Record<string, unknown> | undefined;
      for await (const row of streamRows(fixture().db, sql`SELECT id, at, blob FROM items ORDER BY id`, 100)) {
        first ??= row;
        ids.push(String(row.id));
      }
      expect(ids).toHaveLength(2345);
      expect(ids.at(-1)).toBe('2345');
      expect(first).toEqual({ id: '1', at: '2026-01-01T00:01:00.000Z', blob: '00ff' });
    });

    it('gives the connection back when the reader stops early, so the next read runs', async () => {
      for (let round = 0; round < 5; round += 1) {
        for await (const row of streamRows(fixture().db, sql`SELECT id FROM items ORDER BY id`, 10)) if (row.id === '15') break;
      }
      expect(await readRows(fixture().db, sql`SELECT count(*)::int AS n FROM items`)).toEqual([{ n: 2345 }]);
    });

    it('cannot write to the platform database', async () => {
      const attempt = async () => {
        for await (const _ of streamRows(fixture().db, sql`DELETE FROM items RETURNING id`)) break;
      };
      await expect(attempt()).rejects.toThrow(/read-only|syntax/);
      await expect(readRows(fixture().db, sql`SELECT 1 AS one FROM (DELETE FROM items RETURNING id) d`)).rejects.toThrow();
      expect(await readRows(fixture().db, sql`SELECT count(*)::int AS n FROM items`)).toEqual([{ n: 2345 }]);
    });
  },
);
