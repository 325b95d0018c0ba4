/**
 * The connector for a Matrix Synapse server's PostgreSQL database, read with a read-only connection. Column meanings
 * follow Synapse's schema (v72 full schema with deltas to v94): times are epoch milliseconds except `users.creation_ts`
 * and `users.upgrade_ts` (seconds); message bodies live in `event_json`; `user_ips` keeps one row per account, access
 * token and IP with the last time it was seen, pruned after `user_ips_max_age` (28 days by default); events of type
 * `m.room.encrypted` are ciphertext the server cannot read. Access tokens and password hashes are never read out: a
 * session is named by a short hash of its token.
 */
import { sql, type RawBuilder } from 'kysely';
import type { PlatformAccount, PlatformConnector, ProduceOutcome } from '../../core/connector.ts';
import type { NormalizedIdentifier } from '../../core/identifiers.ts';
import type { DateRange } from '../../core/model.ts';
import { readRows, streamRows, type PlatformDatabase, type Row } from '../shared/cursor.ts';

const DAY = 86_400_000;

export interface SynapseOptions {
  /** The server name in user IDs (`@alice:<server name>`); the database does not hold it reliably. */
  readonly serverName: string;
  /** Synapse's `user_ips_max_age`, in days (28 by default). */
  readonly ipRetentionDays?: number;
  readonly now?: () => Date;
}

const MXID = /@[^:\s/]+:[A-Za-z0-9.-]+(?::\d+)?/;

/** Where this identifier points in Synapse's tables, or undefined when Synapse holds nothing of that kind. */
function lookup(identifier: NormalizedIdentifier, serverName: string): RawBuilder<Row> | undefined {
  const { kind, value, original } = identifier;
  const written = MXID.exec(original)?.[0];
  const byMxid = (mxid: string) => sql<Row>`
    SELECT name AS user_id FROM users WHERE name = ${mxid}
    UNION SELECT name FROM users WHERE lower(name) = lower(${mxid})`;
  switch (kind) {
    case 'username':
    case 'url':
      if (written) return byMxid(written);
      return kind === 'username' ? byMxid(`@${value}:${serverName}`) : undefined;
    case 'user_id':
      return written ? byMxid(written) : sql<Row>`SELECT DISTINCT user_id FROM user_external_ids WHERE external_id = ${value}`;
    case 'email':
      // Synapse stores e-mail canonicalised (lower case); the lower() arm covers rows written before it did.
      return sql<Row>`SELECT DISTINCT user_id FROM user_threepids WHERE medium = 'email' AND (address = ${value} OR lower(address) = ${value})`;
    case 'phone':
      // msisdn: E.164 digits without the '+'.
      return sql<Row>`SELECT DISTINCT user_id FROM user_threepids WHERE medium = 'msisdn' AND address = ${value.replace(/\D/g, '')}`;
    case 'ip':
      return sql<Row>`SELECT DISTINCT user_id FROM user_ips WHERE ip = ${value}`;
    case 'content_id':
    case 'other':
      // An event id names content, not an account.
      return undefined;
  }
}

const ms = (iso: string) => Date.parse(iso);

