/**
 * One way to open Writ's database, whichever it is: PGlite persisted under the data directory when no `DATABASE_URL`
 * is set, a PostgreSQL server when it is. Both give the same Kysely handle over the same schema.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import { agencyScopeSetter } from './agency-scope.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseKind;
  /** For PostgreSQL: the URL, so other components (the job queue) can open their own pools. */
  readonly url?: string;
  close(): Promise<void>;
}

// int8 and numeric as strings (no silent precision loss), date as 'YYYY-MM-DD' (no time-zone shift), on both drivers.
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const identity = (value: string): string => value;

export interface OpenDatabaseOptions {
  /** A PostgreSQL URL; absent means PGlite. */
  readonly url?: string | undefined;
  /** The PGlite data directory; absent with no URL means an in-memory database (tests). */
  readonly pgliteDir?: string | undefined;
  readonly poolSize?: number;
  /** Open every transaction read-only (PostgreSQL): for a platform's database, which Writ only reads. */
  readonly readOnly?: boolean;
  /** Writ's own database on PostgreSQL: tell each reserved connection which agency is being served (`agency-scope.ts`). */
  readonly agencyScoped?: boolean;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    // Each driver is loaded only when used: start-up on PGlite need not load pg, and the reverse.
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8 || oid === NUMERIC || oid === DATE
            ? identity
            : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client's error (the server restarting) must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool, ...(options.agencyScoped ? { onReserveConnection: agencyScopeSetter() } : {}) }),
    });
    return { db, kind: 'postgres', url: options.url, close: () => db.destroy() };
  }
  if (options.pgliteDir) mkdirSync(path.resolve(options.pgliteDir), { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const client = await PGlite.create({
    ...(options.pgliteDir ? { dataDir: path.resolve(options.pgliteDir) } : {}),
    parsers: { [INT8]: identity, [NUMERIC]: identity, [DATE]: identity },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}
