/** Requests and their targets. Every read takes a scope; an agency's scope adds `agency_id = :agency` to the query. */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { RequestRecord, RequestScope, TargetRecord } from '../core/model.ts';
import type { RequestRepository } from '../core/ports.ts';
import { WritError } from '../core/errors.ts';
import { statesThatMeet } from '../core/deadlines.ts';
import { isTrackingNumber, OPEN_STATES, REQUEST_KINDS } from '../core/request.ts';
import type { Database, RequestsTable } from './schema.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();

type Row = Selectable<RequestsTable> & { agency_name: string };

/** The queue's cursor: where the last row of a page stood in the order (urgency, instant to the microsecond, id). */
interface ListCursor {
  readonly urgent: number;
  readonly at: string;
  readonly id: string;
}
const encodeListCursor = (cursor: ListCursor): string =>
  Buffer.from(JSON.stringify([cursor.urgent, cursor.at, cursor.id])).toString('base64url');

function decodeListCursor(raw: string): ListCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 3) {
      const [urgent, at, id] = value as unknown[];
      if ((urgent === 0 || urgent === 1) && typeof at === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(at)) {
        if (typeof id === 'string' && UUID.test(id)) return { urgent, at, id };
      }
    }
  } catch {
    // fall through to the error below
  }
  throw new WritError('INVALID_CURSOR', 'The cursor is not one this server issued.');
}

function toRecord(row: Row): RequestRecord {
  return {
    id: row.id,
    trackingNumber: row.tracking_number,
    agencyId: row.agency_id,
    agencyName: row.agency_name,
    officerId: row.officer_id,
    kind: row.kind as RequestRecord['kind'],
    state: row.state as RequestRecord['state'],
    version: row.version,
    jurisdiction: row.jurisdiction,
    caseReference: row.case_reference,
    summary: row.summary,
    legalProcess: {
      instrumentType: row.instrument_type as RequestRecord['legalProcess']['instrumentType'],
      issuingAuthority: row.issuing_authority,
      issuerType: row.issuer_type as RequestRecord['legalProcess']['issuerType'],
      reference: row.process_reference,
      issuedOn: row.issued_on,
    },
    categories: row.categories as RequestRecord['categories'],
    dateRange: row.date_from && row.date_to ? { from: iso(row.date_from), to: iso(row.date_to) } : null,
    offence: row.offence as RequestRecord['offence'],
    nonDisclosure: { ordered: row.non_disclosure, until: row.non_disclosure_until },
    deadline: row.deadline ? iso(row.deadline) : null,
    emergency: row.emergency as RequestRecord['emergency'],
    facts: (row.facts as RequestRecord['facts']) ?? null,
    lastReview: row.reviewed_at ? { blocks: (row.review_blocks as string[] | null) ?? [], at: iso(row.reviewed_at) } : null,
    followUp: {
      due: row.follow_up_due ? iso(row.follow_up_due) : null,
      receivedAt: row.follow_up_received_at ? iso(row.follow_up_received_at) : null,
    },
    due: row.due_at ? { at: iso(row.due_at), basis: row.due_basis ?? 'agency' } : null,
    payloadSha256: row.payload_sha256,
    receivedAt: iso(row.received_at),
    updatedAt: iso(row.updated_at),
  };
}