export function synapseConnector(db: PlatformDatabase, options: SynapseOptions): PlatformConnector {
  const now = options.now ?? (() => new Date());
  const ipDays = options.ipRetentionDays ?? 28;
  const count = async (query: RawBuilder<Row>) => Number((await readRows(db, query, 1))[0]?.n ?? 0);

  return {
    name: 'synapse',
    // A user's e-mail address as a third-party identifier they bound to the account, for their notice.
    async contact(userId) {
      const rows = await readRows(
        db,
        sql<Row>`SELECT address FROM user_threepids WHERE user_id = ${userId} AND medium = 'email' ORDER BY validated_at DESC NULLS LAST, address`,
        1,
      );
      const email = rows[0]?.address;
      return typeof email === 'string' && email.includes('@') ? { email } : undefined;
    },
    async resolve(identifier) {
      const query = lookup(identifier, options.serverName);
      if (!query) return { status: 'not_found', tried: identifier };
      const rows = await readRows(db, sql<Row>`SELECT user_id FROM (${query}) AS found ORDER BY user_id`, 50);
      const accounts: PlatformAccount[] = rows.map((row) => ({ id: String(row.user_id), label: String(row.user_id) }));
      return accounts.length > 0 ? { status: 'found', accounts } : { status: 'not_found', tried: identifier };
    },

    async produce(category, userId, range: DateRange): Promise<ProduceOutcome> {
      const from = ms(range.from);
      const to = ms(range.to);
      switch (category) {
        case 'subscriber': {
          const exists = await count(sql<Row>`SELECT count(*) AS n FROM users WHERE name = ${userId}`);
          if (exists === 0) return { status: 'no_records', detail: 'The account holds no registration record.' };
          return {
            status: 'records',
            columns: SUBSCRIBER_COLUMNS,
            records: streamRows(db, subscriberQuery(userId)),
          };
        }
        case 'traffic': {
          const n = await count(sql<Row>`
            SELECT count(*) AS n FROM user_ips WHERE user_id = ${userId} AND last_seen >= ${from} AND last_seen <= ${to}`);
          if (n === 0) {
            return to < now().getTime() - ipDays * DAY
              ? { status: 'outside_retention', detail: `Synapse keeps IP records ${ipDays} days (user_ips_max_age).` }
              : { status: 'no_records', detail: 'No IP records in the range.' };
          }
          return {
            status: 'records',
            columns: ['last_seen_at', 'last_seen_ms', 'ip', 'user_agent', 'device_id', 'device_name', 'access_token_id', 'session_key'],
            // One row per access token and IP, with the last time seen: user_ips is overwritten, not appended.
            records: streamRows(
              db,
              sql<Row>`
                SELECT to_timestamp(ui.last_seen / 1000.0) AS last_seen_at, ui.last_seen AS last_seen_ms, ui.ip, ui.user_agent,
                       ui.device_id, d.display_name AS device_name, t.id AS access_token_id,
                       left(encode(sha256(convert_to(ui.access_token, 'UTF8')), 'hex'), 16) AS session_key
                FROM user_ips ui
                LEFT JOIN access_tokens t ON t.token = ui.access_token
                LEFT JOIN devices d ON d.user_id = ui.user_id AND d.device_id = ui.device_id
                WHERE ui.user_id = ${userId} AND ui.last_seen >= ${from} AND ui.last_seen <= ${to}
                ORDER BY ui.last_seen, ui.ip, session_key`,
            ),
          };
        }
        case 'device': {
          const n = await count(sql<Row>`
            SELECT count(*) AS n FROM devices WHERE user_id = ${userId} AND last_seen >= ${from} AND last_seen <= ${to}`);
          if (n === 0) return { status: 'no_records', detail: 'No device of the account was last seen in the range.' };
          return {
            status: 'records',
            columns: ['device_id', 'display_name', 'last_seen_at', 'ip', 'user_agent', 'hidden'],
            records: streamRows(
              db,
              sql<Row>`
                SELECT device_id, display_name, to_timestamp(last_seen / 1000.0) AS last_seen_at, ip, user_agent, hidden
                FROM devices WHERE user_id = ${userId} AND last_seen >= ${from} AND last_seen <= ${to}
                ORDER BY last_seen, device_id`,
            ),
          };
        }
        case 'content': {
          const sent = sql<Row>`
            FROM events e
            WHERE e.sender = ${userId} AND e.origin_server_ts >= ${from} AND e.origin_server_ts <= ${to} AND NOT e.outlier
              AND e.type IN ('m.room.message', 'm.room.encrypted', 'm.sticker', 'm.reaction', 'm.room.redaction',
                             'm.poll.start', 'org.matrix.msc3381.poll.start')
              AND NOT EXISTS (SELECT 1 FROM rejections rj WHERE rj.event_id = e.event_id)`;
          const [counts] = await readRows(
            db,
            sql<Row>`SELECT count(*) FILTER (WHERE e.type <> 'm.room.encrypted') AS readable,
                            count(*) FILTER (WHERE e.type = 'm.room.encrypted') AS encrypted ${sent}`,
            1,
          );
          if (Number(counts?.readable ?? 0) === 0) {
            return Number(counts?.encrypted ?? 0) > 0
              ? {
                  status: 'end_to_end_encrypted',
                  detail: `The ${String(counts?.encrypted)} messages in the range are end-to-end encrypted (m.room.encrypted); the server holds ciphertext only.`,
                }
              : { status: 'no_records', detail: 'No messages sent in the range.' };
          }
          return { status: 'records', columns: CONTENT_COLUMNS, records: streamRows(db, contentQuery(sent)) };
        }
        case 'location':
        case 'payment':
          return { status: 'not_held', detail: `Synapse does not hold ${category} data.` };
      }
    },
  };
}

const SUBSCRIBER_COLUMNS = [
  'user_id',
  'created_at',
  'display_name',
  'avatar_url',
  'emails',
  'phones',
  'sso_identities',
  'registration_ip',
  'registration_ip_note',
  'is_guest',
  'guest_upgraded_at',
  'is_admin',
  'user_type',
  'appservice_id',
  'deactivated',
  'shadow_banned',
  'locked',
  'suspended',
  'approved',
  'erased',
  'consent_version',
  'consent_at',
  'has_password',
];

