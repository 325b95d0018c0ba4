/** The messages between agency and desk, and the desk's internal notes, on each request. */
import type { Kysely } from 'kysely';
import type { MessageRepository, NoteRepository } from '../core/ports.ts';
import type { Database } from './schema.ts';

export function messageRepository(db: Kysely<Database>): MessageRepository {
  const select = () =>
    db
      .selectFrom('messages')
      .innerJoin('users', 'users.id', 'messages.author_id')
      .select(['messages.id', 'messages.request_id', 'messages.side', 'messages.body', 'messages.created_at', 'users.display_name']);
  return {
    async insert(message) {
      const { id } = await db
        .insertInto('messages')
        .values({ request_id: message.requestId, author_id: message.authorId, side: message.side, body: message.body })
        .returning('id')
        .executeTakeFirstOrThrow();
      const row = await select().where('messages.id', '=', id).executeTakeFirstOrThrow();
      return {
        id: row.id,
        requestId: row.request_id,
        authorName: row.display_name,
        side: row.side,
        body: row.body,
        createdAt: row.created_at.toISOString(),
      };
    },
    async list(requestId) {
      const rows = await select()
        .where('messages.request_id', '=', requestId)
        .orderBy('messages.created_at')
        .orderBy('messages.id')
        .execute();
      return rows.map((row) => ({
        id: row.id,
        requestId: row.request_id,
        authorName: row.display_name,
        side: row.side,
        body: row.body,
        createdAt: row.created_at.toISOString(),
      }));
    },
  };
}

export function noteRepository(db: Kysely<Database>): NoteRepository {
  const select = () =>
    db
      .selectFrom('notes')
      .innerJoin('users', 'users.id', 'notes.author_id')
      .select(['notes.id', 'notes.request_id', 'notes.body', 'notes.created_at', 'users.display_name']);
  return {
    async insert(note) {
      const { id } = await db
        .insertInto('notes')
        .values({ request_id: note.requestId, author_id: note.authorId, body: note.body })
        .returning('id')
        .executeTakeFirstOrThrow();
      const row = await select().where('notes.id', '=', id).executeTakeFirstOrThrow();
      return {
        id: row.id,
        requestId: row.request_id,
        authorName: row.display_name,
        body: row.body,
        createdAt: row.created_at.toISOString(),
      };
    },
    async list(requestId) {
      const rows = await select().where('notes.request_id', '=', requestId).orderBy('notes.created_at').orderBy('notes.id').execute();
      return rows.map((row) => ({
        id: row.id,
        requestId: row.request_id,
        authorName: row.display_name,
        body: row.body,
        createdAt: row.created_at.toISOString(),
      }));
    },
  };
}
