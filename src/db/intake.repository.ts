/** Email intake: stored messages, draft requests, acknowledgements and where the poller is in each mailbox. */
import { sql, type ColumnType, type Generated, type Kysely, type Selectable } from 'kysely';
import { WritError } from '../core/errors.ts';
import type {
  DraftCorrections,
  DraftFields,
  DraftRecord,
  DraftStatus,
  IntakeAttachment,
  IntakeFlag,
  IntakeMessageRecord,
  IntakeMessageStatus,
  IntakeRepository,
  IntakeSource,
  ReadingSegment,
  SenderTrust,
} from '../core/intake.ts';
import { decodeCursor, encodeCursor } from '../core/pagination.ts';
import { isTrackingNumber } from '../core/request.ts';
import type { Database } from './schema.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface IntakeMessagesTable {
  id: Generated<string>;
  sha256: string;
  size: ColumnType<string, number, number>;
  message_id: string | null;
  duplicate_of: Nullable<string>;
  source: string;
  source_ref: string | null;
  received_at: Timestamp;
  status: ColumnType<string, string | undefined, string>;
  from_address: string | null;
  from_name: Nullable<string>;
  subject: string | null;
  sent_at: Nullable<Date>;
  in_reply_to: string | null;
  reference_ids: ColumnType<string[], string[] | undefined, string[]>;
  flags: ColumnType<string[], string[] | undefined, string[]>;
  trust: ColumnType<SenderTrust | null, string | null | undefined, string | null>;
  reading: Nullable<string>;
  reading_segments: ColumnType<ReadingSegment[], string | undefined, string>;
  attachments: ColumnType<IntakeAttachment[], string | undefined, string>;
  fields: ColumnType<DraftFields | null, string | null | undefined, string | null>;
  draft_id: Nullable<string>;
  request_id: Nullable<string>;
  processed_at: Nullable<Date>;
}

