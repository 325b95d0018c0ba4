/** The audit log's rows and the outbox, both written inside the caller's transaction. */
import { sql, type Kysely } from 'kysely';
import { entryOf } from '../core/audit-log.ts';
import type { TimelineEntry } from '../core/model.ts';
import { WritError } from '../core/errors.ts';
import { decodeCursor, encodeCursor } from '../core/pagination.ts';
import type { AuditEntry, AuditLog, IdempotencyStore, Outbox } from '../core/ports.ts';
import type { Database } from './schema.ts';

export function auditLog(db: Kysely<Database>): AuditLog {
  return {
    async append(actor, event) {
      // One statement: the entry (every other column is read from it) and its id in the queue the sequencer places
      // from, so no transaction waits on another to append.
      await sql`
        WITH written AS (INSERT INTO audit_entries (entry) VALUES (${entryOf(actor, event, new Date())}) RETURNING id)
        INSERT INTO audit_unplaced (id) SELECT id FROM written
      `.execute(db);
    },
    async timeline(requestId) {
      const rows = await db
        .selectFrom('audit_events')
        .select(['id', 'type', 'occurred_at', 'data'])
        .where('request_id', '=', requestId)
        .orderBy('id')
        .execute();
      return rows.map((row): TimelineEntry => {
        const { side, ...data } = row.data as Record<string, unknown>;
        return { id: String(row.id), type: row.type, occurredAt: row.occurred_at.toISOString(), side: side as TimelineEntry['side'], data };
      });
    },
    async recentForRequest(requestId, limit) {
      // Straight from the entries by the request's index, read backwards (at most `limit` rows), and parsed here: the
      // view's columns cost more than the entries themselves for a check that runs on every read.
      const rows = await sql<{ entry: string }>`
        SELECT entry FROM audit_entries WHERE ((fields ->> 'requestId')::uuid) = ${requestId} ORDER BY id DESC LIMIT ${sql.lit(Math.trunc(limit))}
      `.execute(db);
      return rows.rows.map((row) => {
        const entry = JSON.parse(row.entry) as {
          type: string;
          at: string;
          actorUserId: string | null;
          via: string;
          data?: { part?: unknown };
        };
        return {
          type: entry.type,
          occurredAt: entry.at,
          actorUserId: entry.actorUserId,
          via: entry.via,
          part: typeof entry.data?.part === 'string' ? entry.data.part : null,
        };
      });
    },
    async list(query) {
      let select = db
        .selectFrom('audit_events')
        .select(['id', 'type', 'occurred_at', 'actor_user_id', 'actor_organisation_id', 'via', 'request_id', 'data'])
        .where('type', 'in', [...query.types]);
      if (query.cursor) {
        const { id } = decodeCursor(query.cursor);
        if (!/^\d{1,19}$/.test(id)) throw new WritError('INVALID_CURSOR', 'The cursor is not one this server issued.');
        select = select.where('id', '<', id);
      }
      const rows = await select
        .orderBy('id', 'desc')
        .limit(query.limit + 1)
        .execute();
      const items = rows.slice(0, query.limit).map((row): AuditEntry => ({
        id: String(row.id),
        type: row.type,
        occurredAt: new Date(row.occurred_at).toISOString(),
        actorUserId: row.actor_user_id,
        actorOrganisationId: row.actor_organisation_id,
        via: row.via,
        requestId: row.request_id,
        data: row.data as Record<string, unknown>,
      }));
      const last = items.at(-1);
      return { items, nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.occurredAt, id: last.id }) : null };
    },
  };
}

export function outbox(db: Kysely<Database>): Outbox {
  return {
    async add(topic, payload) {
      await db
        .insertInto('outbox')
        .values({ topic, payload: JSON.stringify(payload) })
        .execute();
    },
  };
}

export function idempotencyStore(db: Kysely<Database>): IdempotencyStore {
  return {
    async find(userId, scope, key) {
      const row = await db
        .selectFrom('idempotency_keys')
        .select(['input_sha256', 'result'])
        .where('user_id', '=', userId)
        .where('scope', '=', scope)
        .where('key', '=', key)
        .executeTakeFirst();
      return row ? { inputSha256: row.input_sha256, result: row.result } : undefined;
    },
    async claim(entry) {
      const result = await db
        .insertInto('idempotency_keys')
        .values({ user_id: entry.userId, scope: entry.scope, key: entry.key, input_sha256: entry.inputSha256, result: '{}' })
        .onConflict((conflict) => conflict.doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
    async complete(entry) {
      await db
        .updateTable('idempotency_keys')
        .set({ result: JSON.stringify(entry.result) })
        .where('user_id', '=', entry.userId)
        .where('scope', '=', entry.scope)
        .where('key', '=', entry.key)
        .execute();
    },
  };
}