/** S1 of the schema notes: `creation_ts` and `upgrade_ts` are seconds, `consent_ts` milliseconds. */
const subscriberQuery = (userId: string) => sql<Row>`
  SELECT u.name AS user_id,
         to_timestamp(u.creation_ts) AS created_at,
         p.displayname AS display_name, p.avatar_url,
         (SELECT string_agg(address, ' ' ORDER BY added_at) FROM user_threepids t WHERE t.user_id = u.name AND medium = 'email') AS emails,
         (SELECT string_agg('+' || address, ' ' ORDER BY added_at) FROM user_threepids t WHERE t.user_id = u.name AND medium = 'msisdn') AS phones,
         (SELECT string_agg(auth_provider || ':' || external_id, ' ' ORDER BY auth_provider) FROM user_external_ids x WHERE x.user_id = u.name) AS sso_identities,
         reg.ip AS registration_ip,
         CASE WHEN reg.ip IS NULL THEN 'Synapse does not store a registration IP; the sign-up session that holds it is deleted after 48 hours.'
              ELSE 'From the sign-up session (' || reg.at || ').' END AS registration_ip_note,
         u.is_guest = 1 AS is_guest, to_timestamp(u.upgrade_ts) AS guest_upgraded_at,
         u.admin = 1 AS is_admin, u.user_type, u.appservice_id, u.deactivated = 1 AS deactivated,
         u.shadow_banned, u.locked, u.suspended, u.approved,
         EXISTS (SELECT 1 FROM erased_users e WHERE e.user_id = u.name) AS erased,
         u.consent_version, to_timestamp(u.consent_ts / 1000.0) AS consent_at,
         (u.password_hash IS NOT NULL AND u.password_hash <> '') AS has_password
  FROM users u
  LEFT JOIN profiles p ON p.user_id = split_part(substr(u.name, 2), ':', 1)
  LEFT JOIN LATERAL (
    SELECT i.ip, to_char(to_timestamp(s.creation_time / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at
    FROM ui_auth_sessions s JOIN ui_auth_sessions_ips i ON i.session_id = s.session_id
    WHERE s.serverdict::jsonb ->> 'registered_user_id' = u.name
    ORDER BY s.creation_time LIMIT 1
  ) reg ON true
  WHERE u.name = ${userId}`;

const CONTENT_COLUMNS = [
  'event_id',
  'room_id',
  'room_name',
  'type',
  'sent_at',
  'received_at',
  'room_encrypted',
  'content_encrypted',
  'e2e_algorithm',
  'msgtype',
  'body',
  'media_mxc',
  'redacts',
  'sent_from_device',
  'redacted_by_event',
  'redacted_at',
  'body_purged_after_redaction',
  'content',
];

/**
 * C1 of the schema notes: the events the account sent. For `m.room.encrypted` events only the metadata is given, with
 * `content_encrypted` true; their ciphertext is never exported and their content is never guessed.
 */
const contentQuery = (sent: RawBuilder<Row>) => sql<Row>`
  SELECT e.event_id, e.room_id, rss.name AS room_name, e.type,
         to_timestamp(e.origin_server_ts / 1000.0) AS sent_at,
         to_timestamp(e.received_ts / 1000.0) AS received_at,
         rss.encryption IS NOT NULL AS room_encrypted,
         e.type = 'm.room.encrypted' AS content_encrypted,
         CASE WHEN e.type = 'm.room.encrypted' THEN j.json::jsonb -> 'content' ->> 'algorithm' END AS e2e_algorithm,
         CASE WHEN e.type <> 'm.room.encrypted' THEN j.json::jsonb -> 'content' ->> 'msgtype' END AS msgtype,
         CASE WHEN e.type <> 'm.room.encrypted' THEN j.json::jsonb -> 'content' ->> 'body' END AS body,
         CASE WHEN e.type <> 'm.room.encrypted' THEN j.json::jsonb -> 'content' ->> 'url' END AS media_mxc,
         COALESCE(j.json::jsonb ->> 'redacts', j.json::jsonb -> 'content' ->> 'redacts') AS redacts,
         j.internal_metadata::jsonb ->> 'device_id' AS sent_from_device,
         red.event_id AS redacted_by_event,
         to_timestamp(red.received_ts / 1000.0) AS redacted_at,
         red.have_censored AS body_purged_after_redaction,
         CASE WHEN e.type <> 'm.room.encrypted' THEN (j.json::jsonb -> 'content')::text END AS content
  FROM (SELECT e.* ${sent}) e
  JOIN event_json j ON j.event_id = e.event_id
  LEFT JOIN room_stats_state rss ON rss.room_id = e.room_id
  LEFT JOIN LATERAL (SELECT r.event_id, r.received_ts, r.have_censored FROM redactions r
                     WHERE r.redacts = e.event_id ORDER BY r.received_ts LIMIT 1) red ON true
  ORDER BY e.origin_server_ts, e.stream_ordering`;
