/** Callbacks: the desk's calls to an agency's directory number to confirm a request. */
import type { Kysely } from 'kysely';
import type { CallbackOutcome, CallbackRecord } from '../core/emergency.ts';
import type { CallbackRepository } from '../core/ports.ts';
import type { Database } from './schema.ts';

const COLUMNS = ['id', 'request_id', 'called_by', 'phone', 'outcome', 'spoke_with', 'note', 'called_at'] as const;

type Row = {
  id: string;
  request_id: string;
  called_by: string;
  phone: string;
  outcome: string;
  spoke_with: string | null;
  note: string | null;
  called_at: Date | string;
};
const toRecord = (row: Row): CallbackRecord => ({
  id: row.id,
  requestId: row.request_id,
  calledBy: row.called_by,
  phone: row.phone,
  outcome: row.outcome as CallbackOutcome,
  spokeWith: row.spoke_with,
  note: row.note,
  calledAt: new Date(row.called_at).toISOString(),
});

export function callbackRepository(db: Kysely<Database>): CallbackRepository {
  return {
    async insert(callback) {
      const row = await db
        .insertInto('callbacks')
        .values({
          request_id: callback.requestId,
          called_by: callback.calledBy,
          phone: callback.phone,
          outcome: callback.outcome,
          spoke_with: callback.spokeWith,
          note: callback.note,
          called_at: callback.calledAt,
        })
        .returning(COLUMNS)
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },
    async list(requestId) {
      const rows = await db
        .selectFrom('callbacks')
        .select(COLUMNS)
        .where('request_id', '=', requestId)
        .orderBy('called_at')
        .orderBy('id')
        .execute();
      return rows.map(toRecord);
    },
  };
}
