/** Applies the SQL files in migrations/ in order, once each, and rewrites the lifecycle's edges from the core table. */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { stateEdges } from '../core/transitions.ts';
import type { Database } from './schema.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
// Any constant both processes agree on: several processes starting at once apply migrations one at a time.
const MIGRATION_LOCK = 7_377_411;

export async function migrate(db: Kysely<Database>): Promise<string[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith('.sql')).sort();
  const applied: string[] = [];
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(
      trx,
    );
    const done = await sql<{ version: string }>`SELECT version FROM schema_migrations`.execute(trx);
    const seen = new Set(done.rows.map((row) => row.version));
    for (const file of files) {
      if (seen.has(file)) continue;
      await sql.raw(await readFile(`${MIGRATIONS_DIR}${file}`, 'utf8')).execute(trx);
      await sql`INSERT INTO schema_migrations (version) VALUES (${file})`.execute(trx);
      applied.push(file);
    }
    const edges = stateEdges();
    const current = await trx.selectFrom('request_state_edges').select(['from_state', 'to_state']).execute();
    const same =
      current.length === edges.length && edges.every(([from, to]) => current.some((row) => row.from_state === from && row.to_state === to));
    if (!same) {
      await trx.deleteFrom('request_state_edges').execute();
      await trx
        .insertInto('request_state_edges')
        .values(edges.map(([from_state, to_state]) => ({ from_state, to_state })))
        .execute();
    }
  });
  return applied;
}
