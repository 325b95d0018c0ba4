/**
 * The second wall between agencies, on PostgreSQL: while an agency's person is being served, every connection Writ
 * takes from its pool first says so (`writ.agency`), and row-level security (migration 0013) hides every other agency's
 * requests, targets, documents, messages, decisions, callbacks and productions, and every desk note, from any query,
 * even one a repository got wrong. Repositories still scope each query themselves: this is the wall behind that one.
 *
 * PostgreSQL does not apply row-level security to a superuser or a role with BYPASSRLS; `rowLevelSecurity` says which
 * it is, and `writ serve` warns when the wall is down.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { CompiledQuery, sql, type DatabaseConnection, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

const scope = new AsyncLocalStorage<string>();

/** Runs `work` as the agency `organisationId`: its database work sees only that agency's rows. */
export function runInAgencyScope<T>(organisationId: string, work: () => T): T {
  return scope.run(organisationId, work);
}

/** The agency the current work is done for, if any. */
export const currentAgencyScope = (): string | undefined => scope.getStore();

/**
 * For Kysely's `onReserveConnection`: sets `writ.agency` on a connection being reserved (empty outside an agency's
 * work), and only when it differs from what that connection last had, so the common case costs no round trip.
 */
export function agencyScopeSetter(): (connection: DatabaseConnection) => Promise<void> {
  const last = new WeakMap<DatabaseConnection, string>();
  return async (connection) => {
    const wanted = scope.getStore() ?? '';
    // A new connection has no agency: unset reads as empty.
    if ((last.get(connection) ?? '') === wanted) return;
    await connection.executeQuery(CompiledQuery.raw("SELECT set_config('writ.agency', $1, false)", [wanted]));
    last.set(connection, wanted);
  };
}

/** Whether row-level security applies to the role Writ connects as (it does not to a superuser or a BYPASSRLS role). */
export async function rowLevelSecurity(db: Kysely<Database>): Promise<'enforced' | 'bypassed'> {
  const { rows } = await sql<{
    bypass: boolean;
  }>`SELECT rolsuper OR rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user`.execute(db);
  return rows[0]?.bypass === false ? 'enforced' : 'bypassed';
}
