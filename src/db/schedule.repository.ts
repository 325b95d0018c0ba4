/** The durable schedule and the dead-letter list, written inside the caller's transaction. */
import { sql, type Kysely, type Selectable } from 'kysely';
import { WritError } from '../core/errors.ts';
import { decodeCursor, encodeCursor } from '../core/pagination.ts';
import type { DeadLetter, DeadLetterRepository, Schedule, ScheduledTask } from '../core/ports.ts';
import type { Database, DeadLettersTable, ScheduledTasksTable } from './schema.ts';

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

const toTask = (row: Selectable<ScheduledTasksTable>): ScheduledTask => ({
  id: String(row.id),
  key: row.key,
  topic: row.topic,
  requestId: row.request_id,
  payload: row.payload as Record<string, unknown>,
  dueAt: row.due_at.toISOString(),
  state: row.state,
  firedAt: iso(row.fired_at),
  handledAt: iso(row.handled_at),
  outcome: row.outcome,
});

export function scheduleRepository(db: Kysely<Database>): Schedule {
  return {
    async put(task) {
      const row = await db
        .insertInto('scheduled_tasks')
        .values({
          key: task.key,
          topic: task.topic,
          request_id: task.requestId ?? null,
          payload: JSON.stringify(task.payload ?? {}),
          due_at: task.dueAt,
        })
        .onConflict((conflict) =>
          conflict
            .column('key')
            .doUpdateSet({ due_at: task.dueAt, state: 'pending', payload: JSON.stringify(task.payload ?? {}) })
            // A task that fired has been done (or is being done): it is not done again by scheduling it again.
            .where('scheduled_tasks.state', '<>', 'fired'),
        )
        .returning('id')
        .executeTakeFirst();
      return row !== undefined;
    },
    async add(task) {
      await db
        .insertInto('scheduled_tasks')
        .values({ key: task.key, topic: task.topic, payload: JSON.stringify(task.payload), due_at: task.dueAt })
        .execute();
    },
    async cancel(filter) {
      let query = db.updateTable('scheduled_tasks').set({ state: 'cancelled' }).where('state', '=', 'pending');
      query =
        'key' in filter
          ? query.where('key', '=', filter.key)
          : query.where('request_id', '=', filter.requestId).where('key', 'like', `${filter.keyPrefix.replace(/[\\%_]/g, '\\$&')}%`);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async claimDue(now, limit) {
      const rows = await sql<Selectable<ScheduledTasksTable>>`
        UPDATE scheduled_tasks t SET state = 'fired', fired_at = ${now}
        FROM (SELECT id FROM scheduled_tasks WHERE state = 'pending' AND due_at <= ${now}
              ORDER BY due_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED) due
        WHERE t.id = due.id
        RETURNING t.*
      `.execute(db);
      return rows.rows.map((row) => toTask({ ...row, due_at: new Date(row.due_at) }));
    },
    async takeForHandling(id) {
      if (!/^\d{1,19}$/.test(id)) return undefined;
      const row = await db
        .selectFrom('scheduled_tasks')
        .selectAll()
        .where('id', '=', id)
        .where('state', '=', 'fired')
        .where('handled_at', 'is', null)
        .forUpdate()
        .executeTakeFirst();
      return row ? toTask(row) : undefined;
    },
    async markSending(id) {
      await db.updateTable('scheduled_tasks').set({ outcome: 'sending' }).where('id', '=', id).where('handled_at', 'is', null).execute();
    },
    async markHandled(id, at, outcome) {
      await db.updateTable('scheduled_tasks').set({ handled_at: at, outcome }).where('id', '=', id).execute();
    },
    async forRequest(requestId) {
      const rows = await db
        .selectFrom('scheduled_tasks')
        .selectAll()
        .where('request_id', '=', requestId)
        .orderBy('due_at')
        .orderBy('id')
        .execute();
      return rows.map(toTask);
    },
    async get(id) {
      if (!/^\d{1,19}$/.test(id)) return undefined;
      const row = await db.selectFrom('scheduled_tasks').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toTask(row) : undefined;
    },
    async find(key) {
      const row = await db.selectFrom('scheduled_tasks').selectAll().where('key', '=', key).executeTakeFirst();
      return row ? toTask(row) : undefined;
    },
  };
}

const toDeadLetter = (row: Selectable<DeadLettersTable>): DeadLetter => ({
  id: String(row.id),
  topic: row.topic,
  payload: row.payload as Record<string, unknown>,
  reason: row.reason,
  attempts: row.attempts,
  failedAt: row.failed_at.toISOString(),
  retriedAt: iso(row.retried_at),
  retriedBy: row.retried_by,
});

export function deadLetterRepository(db: Kysely<Database>): DeadLetterRepository {
  return {
    async list(query) {
      let select = db.selectFrom('dead_letters').selectAll();
      if (!query.includeRetried) select = select.where('retried_at', 'is', null);
      if (query.cursor) {
        const { id } = decodeCursor(query.cursor);
        if (!/^\d{1,19}$/.test(id)) throw new WritError('INVALID_CURSOR', 'The cursor is not one this server issued.');
        select = select.where('id', '<', id);
      }
      const rows = await select
        .orderBy('id', 'desc')
        .limit(query.limit + 1)
        .execute();
      const items = rows.slice(0, query.limit).map(toDeadLetter);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.failedAt, id: last.id }) : null };
    },
    async markRetried(id, by, at) {
      if (!/^\d{1,19}$/.test(id)) return undefined;
      const row = await db
        .updateTable('dead_letters')
        .set({ retried_at: at, retried_by: by })
        .where('id', '=', id)
        .where('retried_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      return row ? toDeadLetter(row) : undefined;
    },
  };
}
