/**
 * The connector for the demo messenger (schema `demo`, see demo-messenger.dataset.ts). It reads in keyset-paged
 * batches, so a production streams with flat memory on PGlite and PostgreSQL alike. The demo messenger keeps login
 * records for a year and messages for 30 days before its reference instant, holds only ciphertext for end-to-end
 * encrypted chats, and holds no location, device or payment data.
 */
import { sql, type QueryExecutorProvider } from 'kysely';
import type { PlatformConnector, ProduceOutcome } from '../../core/connector.ts';
import type { DateRange } from '../../core/model.ts';
import type { EncodedRecords } from '../../core/ports.ts';
import type { EncodableSelect } from '../shared/copy.ts';
import { DEMO_REFERENCE_INSTANT, MODERATION_TABLE } from './demo-messenger.dataset.ts';

const BATCH = 10_000;
const DAY = 86_400_000;
const LOGIN_RETENTION_DAYS = 365;
const MESSAGE_RETENTION_DAYS = 30;

type Row = Record<string, unknown>;

/**
 * Rows of `fetch(after)` batch after batch, until a short batch; `after` is the last row's keyset position (undefined
 * for the first batch), and rows carry it in `key`. The next batch is asked for as soon as the current one arrives, so
 * the database works while this process writes.
 */
async function* batches(fetch: (after: Row | undefined) => Promise<Row[]>): AsyncIterable<Row> {
  let next: Promise<Row[]> | undefined = fetch(undefined);
  while (next) {
    const rows: Row[] = await next;
    const last = rows.at(-1);
    next = rows.length === BATCH && last ? fetch(last) : undefined;
    // If the consumer stops early, a failed prefetch must not become an unhandled rejection (which ends the process).
    next?.catch(() => undefined);
    for (const { id: _id, key_at: _at, ...record } of rows) yield record;
  }
}

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value);
const startsBefore = (range: DateRange, days: number) => Date.parse(range.from) < Date.parse(DEMO_REFERENCE_INSTANT) - days * DAY;
const endsBefore = (range: DateRange, days: number) => Date.parse(range.to) < Date.parse(DEMO_REFERENCE_INSTANT) - days * DAY;

export interface DemoConnectorOptions {
  /** Encodes a SELECT in the database (PostgreSQL COPY); absent on PGlite, where records are encoded here. */
  readonly encode?: (query: EncodableSelect) => Promise<EncodedRecords>;
}

const ISO_TEXT = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const TRAFFIC_JSON = [
  ['at', 'plain'],
  ['ip', 'plain'],
  ['port', 'number'],
  ['kind', 'text'],
  ['user_agent', 'text'],
] as const;

/**
 * The login records of one account in a range, as PostgreSQL encodes them (COPY takes no parameters: the values
 * written in are a checked number and two instants from Date). Ordered by the table's columns, not the output's text.
 */
export function demoTrafficSelect(accountId: string, from: Date, to: Date): string {
  return `SELECT to_char(l.at AT TIME ZONE 'UTC', ${ISO_TEXT}) AS at, host(l.ip) AS ip, l.port, l.kind, l.user_agent
    FROM demo.logins l WHERE l.account_id = ${BigInt(accountId).toString()}
    AND l.at BETWEEN '${from.toISOString()}'::timestamptz AND '${to.toISOString()}'::timestamptz ORDER BY l.at, l.id`;
}

