/** Preservations and their sealed items, user notices, and the actions taken on removal orders. */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { NoticeBasis } from '../core/notices.ts';
import type {
  NoticeRecord,
  NoticeRepository,
  PreservationRecord,
  PreservationRepository,
  PreservedItem,
  RemovalActionRecord,
  RemovalRepository,
} from '../core/ports.ts';
import type { DataCategory } from '../core/request.ts';
import type { Database, NoticesTable, PreservationsTable, PreservedItemsTable, RemovalActionsTable } from './schema.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iso = (value: Date | null): string | null => (value ? new Date(value).toISOString() : null);

const toItem = (row: Selectable<PreservedItemsTable>): PreservedItem => ({
  id: row.id,
  targetId: row.target_id,
  category: row.category as DataCategory,
  accountId: row.account_id,
  accountLabel: row.account_label,
  range: { from: new Date(row.range_from).toISOString(), to: new Date(row.range_to).toISOString() },
  status: row.status as PreservedItem['status'],
  records: row.records,
  columns: row.columns,
  sha256: row.sha256,
  size: row.size === null ? null : Number(row.size),
  detail: row.detail,
});

const toPreservation = (row: Selectable<PreservationsTable>, items: PreservedItem[]): PreservationRecord => ({
  id: row.id,
  requestId: row.request_id,
  decisionId: row.decision_id,
  expiresAt: row.expires_at.toISOString(),
  extensionHours: row.extension_hours,
  basis: row.basis,
  extendedAt: iso(row.extended_at),
  copyState: row.copy_state,
  manifestSha256: row.manifest_sha256,
  sealedAt: iso(row.sealed_at),
  releasedAt: iso(row.released_at),
  createdAt: row.created_at.toISOString(),
  items,
});

