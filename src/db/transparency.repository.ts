/**
 * What the transparency report counts, read in one snapshot with the audit log's latest tree head: one scan of
 * `requests` (its report columns, migration 0021) grouped by country, kind, instrument and month, and the `notice.sent`
 * and `removal.actioned` events of those requests.
 */
import { sql, type Kysely } from 'kysely';
import type { TreeHead } from '../core/audit-log.ts';
import { OPEN_STATES, type InstrumentType, type RequestKind } from '../core/request.ts';
import { REMOVAL_ACTIONS, type FactGroup, type RemovalAction, type ReportFacts } from '../core/transparency.ts';
import type { RemovalDecisionFacts, TransparencyRepository } from '../core/ports.ts';
import { auditTreeRepository } from './audit-tree.repository.ts';
import type { Database } from './schema.ts';

const OPEN = [...OPEN_STATES];
const n = (value: string | number | null | undefined) => Number(value ?? 0);

export function transparencyRepository(db: Kysely<Database>): TransparencyRepository {
  return {
    async facts(range) {
      return db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (trx) => {
          // The row-level security policy hides from the planner that every row passes here: it expects a few, and
          // would sort a million to group them (with the sort off, DISTINCT ON below sorts its few events still).
          await sql`SET LOCAL enable_sort = off`.execute(trx);
          // Compiling these aggregates to machine code costs more than it saves on a few million rows.
          await sql`SET LOCAL jit = off`.execute(trx);
          const groups = await sql<Record<string, string>>`
            SELECT jurisdiction, kind, instrument_type, to_char(month, 'YYYY-MM') AS month, requests, accounts, with_data, processed,
                   processed_accounts, rejected, narrowed, non_disclosure, refused_unverified, withdrawn, pending
            FROM (
              SELECT jurisdiction, kind, instrument_type, date_trunc('month', received_at AT TIME ZONE 'UTC') AS month,
                count(*) AS requests,
                coalesce(sum(targets_count), 0) AS accounts,
                count(*) FILTER (WHERE produced_records > 0) AS with_data,
                count(*) FILTER (WHERE decided_as IN ('approved', 'partially_approved')) AS processed,
                coalesce(sum(targets_count) FILTER (WHERE decided_as IN ('approved', 'partially_approved')), 0) AS processed_accounts,
                count(*) FILTER (WHERE decided_as = 'rejected') AS rejected,
                count(*) FILTER (WHERE decided_as = 'partially_approved') AS narrowed,
                count(*) FILTER (WHERE non_disclosure) AS non_disclosure,
                count(*) FILTER (WHERE refused_unverified) AS refused_unverified,
                count(*) FILTER (WHERE state = 'withdrawn') AS withdrawn,
                count(*) FILTER (WHERE state = ANY(${OPEN}::text[])) AS pending
              FROM requests
              WHERE received_at >= ${range.from} AND received_at < ${range.to}
              GROUP BY 1, 2, 3, 4
            ) grouped
          `.execute(trx);
          const notices = await sql<{ jurisdiction: string; kind: string; notified: string; requests_notified: string }>`
            WITH notices AS MATERIALIZED (SELECT request_id, data ->> 'targetId' AS target FROM audit_events WHERE type = 'notice.sent')
            SELECT r.jurisdiction, r.kind, count(DISTINCT (e.request_id, e.target)) AS notified,
                   count(DISTINCT e.request_id) AS requests_notified
            FROM notices e JOIN requests r ON r.id = e.request_id
            WHERE r.received_at >= ${range.from} AND r.received_at < ${range.to}
            GROUP BY 1, 2
          `.execute(trx);
          const removals = await sql<{ jurisdiction: string; action: string; orders: string; items: string }>`
            WITH actions AS MATERIALIZED (SELECT id, request_id, data FROM audit_events WHERE type = 'removal.actioned')
            SELECT jurisdiction, action, count(*) AS orders, coalesce(sum(items), 0) AS items FROM (
              SELECT DISTINCT ON (e.request_id) r.jurisdiction, e.data ->> 'action' AS action,
                     CASE WHEN jsonb_typeof(e.data -> 'items') = 'number' THEN (e.data ->> 'items')::numeric ELSE 0 END AS items
              FROM actions e JOIN requests r ON r.id = e.request_id
              WHERE r.received_at >= ${range.from} AND r.received_at < ${range.to}
              ORDER BY e.request_id, e.id DESC
            ) last_action
            GROUP BY 1, 2
          `.execute(trx);
          const tree = auditTreeRepository(trx);
          const facts: ReportFacts = {
            groups: groups.rows.map((row): FactGroup => ({
              jurisdiction: row.jurisdiction!,
              kind: row.kind as RequestKind,
              instrumentType: row.instrument_type as InstrumentType,
              month: row.month!,
              requests: n(row.requests),
              accountsSpecified: n(row.accounts),
              withData: n(row.with_data),
              processed: n(row.processed),
              processedAccounts: n(row.processed_accounts),
              rejected: n(row.rejected),
              narrowed: n(row.narrowed),
              nonDisclosure: n(row.non_disclosure),
              refusedUnverified: n(row.refused_unverified),
              withdrawn: n(row.withdrawn),
              pending: n(row.pending),
            })),
            notices: notices.rows.map((row) => ({
              jurisdiction: row.jurisdiction,
              kind: row.kind as RequestKind,
              usersNotified: n(row.notified),
              requestsNotified: n(row.requests_notified),
            })),
            removals: removals.rows
              .filter((row) => (REMOVAL_ACTIONS as readonly string[]).includes(row.action))
              .map((row) => ({
                jurisdiction: row.jurisdiction,
                action: row.action as RemovalAction,
                orders: n(row.orders),
                items: n(row.items),
              })),
          };
          const treeHead: TreeHead | undefined = await tree.latestTreeHead();
          return { facts, treeHead, unplaced: await tree.unsequencedCount() };
        });
    },
    async removalDecisions(range) {
      const { rows } = await sql<{
        tracking_number: string;
        jurisdiction: string;
        instrument_type: string;
        issuing_authority: string | null;
        process_reference: string | null;
        issued_on: string | null;
        received_at: Date;
        date_from: Date | null;
        action: string;
        items: string;
        actioned_at: Date;
      }>`
        SELECT DISTINCT ON (e.request_id) r.tracking_number, r.jurisdiction, r.instrument_type, r.issuing_authority,
               r.process_reference, r.issued_on::text AS issued_on, r.received_at, r.date_from, e.data ->> 'action' AS action,
               CASE WHEN jsonb_typeof(e.data -> 'items') = 'number' THEN e.data ->> 'items' ELSE '0' END AS items,
               e.occurred_at AS actioned_at
        FROM audit_events e JOIN requests r ON r.id = e.request_id
        WHERE e.type = 'removal.actioned' AND r.kind = 'removal' AND e.occurred_at >= ${range.from} AND e.occurred_at < ${range.to}
        ORDER BY e.request_id, e.id DESC
      `.execute(db);
      return rows
        .filter((row) => (REMOVAL_ACTIONS as readonly string[]).includes(row.action))
        .map((row): RemovalDecisionFacts => ({
          trackingNumber: row.tracking_number,
          jurisdiction: row.jurisdiction,
          instrumentType: row.instrument_type as InstrumentType,
          issuingAuthority: row.issuing_authority,
          reference: row.process_reference,
          issuedOn: row.issued_on,
          receivedAt: new Date(row.received_at).toISOString(),
          contentFrom: row.date_from ? new Date(row.date_from).toISOString() : null,
          action: row.action as RemovalAction,
          items: n(row.items),
          actionedAt: new Date(row.actioned_at).toISOString(),
        }))
        .sort((a, b) => (a.actionedAt < b.actionedAt ? -1 : 1));
    },
    async since() {
      // The platform's start, not a request's arrival: the list of periods must not say when the first request came.
      const row = await db
        .selectFrom('organisations')
        .select((eb) => eb.fn.min('created_at').as('since'))
        .where('kind', '=', 'platform')
        .executeTakeFirst();
      return row?.since ? new Date(row.since as unknown as string).toISOString() : null;
    },
  };
}
