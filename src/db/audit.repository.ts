/** The audit log's rows and the outbox, both written inside the caller's transaction. */
import type { Kysely } from 'kysely';
import { sideOf } from '../core/actor.ts';
import { AUDIT_EVENT_VERSION } from '../core/audit.ts';
import type { TimelineEntry } from '../core/model.ts';
import type { AuditLog, IdempotencyStore, Outbox } from '../core/ports.ts';
import type { Database } from './schema.ts';

export function auditLog(db: Kysely<Database>): AuditLog {
  return {
    async append(actor, event) {
      await db
        .insertInto('audit_events')
        .values({
          version: AUDIT_EVENT_VERSION,
          type: event.type,
          actor_user_id: actor.via === 'system' ? null : actor.userId,
          actor_organisation_id: actor.via === 'system' ? null : actor.organisationId,
          via: actor.via,
          request_id: event.requestId ?? null,
          data: JSON.stringify({ ...event.data, side: sideOf(actor) }),
        })
        .execute();
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