export function preservationRepository(db: Kysely<Database>): PreservationRepository {
  const itemsOf = async (id: string) =>
    (await db.selectFrom('preserved_items').selectAll().where('preservation_id', '=', id).orderBy('id').execute()).map(toItem);
  const find: PreservationRepository['find'] = async (requestId, options) => {
    if (!UUID.test(requestId)) return undefined;
    let query = db.selectFrom('preservations').selectAll().where('request_id', '=', requestId);
    if (options?.lock) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row ? toPreservation(row, await itemsOf(row.id)) : undefined;
  };
  return {
    async create(preservation) {
      await db
        .insertInto('preservations')
        .values({
          request_id: preservation.requestId,
          decision_id: preservation.decisionId,
          expires_at: preservation.expiresAt,
          extension_hours: Math.round(preservation.extensionHours),
          basis: preservation.basis,
        })
        .onConflict((conflict) => conflict.column('request_id').doNothing())
        .execute();
      const created = await find(preservation.requestId);
      if (!created) throw new Error('preservation not stored');
      return created;
    },
    find,
    async seal(id, sealed) {
      const updated = await db
        .updateTable('preservations')
        .set({ copy_state: 'sealed', manifest_sha256: sealed.manifestSha256, sealed_at: sealed.at })
        .where('id', '=', id)
        .where('copy_state', '=', 'sealing')
        .executeTakeFirst();
      if (updated.numUpdatedRows !== 1n) return false;
      if (sealed.items.length > 0) {
        await db
          .insertInto('preserved_items')
          .values(
            sealed.items.map((item) => ({
              preservation_id: id,
              target_id: item.targetId,
              category: item.category,
              account_id: item.accountId,
              account_label: item.accountLabel,
              range_from: new Date(item.range.from),
              range_to: new Date(item.range.to),
              status: item.status,
              records: item.records,
              columns: [...item.columns],
              sha256: item.sha256,
              size: item.size,
              detail: item.detail,
            })),
          )
          .execute();
      }
      return true;
    },
    async setExpiry(id, expiresAt, extendedAt) {
      await db
        .updateTable('preservations')
        .set({ expires_at: expiresAt, ...(extendedAt ? { extended_at: extendedAt } : {}) })
        .where('id', '=', id)
        .execute();
    },
    async release(id, at) {
      await db
        .updateTable('preservations')
        .set({ copy_state: 'released', released_at: at })
        .where('id', '=', id)
        .where('copy_state', '<>', 'released')
        .execute();
      return itemsOf(id);
    },
    async copiesFor(agencyId, accountId, category) {
      const rows = await db
        .selectFrom('preserved_items as i')
        .innerJoin('preservations as p', 'p.id', 'i.preservation_id')
        .innerJoin('requests as r', 'r.id', 'p.request_id')
        .selectAll('i')
        .select(['r.tracking_number'])
        .where('r.agency_id', '=', agencyId)
        .where('p.copy_state', '=', 'sealed')
        .where('i.account_id', '=', accountId)
        .where('i.category', '=', category)
        .where('i.sha256', 'is not', null)
        .orderBy('p.created_at', 'desc')
        .execute();
      return rows.map(({ tracking_number, ...row }) => ({
        ...toItem(row),
        preservationId: row.preservation_id,
        trackingNumber: tracking_number,
      }));
    },
    async fileInUse(sha256) {
      const row = await db
        .selectFrom('preserved_items as i')
        .innerJoin('preservations as p', 'p.id', 'i.preservation_id')
        .select(sql<number>`1`.as('one'))
        .where('i.sha256', '=', sha256)
        .where('p.copy_state', '<>', 'released')
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}

const toNotice = (row: Selectable<NoticesTable>): NoticeRecord => ({
  id: row.id,
  requestId: row.request_id,
  targetId: row.target_id,
  purpose: row.purpose,
  state: row.state,
  basis: row.basis as NoticeBasis,
  basisDetail: row.basis_detail,
  notBefore: iso(row.not_before),
  sentAt: iso(row.sent_at),
  viewedAt: iso(row.viewed_at),
  linkRevokedAt: iso(row.link_revoked_at),
  createdAt: row.created_at.toISOString(),
});

export function noticeRepository(db: Kysely<Database>): NoticeRepository {
  return {
    async create(notice) {
      const inserted = await db
        .insertInto('notices')
        .values({
          request_id: notice.requestId,
          target_id: notice.targetId,
          purpose: notice.purpose,
          state: notice.plan.state,
          basis: notice.plan.basis,
          basis_detail: notice.plan.basisDetail,
          not_before: notice.plan.notBefore ? new Date(notice.plan.notBefore) : null,
        })
        .onConflict((conflict) => conflict.columns(['request_id', 'target_id', 'purpose']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) return { notice: toNotice(inserted), created: true };
      const existing = await db
        .selectFrom('notices')
        .selectAll()
        .where('request_id', '=', notice.requestId)
        .where('target_id', '=', notice.targetId)
        .where('purpose', '=', notice.purpose)
        .executeTakeFirstOrThrow();
      return { notice: toNotice(existing), created: false };
    },
    async find(id, options) {
      if (!UUID.test(id)) return undefined;
      let query = db.selectFrom('notices').selectAll().where('id', '=', id);
      if (options?.lock) query = query.forUpdate();
      const row = await query.executeTakeFirst();
      return row ? toNotice(row) : undefined;
    },
    async forRequest(requestId) {
      const rows = await db
        .selectFrom('notices as n')
        .innerJoin('targets as t', 't.id', 'n.target_id')
        .selectAll('n')
        .where('n.request_id', '=', requestId)
        .orderBy('t.position')
        .orderBy('n.purpose')
        .execute();
      return rows.map(toNotice);
    },
    async replan(id, plan) {
      await db
        .updateTable('notices')
        .set({
          state: plan.state,
          basis: plan.basis,
          basis_detail: plan.basisDetail,
          not_before: plan.notBefore ? new Date(plan.notBefore) : null,
        })
        .where('id', '=', id)
        .where('state', 'in', ['scheduled', 'withheld'])
        .execute();
    },
    async markSent(id, at, tokenSha256) {
      await db.updateTable('notices').set({ state: 'sent', sent_at: at, token_sha256: tokenSha256 }).where('id', '=', id).execute();
    },
    async revokeLink(id, at) {
      const row = await db
        .updateTable('notices')
        .set({ link_revoked_at: at })
        .where('id', '=', id)
        .where('state', '=', 'sent')
        .where('link_revoked_at', 'is', null)
        .returning('id')
        .executeTakeFirst();
      return row !== undefined;
    },
    async markNoContact(id) {
      await db.updateTable('notices').set({ state: 'no_contact' }).where('id', '=', id).execute();
    },
    async findSent(tokenSha256, at, sentAfter) {
      const row = await db
        .updateTable('notices')
        .set({ viewed_at: sql<Date>`coalesce(viewed_at, ${at})` })
        .where('token_sha256', '=', tokenSha256)
        .where('state', '=', 'sent')
        .where('link_revoked_at', 'is', null)
        .where('sent_at', '>', sentAfter)
        .returningAll()
        .executeTakeFirst();
      return row ? toNotice(row) : undefined;
    },
  };
}

const toRemoval = (row: Selectable<RemovalActionsTable>): RemovalActionRecord => ({
  id: row.id,
  requestId: row.request_id,
  targetId: row.target_id,
  action: row.action,
  countries: row.countries,
  reasons: row.reasons,
  decidedBy: row.decided_by,
  state: row.state,
  contentId: row.content_id,
  authorAccount: row.author_account,
  detail: row.detail,
  actedAt: iso(row.acted_at),
});

export function removalRepository(db: Kysely<Database>): RemovalRepository {
  return {
    async insert(actions) {
      if (actions.length === 0) return;
      await db
        .insertInto('removal_actions')
        .values(
          actions.map((action) => ({
            request_id: action.requestId,
            target_id: action.targetId,
            action: action.action,
            countries: [...action.countries],
            reasons: action.reasons,
            decided_by: action.decidedBy,
          })),
        )
        .execute();
    },
    async forRequest(requestId) {
      const rows = await db
        .selectFrom('removal_actions as a')
        .innerJoin('targets as t', 't.id', 'a.target_id')
        .selectAll('a')
        .where('a.request_id', '=', requestId)
        .orderBy('t.position')
        .execute();
      return rows.map(toRemoval);
    },
    async record(id, outcome) {
      const updated = await db
        .updateTable('removal_actions')
        .set({
          state: outcome.state,
          content_id: outcome.contentId,
          author_account: outcome.authorAccount,
          detail: outcome.detail,
          acted_at: outcome.at,
        })
        .where('id', '=', id)
        .where('state', '=', 'pending')
        .executeTakeFirst();
      return updated.numUpdatedRows === 1n;
    },
  };
}
