/**
 * A platform's own database (Synapse, Mastodon, any SQL platform) built from SQL fixture files, on PGlite and, when
 * TEST_DATABASE_URL is set, on a fresh PostgreSQL database, as a connector would read it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import type { PlatformDatabase } from '../../src/connectors/shared/cursor.ts';
import { openDatabase } from '../../src/db/database.ts';
import { PGliteDialect } from '../../src/db/pglite-dialect.ts';
import { createDatabase, DATABASE_KINDS, type DatabaseKind } from './databases.ts';

const fixtures = path.resolve(import.meta.dirname, '../fixtures');
export const fixtureSql = (...files: string[]) => files.map((file) => readFileSync(path.join(fixtures, file), 'utf8')).join('\n');

export interface PlatformFixture {
  readonly kind: DatabaseKind;
  readonly db: PlatformDatabase;
  /** The PostgreSQL URL (PostgreSQL only), for starting Writ against it. */
  readonly url?: string;
}

export async function openPlatformFixture(kind: DatabaseKind, script: string): Promise<PlatformFixture & { dispose(): Promise<void> }> {
  if (kind === 'pglite') {
    const { PGlite } = await import('@electric-sql/pglite');
    const identity = (value: string) => value;
    const client = await PGlite.create({ parsers: { 20: identity, 1700: identity, 1082: identity } });
    await client.exec(script);
    const db: PlatformDatabase = new Kysely({ dialect: new PGliteDialect(client) });
    return { kind, db, dispose: () => db.destroy() };
  }
  const database = await createDatabase();
  const loader = new pg.Client({ connectionString: database.url });
  await loader.connect();
  await loader.query(script);
  await loader.end();
  const handle = await openDatabase({ url: database.url, readOnly: true, poolSize: 2 });
  return {
    kind,
    db: handle.db as PlatformDatabase,
    url: database.url,
    dispose: async () => {
      await handle.close();
      await database.drop();
    },
  };
}

/** `describe` once per database with the fixture loaded; the body gets a getter for the current fixture. */
export function describeOnEachPlatformDatabase(name: string, script: () => string, body: (get: () => PlatformFixture) => void): void {
  for (const kind of ['pglite', 'postgres'] as const) {
    const run = DATABASE_KINDS.includes(kind) ? describe : describe.skip;
    run(`${name} [${kind}]`, () => {
      let current: (PlatformFixture & { dispose(): Promise<void> }) | undefined;
      beforeAll(async () => {
        current = await openPlatformFixture(kind, script());
      });
      afterAll(async () => {
        await current?.dispose();
      });
      body(() => {
        if (!current) throw new Error('fixture not ready');
        return current;
      });
    });
  }
}