export interface IntakeDraftsTable {
  id: Generated<string>;
  tracking_number: string;
  first_message_id: string;
  status: ColumnType<string, string | undefined, string>;
  version: Generated<number>;
  fields: Json<DraftFields>;
  corrections: ColumnType<DraftCorrections, string | undefined, string>;
  agency_id: string | null;
  request_id: Nullable<string>;
  discard_reason: Nullable<string>;
  closed_by: Nullable<string>;
  closed_at: Nullable<Date>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IntakeAcknowledgementsTable {
  message_id: string;
  recipient: string;
  kind: string;
  state: string;
  claimed_at: Date;
  sent_at: Nullable<Date>;
}

export interface IntakeConfirmationMailTable {
  draft_id: string;
  recipient: string;
  state: string;
  reason: Nullable<string>;
  claimed_at: Date;
  finished_at: Nullable<Date>;
}

export interface IntakeMailboxStateTable {
  mailbox: string;
  uid_validity: string;
  last_uid: ColumnType<string, number, number>;
  updated_at: Timestamp;
}

declare module './schema.ts' {
  interface Database {
    intake_messages: IntakeMessagesTable;
    intake_drafts: IntakeDraftsTable;
    intake_acknowledgements: IntakeAcknowledgementsTable;
    intake_mailbox_state: IntakeMailboxStateTable;
    intake_confirmation_mail: IntakeConfirmationMailTable;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iso = (value: Date | string | null): string | null =>
  value === null ? null : (value instanceof Date ? value : new Date(value)).toISOString();
// The instant to the microsecond, as stored: a cursor at millisecond precision would skip rows.
const exact = (column: string) => sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

type MessageRow = Selectable<IntakeMessagesTable> & {
  ack_state: string | null;
  ack_kind: string | null;
  ack_at: Date | null;
};

function toMessage(row: MessageRow): IntakeMessageRecord {
  return {
    id: row.id,
    sha256: row.sha256,
    size: Number(row.size),
    messageId: row.message_id,
    duplicateOf: row.duplicate_of,
    source: row.source as IntakeSource,
    sourceRef: row.source_ref,
    receivedAt: iso(row.received_at)!,
    status: row.status as IntakeMessageStatus,
    fromAddress: row.from_address,
    fromName: row.from_name,
    subject: row.subject,
    sentAt: iso(row.sent_at),
    inReplyTo: row.in_reply_to,
    referenceIds: row.reference_ids,
    flags: row.flags as IntakeFlag[],
    trust: row.trust,
    reading: row.reading,
    readingSegments: row.reading_segments ?? [],
    attachments: row.attachments,
    fields: row.fields,
    draftId: row.draft_id,
    requestId: row.request_id,
    processedAt: iso(row.processed_at),
    acknowledgement:
      row.ack_state && row.ack_kind && row.ack_at
        ? { state: row.ack_state as 'sending' | 'sent', kind: row.ack_kind, at: iso(row.ack_at)! }
        : null,
  };
}

function toDraft(row: Selectable<IntakeDraftsTable>): DraftRecord {
  return {
    id: row.id,
    trackingNumber: row.tracking_number,
    firstMessageId: row.first_message_id,
    status: row.status as DraftStatus,
    version: row.version,
    fields: row.fields,
    corrections: row.corrections,
    agencyId: row.agency_id,
    requestId: row.request_id,
    discardReason: row.discard_reason,
    closedBy: row.closed_by,
    closedAt: iso(row.closed_at),
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

export function intakeRepository(db: Kysely<Database>): IntakeRepository {
  const selectMessages = () =>
    db
      .selectFrom('intake_messages as m')
      .leftJoin('intake_acknowledgements as a', 'a.message_id', 'm.id')
      .selectAll('m')
      .select(['a.state as ack_state', 'a.kind as ack_kind', sql<Date | null>`coalesce(a.sent_at, a.claimed_at)`.as('ack_at')]);
  const findMessage = async (id: string) => {
    if (!UUID.test(id)) return undefined;
    const row = await selectMessages().where('m.id', '=', id).executeTakeFirst();
    return row ? toMessage(row) : undefined;
  };

  return {
    async insertMessage(message) {
      const existing = await selectMessages().where('m.sha256', '=', message.sha256).executeTakeFirst();
      if (existing) return { record: toMessage(existing), created: false };
      const first = message.messageId
        ? await db
            .selectFrom('intake_messages')
            .select('id')
            .where('message_id', '=', message.messageId)
            .where('duplicate_of', 'is', null)
            .orderBy('received_at')
            .limit(1)
            .executeTakeFirst()
        : undefined;
      // Two deliveries racing with the same bytes: the unique SHA-256 lets one in; the other reads it.
      const inserted = await db
        .insertInto('intake_messages')
        .values({
          sha256: message.sha256,
          size: message.size,
          message_id: message.messageId,
          duplicate_of: first?.id ?? null,
          source: message.source,
          source_ref: message.sourceRef,
          status: first ? 'duplicate' : 'received',
          from_address: message.fromAddress,
          subject: message.subject,
          in_reply_to: message.inReplyTo,
          reference_ids: [...message.referenceIds],
          flags: first ? ['DUPLICATE_MESSAGE_ID'] : [],
        })
        .onConflict((conflict) => conflict.column('sha256').doNothing())
        .returning('id')
        .executeTakeFirst();
      const record = await selectMessages().where('m.sha256', '=', message.sha256).executeTakeFirstOrThrow();
      return { record: toMessage(record), created: inserted !== undefined };
    },
    findMessage,
    async listMessages(query) {
      let select = selectMessages()
        .select(exact('m.received_at').as('received_exact'))
        .orderBy('m.received_at', 'desc')
        .orderBy('m.id', 'desc')
        .limit(query.limit + 1);
      if (query.status) select = select.where('m.status', '=', query.status);
      if (query.draftId) select = select.where('m.draft_id', '=', query.draftId);
      if (query.requestId) select = select.where('m.request_id', '=', query.requestId);
      if (query.cursor) {
        const cursor = decodeCursor(query.cursor);
        if (!UUID.test(cursor.id)) throw new WritError('INVALID_CURSOR', 'The cursor is not one this server issued.');
        const at = sql<Date>`${cursor.at}::timestamptz`;
        select = select.where((eb) =>
          eb.or([eb('m.received_at', '<', at), eb.and([eb('m.received_at', '=', at), eb('m.id', '<', cursor.id)])]),
        );
      }
      const rows = await select.execute();
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(toMessage),
        nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.received_exact, id: last.id }) : null,
      };
    },
    async completeMessage(id, result) {
      const updated = await db
        .updateTable('intake_messages')
        .set({
          status: 'processed',
          from_address: result.fromAddress,
          from_name: result.fromName,
          subject: result.subject,
          sent_at: result.sentAt ? new Date(result.sentAt) : null,
          flags: sql<
            string[]
          >`(SELECT coalesce(array_agg(DISTINCT f), '{}') FROM unnest(flags || ${sql.val([...result.flags])}::text[]) AS f)`,
          trust: JSON.stringify(result.trust),
          reading: result.reading,
          reading_segments: JSON.stringify(result.readingSegments),
          attachments: JSON.stringify(result.attachments),
          fields: JSON.stringify(result.fields),
          draft_id: result.draftId,
          request_id: result.requestId,
          processed_at: result.at,
        })
        .where('id', '=', id)
        .where('status', '=', 'received')
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) > 0;
    },
    async addFlag(id, flag) {
      await db
        .updateTable('intake_messages')
        .set({ flags: sql<string[]>`CASE WHEN ${flag} = ANY(flags) THEN flags ELSE array_append(flags, ${flag}) END` })
        .where('id', '=', id)
        .execute();
    },
    async findByMessageIds(ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('intake_messages')
        .select(['id', 'from_address', 'draft_id', 'request_id'])
        .where('message_id', 'in', [...ids])
        .where((eb) => eb.or([eb('draft_id', 'is not', null), eb('request_id', 'is not', null)]))
        .orderBy('received_at')
        .execute();
      return rows.map((row) => ({ id: row.id, fromAddress: row.from_address, draftId: row.draft_id, requestId: row.request_id }));
    },
    async sendersOf(thread) {
      if (!thread.draftId && !thread.requestId) return [];
      let select = db.selectFrom('intake_messages').select('from_address').distinct().where('from_address', 'is not', null);
      select = select.where((eb) =>
        eb.or([
          ...(thread.draftId ? [eb('draft_id', '=', thread.draftId)] : []),
          ...(thread.requestId ? [eb('request_id', '=', thread.requestId)] : []),
        ]),
      );
      const rows = await select.execute();
      return rows.map((row) => row.from_address!).filter(Boolean);
    },
    async insertDraft(draft) {
      const row = await db
        .insertInto('intake_drafts')
        .values({
          tracking_number: draft.trackingNumber,
          first_message_id: draft.firstMessageId,
          fields: JSON.stringify(draft.fields),
          agency_id: draft.agencyId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toDraft(row);
    },
    async findDraft(reference) {
      const isId = UUID.test(reference);
      if (!isId && !isTrackingNumber(reference)) return undefined;
      const row = await db
        .selectFrom('intake_drafts')
        .selectAll()
        .where(isId ? 'id' : 'tracking_number', '=', reference)
        .executeTakeFirst();
      return row ? toDraft(row) : undefined;
    },
    async listDrafts(query) {
      let select = db
        .selectFrom('intake_drafts')
        .selectAll()
        .select(exact('created_at').as('created_exact'))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(query.limit + 1);
      if (query.status) select = select.where('status', '=', query.status);
      if (query.cursor) {
        const cursor = decodeCursor(query.cursor);
        if (!UUID.test(cursor.id)) throw new WritError('INVALID_CURSOR', 'The cursor is not one this server issued.');
        const at = sql<Date>`${cursor.at}::timestamptz`;
        select = select.where((eb) => eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', cursor.id)])]));
      }
      const rows = await select.execute();
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(toDraft),
        nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.created_exact, id: last.id }) : null,
      };
    },
    async updateDraft(id, version, change) {
      const updated = await db
        .updateTable('intake_drafts')
        .set({
          version: sql<number>`version + 1`,
          updated_at: change.at,
          ...(change.fields ? { fields: JSON.stringify(change.fields) } : {}),
          ...(change.corrections ? { corrections: JSON.stringify(change.corrections) } : {}),
          ...(change.status ? { status: change.status } : {}),
          ...(change.requestId !== undefined ? { request_id: change.requestId } : {}),
          ...(change.discardReason !== undefined ? { discard_reason: change.discardReason } : {}),
          ...(change.closedBy !== undefined ? { closed_by: change.closedBy, closed_at: change.at } : {}),
        })
        .where('id', '=', id)
        .where('version', '=', version)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) > 0;
    },
    async linkDraftMessages(draftId, requestId) {
      await db.updateTable('intake_messages').set({ request_id: requestId }).where('draft_id', '=', draftId).execute();
    },
    async claimAcknowledgement(claim) {
      const recent = await db
        .selectFrom('intake_acknowledgements')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where(sql`lower(recipient)`, '=', claim.recipient.toLowerCase())
        .where('claimed_at', '>', claim.since)
        .executeTakeFirstOrThrow();
      const inserted = await db
        .insertInto('intake_acknowledgements')
        .values({ message_id: claim.messageId, recipient: claim.recipient, kind: claim.kind, state: 'sending', claimed_at: claim.at })
        .onConflict((conflict) => conflict.column('message_id').doNothing())
        .returning('message_id')
        .executeTakeFirst();
      return { claimed: inserted !== undefined, recentToRecipient: Number(recent.n) };
    },
    async releaseAcknowledgement(messageId) {
      await db.deleteFrom('intake_acknowledgements').where('message_id', '=', messageId).where('state', '=', 'sending').execute();
    },
    async acknowledgementSent(messageId, at) {
      await db.updateTable('intake_acknowledgements').set({ state: 'sent', sent_at: at }).where('message_id', '=', messageId).execute();
    },
    async claimConfirmationMail(claim) {
      const inserted = await db
        .insertInto('intake_confirmation_mail')
        .values({ draft_id: claim.draftId, recipient: claim.recipient, state: 'sending', claimed_at: claim.at })
        .onConflict((conflict) => conflict.column('draft_id').doNothing())
        .returning('draft_id')
        .executeTakeFirst();
      return inserted !== undefined;
    },
    async releaseConfirmationMail(draftId) {
      await db.deleteFrom('intake_confirmation_mail').where('draft_id', '=', draftId).where('state', '=', 'sending').execute();
    },
    async finishConfirmationMail(draftId, outcome) {
      await db
        .updateTable('intake_confirmation_mail')
        .set({ state: outcome.state, reason: outcome.reason ?? null, finished_at: outcome.at })
        .where('draft_id', '=', draftId)
        .execute();
    },
    async confirmationMail(draftId) {
      if (!UUID.test(draftId)) return undefined;
      const row = await db.selectFrom('intake_confirmation_mail').selectAll().where('draft_id', '=', draftId).executeTakeFirst();
      return row
        ? {
            state: row.state as 'sending' | 'sent' | 'withheld',
            reason: row.reason,
            at: iso(row.finished_at ?? row.claimed_at)!,
          }
        : undefined;
    },
    async mailboxPosition(mailbox, uidValidity) {
      const row = await db
        .selectFrom('intake_mailbox_state')
        .select(['uid_validity', 'last_uid'])
        .where('mailbox', '=', mailbox)
        .executeTakeFirst();
      return row && row.uid_validity === uidValidity ? Number(row.last_uid) : 0;
    },
    async setMailboxPosition(mailbox, uidValidity, lastUid) {
      await db
        .insertInto('intake_mailbox_state')
        .values({ mailbox, uid_validity: uidValidity, last_uid: lastUid })
        .onConflict((conflict) =>
          conflict.column('mailbox').doUpdateSet({ uid_validity: uidValidity, last_uid: lastUid, updated_at: sql<Date>`now()` }),
        )
        .execute();
    },
  };
}