/** A demo message by URL (`https://<host>/messages/<id>`, or `/m/<id>`) or by id (`message:<id>`, or the bare number). */
export function demoMessageId(content: { readonly kind: string; readonly value: string }): string | undefined {
  const value = content.value.trim();
  const match =
    content.kind === 'url'
      ? /^https?:\/\/[^/\s]+\/(?:messages|m)\/(\d{1,18})\/?(?:[?#].*)?$/i.exec(value)
      : /^(?:message:)?(\d{1,18})$/.exec(value);
  return match?.[1];
}

export function demoConnector(db: QueryExecutorProvider, options: DemoConnectorOptions = {}): PlatformConnector {
  const exists = async (query: ReturnType<typeof sql<{ found: boolean }>>) => Boolean((await query.execute(db)).rows[0]?.found);
  // A demo messenger seeded before moderation existed gets its table on the first removal.
  let moderation: Promise<unknown> | undefined;
  const ensureModeration = () =>
    (moderation ??= sql
      .raw(MODERATION_TABLE)
      .execute(db)
      .catch((error: unknown) => {
        moderation = undefined;
        throw error;
      }));
  return {
    name: 'demo',
    async contact(accountId) {
      if (!/^\d{1,18}$/.test(accountId)) return undefined;
      const { rows } = await sql<{ email: string | null }>`SELECT email FROM demo.accounts WHERE id = ${accountId}::bigint`.execute(db);
      const email = rows[0]?.email;
      return email ? { email } : undefined;
    },
    async act(action, content, { countries, reference }) {
      const id = demoMessageId(content);
      if (!id) return { status: 'not_found', detail: 'The demo messenger names messages as https://…/messages/<id> or message:<id>.' };
      const { rows } = await sql<{ sender: string }>`SELECT sender_id::text AS sender FROM demo.messages WHERE id = ${id}::bigint`.execute(
        db,
      );
      const sender = rows[0]?.sender;
      if (!sender) return { status: 'not_found', detail: 'No such message.' };
      await ensureModeration();
      if (action === 'removed') {
        await sql`
          INSERT INTO demo.moderation (message_id, removed_at, reference) VALUES (${id}::bigint, now(), ${reference})
          ON CONFLICT (message_id) DO UPDATE SET removed_at = coalesce(demo.moderation.removed_at, now()), updated_at = now()
        `.execute(db);
        return { status: 'done', contentId: `message:${id}`, authorAccountId: sender, detail: 'Taken down; kept hidden as evidence.' };
      }
      if (action === 'restricted') {
        await sql`
          INSERT INTO demo.moderation (message_id, withheld_in, reference) VALUES (${id}::bigint, ${[...countries]}::text[], ${reference})
          ON CONFLICT (message_id) DO UPDATE SET updated_at = now(), withheld_in = (
            SELECT array_agg(DISTINCT c ORDER BY c) FROM unnest(demo.moderation.withheld_in || EXCLUDED.withheld_in) AS c
          )
        `.execute(db);
        return { status: 'done', contentId: `message:${id}`, authorAccountId: sender, detail: `Withheld in ${countries.join(', ')}.` };
      }
      return { status: 'done', contentId: `message:${id}`, authorAccountId: sender, detail: 'Left up, with the reasons given.' };
    },
    async resolve(identifier) {
      const { kind, value } = identifier;
      const where =
        kind === 'username'
          ? sql`username = ${value}`
          : kind === 'email'
            ? sql`lower(email) = ${value}`
            : kind === 'phone'
              ? sql`phone = ${value}`
              : kind === 'user_id' && /^\d{1,18}$/.test(value)
                ? sql`id = ${value}::bigint`
                : kind === 'ip' && /^[0-9a-fA-F:.]{2,45}$/.test(value)
                  ? sql`id IN (SELECT account_id FROM demo.logins WHERE host(ip) = ${value})`
                  : undefined;
      if (!where) return { status: 'not_found', tried: identifier };
      const { rows } = await sql<{
        id: string;
        username: string;
      }>`SELECT id::text, username FROM demo.accounts WHERE ${where} ORDER BY id LIMIT 50`.execute(db);
      return rows.length > 0
        ? { status: 'found', accounts: rows.map((row) => ({ id: row.id, label: row.username })) }
        : { status: 'not_found', tried: identifier };
    },

    async produce(category, accountId, range): Promise<ProduceOutcome> {
      const from = new Date(range.from);
      const to = new Date(range.to);
      switch (category) {
        case 'subscriber': {
          const columns = [
            'account_id',
            'username',
            'display_name',
            'email',
            'phone',
            'created_at',
            'registration_ip',
            'status',
            'country',
          ];
          const { rows } = await sql<Row>`
            SELECT id::text AS account_id, username, display_name, email, phone, created_at, host(registration_ip) AS registration_ip, status, country
            FROM demo.accounts WHERE id = ${accountId}::bigint
          `.execute(db);
          const row = rows[0];
          if (!row) return { status: 'no_records', detail: 'The account holds no subscriber record.' };
          return {
            status: 'records',
            columns,
            records: (async function* () {
              yield { ...row, created_at: iso(row.created_at) };
            })(),
          };
        }
        case 'traffic': {
          const any = await exists(sql<{ found: boolean }>`
            SELECT EXISTS (SELECT 1 FROM demo.logins WHERE account_id = ${accountId}::bigint AND at BETWEEN ${from} AND ${to}) AS found
          `);
          if (!any) {
            return startsBefore(range, LOGIN_RETENTION_DAYS) && endsBefore(range, LOGIN_RETENTION_DAYS)
              ? { status: 'outside_retention', detail: `Login records are kept ${LOGIN_RETENTION_DAYS} days.` }
              : { status: 'no_records', detail: 'No logins in the range.' };
          }
          const { encode } = options;
          const select = demoTrafficSelect(accountId, from, to);
          return {
            status: 'records',
            ...(encode ? { encoded: () => encode({ select, columns: TRAFFIC_JSON, indexOrdered: true }) } : {}),
            columns: ['at', 'ip', 'port', 'kind', 'user_agent'],
            // Keyset on (at, id), the order of the index (account_id, at, id): each batch is an index range scan.
            records: batches(async (after) => {
              const position = after ? sql`AND (at, id) > (${String(after.key_at)}::timestamptz, ${String(after.id)}::bigint)` : sql``;
              const { rows } = await sql<Row>`
                SELECT id, at::text AS key_at, at, host(ip) AS ip, port, kind, user_agent FROM demo.logins
                WHERE account_id = ${accountId}::bigint AND at BETWEEN ${from} AND ${to} ${position}
                ORDER BY at, id LIMIT ${BATCH}
              `.execute(db);
              return rows.map((row) => ({ ...row, at: iso(row.at) }));
            }),
          };
        }
        case 'content': {
          const { rows } = await sql<{ readable: boolean; encrypted: boolean }>`
            SELECT EXISTS (SELECT 1 FROM demo.messages WHERE sender_id = ${accountId}::bigint AND sent_at BETWEEN ${from} AND ${to} AND body IS NOT NULL) AS readable,
                   EXISTS (SELECT 1 FROM demo.messages WHERE sender_id = ${accountId}::bigint AND sent_at BETWEEN ${from} AND ${to} AND ciphertext IS NOT NULL) AS encrypted
          `.execute(db);
          const found = rows[0];
          if (!found?.readable) {
            if (found?.encrypted)
              return {
                status: 'end_to_end_encrypted',
                detail: 'The messages in the range are end-to-end encrypted; the platform holds ciphertext only.',
              };
            return startsBefore(range, MESSAGE_RETENTION_DAYS)
              ? { status: 'outside_retention', detail: `Messages are kept ${MESSAGE_RETENTION_DAYS} days.` }
              : { status: 'no_records', detail: 'No messages in the range.' };
          }
          // Only what the platform can read: messages of end-to-end-encrypted chats are never exported.
          return {
            status: 'records',
            columns: ['sent_at', 'chat_id', 'body'],
            records: batches(async (after) => {
              const { rows: messages } = await sql<Row>`
                SELECT id, sent_at::text AS key_at, sent_at, chat_id::text AS chat_id, body FROM demo.messages
                WHERE sender_id = ${accountId}::bigint AND sent_at BETWEEN ${from} AND ${to} AND body IS NOT NULL
                  ${after ? sql`AND (sent_at, id) > (${String(after.key_at)}::timestamptz, ${String(after.id)}::bigint)` : sql``}
                ORDER BY sent_at, id LIMIT ${BATCH}
              `.execute(db);
              return messages.map((row) => ({ ...row, sent_at: iso(row.sent_at) }));
            }),
          };
        }
        case 'location':
        case 'device':
        case 'payment':
          return { status: 'not_held', detail: `The demo messenger does not hold ${category} data.` };
      }
    },
  };
}
