/**
 * Reading a platform's database for a production: one read-only, repeatable-read transaction per stream, so every batch
 * sees the same snapshot, and a server-side cursor fetched in batches, so memory stays flat however many rows match.
 * Values come out as text a bag can hold: timestamps as ISO 8601 in UTC, JSON as JSON, binary as hex.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';

// A platform's schema is not Writ's: its connectors speak raw SQL, so the handle carries no table types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PlatformDatabase = Kysely<any>;
export type Row = Record<string, unknown>;

const BATCH = 5000;

/** A value as the bag writes it: Date → ISO 8601 (UTC), Buffer → hex, everything else as it is. */
export function plain(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return value;
}

const plainRow = (row: Row): Row => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, plain(value)]));

/** The first rows of `query` (at most `limit`), in a read-only transaction. For look-ups and existence checks. */
export async function readRows(db: PlatformDatabase, query: RawBuilder<Row>, limit = 1000): Promise<Row[]> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (tx) => {
      const { rows } = await sql<Row>`SELECT * FROM (${query}) AS q LIMIT ${limit}`.execute(tx);
      return rows.map(plainRow);
    });
}

/**
 * Every row of `query`, in its order, through a cursor. The connection is held only while the stream is read and is
 * given back when it ends, fails, or the reader stops early.
 */
export async function* streamRows(db: PlatformDatabase, query: RawBuilder<Row>, batch = BATCH): AsyncIterable<Row> {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let onConnection!: (connection: PlatformDatabase) => void;
  const connection = new Promise<PlatformDatabase>((resolve) => (onConnection = resolve));
  const held = db.connection().execute(async (conn) => {
    onConnection(conn);
    await finished;
  });
  const conn = await Promise.race([connection, held.then(() => Promise.reject(new Error('The platform database is unavailable.')))]);
  let open = false;
  try {
    await sql`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`.execute(conn);
    open = true;
    await sql`DECLARE writ_production NO SCROLL CURSOR FOR ${query}`.execute(conn);
    for (;;) {
      const { rows } = await sql<Row>`FETCH ${sql.raw(String(batch))} FROM writ_production`.execute(conn);
      for (const row of rows) yield plainRow(row);
      if (rows.length < batch) break;
    }
    await sql`COMMIT`.execute(conn);
    open = false;
  } finally {
    if (open) await sql`ROLLBACK`.execute(conn).catch(() => undefined);
    finish();
    await held;
  }
}