export function requestRepository(db: Kysely<Database>): RequestRepository {
  const scoped = (scope: RequestScope) => {
    const query = db
      .selectFrom('requests')
      .innerJoin('organisations', 'organisations.id', 'requests.agency_id')
      .selectAll('requests')
      .select('organisations.name as agency_name');
    return scope.kind === 'agency' ? query.where('requests.agency_id', '=', scope.agencyId) : query;
  };
  return {
    async nextTrackingSequence() {
      const { rows } = await sql<{ n: string }>`SELECT nextval('request_tracking_seq')::text AS n`.execute(db);
      return Number(rows[0]?.n);
    },
    async insert(request, targets) {
      const row = await db
        .insertInto('requests')
        .values({
          tracking_number: request.trackingNumber,
          agency_id: request.agencyId,
          officer_id: request.officerId,
          kind: request.kind,
          state: 'received',
          jurisdiction: request.jurisdiction,
          case_reference: request.caseReference,
          summary: request.summary,
          instrument_type: request.legalProcess.instrumentType,
          issuing_authority: request.legalProcess.issuingAuthority,
          issuer_type: request.legalProcess.issuerType,
          process_reference: request.legalProcess.reference,
          issued_on: request.legalProcess.issuedOn,
          categories: [...request.categories],
          date_from: request.dateRange?.from ? new Date(request.dateRange.from) : null,
          date_to: request.dateRange?.to ? new Date(request.dateRange.to) : null,
          offence: request.offence ? JSON.stringify(request.offence) : null,
          non_disclosure: request.nonDisclosure.ordered,
          non_disclosure_until: request.nonDisclosure.until,
          deadline: request.deadline ? new Date(request.deadline) : null,
          emergency: request.emergency ? JSON.stringify(request.emergency) : null,
          facts: request.facts ? JSON.stringify(request.facts) : null,
          payload_sha256: request.payloadSha256,
          sender_network: request.senderNetwork ?? null,
          // For the transparency report: the accounts a request specified (migration 0021).
          targets_count: targets.length,
        })
        .returningAll()
        .returning((eb) =>
          eb.selectFrom('organisations').select('name').whereRef('organisations.id', '=', 'requests.agency_id').as('agency_name'),
        )
        .executeTakeFirstOrThrow();
      // Large target lists go in slices: a statement has at most 65,535 parameters.
      for (let start = 0; start < targets.length; start += 5000) {
        await db
          .insertInto('targets')
          .values(
            targets.slice(start, start + 5000).map((target) => ({
              request_id: row.id,
              position: target.position,
              kind: target.kind,
              value: target.value,
              note: target.note,
            })),
          )
          .execute();
      }
      return toRecord({ ...row, agency_name: row.agency_name ?? '' });
    },
    async find(scope, reference) {
      if (isTrackingNumber(reference))
        return mapOptional(await scoped(scope).where('requests.tracking_number', '=', reference).executeTakeFirst());
      if (UUID.test(reference)) return mapOptional(await scoped(scope).where('requests.id', '=', reference).executeTakeFirst());
      return undefined;
    },
    async status(scope, reference) {
      let query = db.selectFrom('requests').select(['id', 'tracking_number', 'kind', 'state', 'version', 'received_at', 'updated_at']);
      if (isTrackingNumber(reference)) query = query.where('tracking_number', '=', reference);
      else if (UUID.test(reference)) query = query.where('id', '=', reference);
      else return undefined;
      if (scope.kind === 'agency') query = query.where('agency_id', '=', scope.agencyId);
      const row = await query.executeTakeFirst();
      return row
        ? {
            id: row.id,
            trackingNumber: row.tracking_number,
            kind: row.kind as RequestRecord['kind'],
            state: row.state as RequestRecord['state'],
            version: row.version,
            receivedAt: iso(row.received_at),
            updatedAt: iso(row.updated_at),
          }
        : undefined;
    },
    async list(scope, query) {
      const byPriority = query.order === 'priority';
      // Open emergency requests first: someone may be in danger.
      const urgent = sql<number>`(CASE WHEN requests.kind = 'emergency' AND requests.state IN (${sql.join([...OPEN_STATES])}) THEN 1 ELSE 0 END)`;
      // The instant to the microsecond, as stored: a cursor at millisecond precision would skip rows.
      const instant = sql<string>`to_char(requests.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
      let select = scoped(scope).select([urgent.as('urgent'), instant.as('received_exact')]);
      if (query.state) select = select.where('requests.state', '=', query.state);
      if (query.kind) select = select.where('requests.kind', '=', query.kind);
      if (query.q) {
        // A literal search: LIKE's wildcards in what was typed match only themselves.
        const pattern = `%${query.q.toLowerCase().replace(/[\\%_]/g, (c: string) => `\\${c}`)}%`;
        select = select.where((eb) =>
          eb.or([
            eb(eb.fn('lower', ['requests.tracking_number']), 'like', pattern),
            eb(eb.fn('lower', ['requests.case_reference']), 'like', pattern),
            eb(eb.fn('lower', ['organisations.name']), 'like', pattern),
          ]),
        );
      }
      if (query.cursor) {
        const cursor = decodeListCursor(query.cursor);
        const at = sql<Date>`${cursor.at}::timestamptz`;
        select = select.where((eb) => {
          const older = eb.or([
            eb('requests.received_at', '<', at),
            eb.and([eb('requests.received_at', '=', at), eb('requests.id', '<', cursor.id)]),
          ]);
          return byPriority ? eb.or([eb(urgent, '<', cursor.urgent), eb.and([eb(urgent, '=', cursor.urgent), older])]) : older;
        });
      }
      if (byPriority) select = select.orderBy(urgent, 'desc');
      const rows = await select
        .orderBy('requests.received_at', 'desc')
        .orderBy('requests.id', 'desc')
        .limit(query.limit + 1)
        .execute();
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(toRecord),
        nextCursor:
          rows.length > query.limit && last
            ? encodeListCursor({ urgent: Number(last.urgent), at: last.received_exact, id: last.id })
            : null,
      };
    },
    async transition(id, change) {
      const result = await db
        .updateTable('requests')
        .set({ state: change.to, version: change.version + 1, updated_at: new Date() })
        .where('id', '=', id)
        .where('state', '=', change.from)
        .where('version', '=', change.version)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },
    async openRequestsNaming(values, exceptRequestId) {
      const wanted = [...new Set(values.map((value) => value.trim().toLowerCase()))];
      const found = new Map<string, string[]>();
      // In slices, so a request with 10,000 targets stays within parameter limits.
      for (let start = 0; start < wanted.length; start += 1000) {
        const slice = wanted.slice(start, start + 1000);
        const rows = await db
          .selectFrom('targets')
          .innerJoin('requests', 'requests.id', 'targets.request_id')
          .select([sql<string>`lower(btrim(targets.value))`.as('value'), 'requests.tracking_number'])
          .where(sql<string>`lower(btrim(targets.value))`, 'in', slice)
          .where('requests.id', '<>', exceptRequestId)
          .where('requests.state', 'in', [...OPEN_STATES])
          .orderBy('requests.tracking_number')
          .execute();
        for (const row of rows) {
          const list = found.get(row.value) ?? [];
          if (!list.includes(row.tracking_number)) list.push(row.tracking_number);
          found.set(row.value, list);
        }
      }
      return found;
    },
    async officerActivity(request) {
      // Anchored on the stored instant (microseconds), not the millisecond one in the record.
      const { rows } = await sql<{
        emergencies: string;
        recent: string;
        network: string | null;
        first_seen: Date | string | null;
        earlier: string;
      }>`
        WITH anchor AS (SELECT received_at AS at, sender_network AS network FROM requests WHERE id = ${request.id}),
             seen AS (SELECT n.first_seen_at FROM user_networks n, anchor WHERE n.user_id = ${request.officerId} AND n.network = anchor.network)
        SELECT (SELECT count(*) FROM requests r, anchor
                 WHERE r.officer_id = ${request.officerId} AND r.kind = 'emergency' AND r.received_at < anchor.at AND r.id <> ${request.id})::text AS emergencies,
               (SELECT count(*) FROM requests r, anchor
                 WHERE r.officer_id = ${request.officerId} AND r.received_at > anchor.at - interval '1 hour' AND r.received_at <= anchor.at)::text AS recent,
               (SELECT network FROM anchor) AS network,
               (SELECT first_seen_at FROM seen) AS first_seen,
               (SELECT count(*) FROM user_networks other, anchor, seen
                 WHERE other.user_id = ${request.officerId} AND other.network <> anchor.network AND other.first_seen_at < seen.first_seen_at)::text AS earlier
      `.execute(db);
      const row = rows[0];
      const firstSeen = row?.first_seen ? new Date(row.first_seen).toISOString() : undefined;
      return {
        earlierEmergencies: Number(row?.emergencies ?? 0),
        requestsInLastHour: Number(row?.recent ?? 0),
        network:
          row?.network && firstSeen ? { prefix: row.network, firstSeenAt: firstSeen, earlierNetworks: Number(row.earlier) } : undefined,
      };
    },
    async sentSince(officerId, since, atMost) {
      const { rows } = await sql<{ count: string; earliest: Date | string | null }>`
        SELECT count(*)::text AS count, min(received_at) AS earliest
        FROM (SELECT received_at FROM requests WHERE officer_id = ${officerId} AND received_at > ${since}
              ORDER BY received_at LIMIT ${atMost}) AS recent
      `.execute(db);
      const row = rows[0];
      return { count: Number(row?.count ?? 0), earliest: row?.earliest ? new Date(row.earliest) : undefined };
    },
    async setFollowUp(requestId, followUp) {
      await db
        .updateTable('requests')
        .set({
          ...(followUp.due ? { follow_up_due: followUp.due } : {}),
          ...(followUp.receivedAt ? { follow_up_received_at: followUp.receivedAt } : {}),
        })
        .where('id', '=', requestId)
        .execute();
    },
    async setNonDisclosure(requestId, nonDisclosure) {
      await db
        .updateTable('requests')
        .set({ non_disclosure: nonDisclosure.ordered, non_disclosure_until: nonDisclosure.until })
        .where('id', '=', requestId)
        .execute();
    },
    async setLastReview(requestId, review) {
      await db
        .updateTable('requests')
        .set({ review_blocks: JSON.stringify(review.blocks), reviewed_at: new Date(review.at) })
        .where('id', '=', requestId)
        .execute();
    },
    async setDue(requestId, due) {
      await db
        .updateTable('requests')
        .set({ due_at: due ? new Date(due.at) : null, due_basis: due?.basis ?? null })
        .where('id', '=', requestId)
        .execute();
    },
    async deadlines(query) {
      const met = sql.join(
        REQUEST_KINDS.map((kind) => sql`(r.kind = ${kind} AND r.state IN (${sql.join([...statesThatMeet(kind)])}))`),
        sql` OR `,
      );
      const overdueOnly = query.overdueOnly ? sql`AND d.due_at <= ${query.now}` : sql``;
      const { rows } = await sql<{
        id: string;
        tracking_number: string;
        kind: string;
        state: string;
        jurisdiction: string;
        agency_name: string;
        what: string;
        due_at: Date;
        basis: string;
      }>`
        WITH d AS (
          SELECT r.id, 'response' AS what, r.due_at, coalesce(r.due_basis, 'agency') AS basis
          FROM requests r WHERE r.due_at IS NOT NULL AND NOT (${met})
          UNION ALL
          SELECT r.id, 'follow_up', r.follow_up_due, 'emergency_follow_up'
          FROM requests r WHERE r.follow_up_due IS NOT NULL AND r.follow_up_received_at IS NULL
            AND r.state NOT IN ('rejected', 'closed', 'withdrawn')
          UNION ALL
          SELECT p.request_id, 'preservation_expiry', p.expires_at, 'preservation'
          FROM preservations p JOIN requests r ON r.id = p.request_id WHERE r.state IN ('active', 'extended')
        )
        SELECT r.id, r.tracking_number, r.kind, r.state, r.jurisdiction, o.name AS agency_name, d.what, d.due_at, d.basis
        FROM d JOIN requests r ON r.id = d.id JOIN organisations o ON o.id = r.agency_id
        WHERE true ${overdueOnly}
        ORDER BY d.due_at, r.id LIMIT ${query.limit}
      `.execute(db);
      return rows.map((row) => ({
        requestId: row.id,
        trackingNumber: row.tracking_number,
        kind: row.kind as RequestRecord['kind'],
        state: row.state as RequestRecord['state'],
        jurisdiction: row.jurisdiction,
        agencyName: row.agency_name,
        what: row.what as 'response' | 'follow_up' | 'preservation_expiry',
        dueAt: iso(row.due_at),
        basis: row.basis,
        overdue: new Date(row.due_at).getTime() <= query.now.getTime(),
      }));
    },
    async targets(requestId) {
      const rows = await db.selectFrom('targets').selectAll().where('request_id', '=', requestId).orderBy('position').execute();
      return rows.map((row): TargetRecord => ({
        id: row.id,
        position: row.position,
        kind: row.kind as TargetRecord['kind'],
        value: row.value,
        note: row.note,
      }));
    },
  };
}

const mapOptional = (row: Row | undefined): RequestRecord | undefined => (row ? toRecord(row) : undefined);
