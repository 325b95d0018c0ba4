/**
 * The connector for a Mastodon server's PostgreSQL database, read with a read-only connection. Column meanings follow
 * Mastodon's db/schema.rb: every datetime is `timestamp without time zone` holding UTC (converted here with
 * `AT TIME ZONE 'UTC'`, never left to the driver); the registration IP is `users.sign_up_ip`; sign-ins (successful and
 * failed) are `login_activities`, web sessions `session_activations`, API tokens `oauth_access_tokens`, all with IPs
 * cleared after a year; posts are `statuses`, where direct messages are plaintext with their recipients in `mentions`.
 * Accounts are named by `accounts.id` (the id Mastodon's API and admin pages show). Password hashes, OTP secrets and
 * tokens are never read out.
 */
import { sql, type RawBuilder } from 'kysely';
import type { PlatformConnector, ProduceOutcome } from '../../core/connector.ts';
import type { NormalizedIdentifier } from '../../core/identifiers.ts';
import { readRows, streamRows, type PlatformDatabase, type Row } from '../shared/cursor.ts';

const DAY = 86_400_000;

export interface MastodonOptions {
  /** The server's LOCAL_DOMAIN (`example.social`): handles and profile URLs on other hosts are remote accounts. */
  readonly localDomain: string;
  /** Mastodon's IP_RETENTION_PERIOD, in days (365 by default). */
  readonly ipRetentionDays?: number;
  readonly now?: () => Date;
}

const HANDLE = /^@?([A-Za-z0-9_.-]+)(?:@([A-Za-z0-9.-]+))?$/;
const PROFILE_URL = /^https?:\/\/([^/\s]+)\/(?:@|users\/)([A-Za-z0-9_.-]+)\/?$/;

function lookup(identifier: NormalizedIdentifier, localDomain: string): RawBuilder<Row> | undefined {
  const { kind, value, original } = identifier;
  const local = (username: string) =>
    sql<Row>`SELECT id FROM accounts WHERE lower(username) = lower(${username}) AND COALESCE(lower(domain), '') = ''`;
  const remote = (username: string, host: string) =>
    sql<Row>`SELECT id FROM accounts WHERE lower(username) = lower(${username}) AND lower(domain) = lower(${host})`;
  const isLocal = (host: string | undefined) => !host || host.toLowerCase() === localDomain.toLowerCase();
  // A profile URL names a local account on this server's host and a remote one on any other.
  const profile = PROFILE_URL.exec(original.trim());
  if ((kind === 'username' || kind === 'url') && profile?.[1] && profile[2]) {
    return isLocal(profile[1]) ? local(profile[2]) : remote(profile[2], profile[1]);
  }
  switch (kind) {
    case 'username': {
      const handle = HANDLE.exec(original.trim());
      if (handle?.[1] && !isLocal(handle[2])) return remote(handle[1], handle[2] ?? '');
      return local(value);
    }
    case 'url': {
      return sql<Row>`SELECT id FROM accounts WHERE url = ${original.trim()} OR uri = ${original.trim()}`;
    }
    case 'email':
      return sql<Row>`SELECT account_id AS id FROM users WHERE lower(email) = ${value} OR lower(unconfirmed_email) = ${value}`;
    case 'user_id':
      return /^\d{1,19}$/.test(value) ? sql<Row>`SELECT id FROM accounts WHERE id = ${value}::bigint` : undefined;
    case 'ip':
      return /^[0-9a-fA-F:.]{2,45}$/.test(value)
        ? sql<Row>`
            SELECT u.account_id AS id FROM users u WHERE u.sign_up_ip = ${value}::inet
            UNION SELECT u.account_id FROM login_activities l JOIN users u ON u.id = l.user_id WHERE l.ip = ${value}::inet
            UNION SELECT u.account_id FROM session_activations s JOIN users u ON u.id = s.user_id WHERE s.ip = ${value}::inet`
        : undefined;
    case 'other':
      // An SSO subject.
      return sql<Row>`SELECT u.account_id AS id FROM identities i JOIN users u ON u.id = i.user_id WHERE i.uid = ${value}`;
    case 'phone':
      return undefined; // Mastodon stores no phone numbers.
    case 'content_id':
      return undefined; // A status id names content, not an account.
  }
}

export function mastodonConnector(db: PlatformDatabase, options: MastodonOptions): PlatformConnector {
  const now = options.now ?? (() => new Date());
  const ipDays = options.ipRetentionDays ?? 365;
  const first = async (query: RawBuilder<Row>) => (await readRows(db, query, 1))[0];

  return {
    name: 'mastodon',
    // The confirmed sign-in address of a local account, for its notice; a remote account has none here.
    async contact(accountId) {
      if (!/^\d{1,19}$/.test(accountId)) return undefined;
      const rows = await readRows(db, sql<Row>`SELECT email FROM users WHERE account_id = ${accountId}::bigint AND email <> ''`, 1);
      const email = rows[0]?.email;
      return typeof email === 'string' && email.includes('@') ? { email } : undefined;
    },
    async resolve(identifier) {
      const query = lookup(identifier, options.localDomain);
      if (!query) return { status: 'not_found', tried: identifier };
      const rows = await readRows(
        db,
        sql<Row>`SELECT a.id::text AS id, a.username || COALESCE('@' || a.domain, '') AS label
                 FROM accounts a WHERE a.id IN (SELECT id FROM (${query}) AS found) ORDER BY a.id`,
        50,
      );
      return rows.length > 0
        ? { status: 'found', accounts: rows.map((row) => ({ id: String(row.id), label: String(row.label) })) }
        : { status: 'not_found', tried: identifier };
    },

    async produce(category, accountId, range): Promise<ProduceOutcome> {
      const from = sql`(${range.from}::timestamptz AT TIME ZONE 'UTC')`;
      const to = sql`(${range.to}::timestamptz AT TIME ZONE 'UTC')`;
      const account = await first(sql<Row>`
        SELECT a.domain, u.id::text AS user_id FROM accounts a LEFT JOIN users u ON u.account_id = a.id WHERE a.id = ${accountId}::bigint`);
      if (!account) return { status: 'no_records', detail: 'The account holds no record.' };
      const remote = account.domain !== null && account.domain !== undefined;
      switch (category) {
        case 'subscriber':
          return { status: 'records', columns: SUBSCRIBER_COLUMNS, records: streamRows(db, subscriberQuery(accountId)) };
        case 'traffic': {
          if (remote || !account.user_id) {
            return {
              status: 'not_held',
              detail: `The account belongs to ${String(account.domain)}; this server holds only its public posts.`,
            };
          }
          const log = trafficQuery(String(account.user_id), from, to);
          const found = await first(sql<Row>`SELECT count(*) AS n FROM (${log}) AS x`);
          if (Number(found?.n ?? 0) === 0) {
            return Date.parse(range.to) < now().getTime() - ipDays * DAY
              ? { status: 'outside_retention', detail: `Mastodon clears IP records after ${ipDays} days (IP_RETENTION_PERIOD).` }
              : { status: 'no_records', detail: 'No sign-in, session or token records in the range.' };
          }
          return { status: 'records', columns: ['at', 'source', 'ip', 'user_agent', 'detail'], records: streamRows(db, log) };
        }
        case 'content': {
          const statuses = sql<Row>`
            FROM statuses s
            WHERE s.account_id = ${accountId}::bigint
              AND s.id >= (((extract(epoch FROM ${range.from}::timestamptz) * 1000)::bigint - 1000) << 16)
              AND s.id <= (((extract(epoch FROM ${range.to}::timestamptz) * 1000)::bigint + 1000) << 16)
              AND s.created_at >= ${from} AND s.created_at <= ${to}`;
          const found = await first(sql<Row>`SELECT count(*) AS n ${statuses}`);
          if (Number(found?.n ?? 0) === 0) return { status: 'no_records', detail: 'No posts in the range.' };
          return { status: 'records', columns: CONTENT_COLUMNS, records: streamRows(db, contentQuery(statuses)) };
        }
        case 'device':
        case 'location':
        case 'payment':
          return { status: 'not_held', detail: `Mastodon does not hold ${category} data.` };
      }
    },
  };
}

const SUBSCRIBER_COLUMNS = [
  'account_id',
  'username',
  'domain',
  'display_name',
  'bio',
  'email',
  'unconfirmed_email',
  'registered_at',
  'registration_ip',
  'email_confirmed_at',
  'approved',
  'disabled',
  'suspended_at',
  'silenced_at',
  'locale',
  'time_zone',
  'current_sign_in_at',
  'last_sign_in_at',
  'sign_in_count',
  'two_factor_enabled',
  'role',
  'registered_via_app',
  'invited_by_account_id',
  'signup_reason',
  'sso_identities',
];

/** S1 of the schema notes, from the account: a remote account (no `users` row) gives its public fields only. */
const subscriberQuery = (accountId: string) => sql<Row>`
  SELECT a.id::text AS account_id, a.username, a.domain, a.display_name, a.note AS bio,
         u.email, u.unconfirmed_email,
         COALESCE(u.created_at, a.created_at) AT TIME ZONE 'UTC' AS registered_at,
         host(u.sign_up_ip) AS registration_ip,
         u.confirmed_at AT TIME ZONE 'UTC' AS email_confirmed_at,
         u.approved, u.disabled,
         a.suspended_at AT TIME ZONE 'UTC' AS suspended_at,
         a.silenced_at AT TIME ZONE 'UTC' AS silenced_at,
         u.locale, u.time_zone,
         u.current_sign_in_at AT TIME ZONE 'UTC' AS current_sign_in_at,
         u.last_sign_in_at AT TIME ZONE 'UTC' AS last_sign_in_at,
         u.sign_in_count, u.otp_required_for_login AS two_factor_enabled,
         r.name AS role, app.name AS registered_via_app,
         inviter.account_id::text AS invited_by_account_id,
         (SELECT string_agg(q.text, E'\n' ORDER BY q.id) FROM user_invite_requests q WHERE q.user_id = u.id) AS signup_reason,
         (SELECT string_agg(i.provider || ':' || i.uid, ' ' ORDER BY i.id) FROM identities i WHERE i.user_id = u.id) AS sso_identities
  FROM accounts a
  LEFT JOIN users u ON u.account_id = a.id
  LEFT JOIN user_roles r ON r.id = u.role_id
  LEFT JOIN oauth_applications app ON app.id = u.created_by_application_id
  LEFT JOIN invites inv ON inv.id = u.invite_id
  LEFT JOIN users inviter ON inviter.id = inv.user_id
  WHERE a.id = ${accountId}::bigint`;

/** I1 of the schema notes: one row per recorded event, oldest first. Token values are never read. */
const trafficQuery = (userId: string, from: RawBuilder<unknown>, to: RawBuilder<unknown>) => sql<Row>`
  SELECT * FROM (
    SELECT u.created_at AT TIME ZONE 'UTC' AS at, 'sign_up' AS source, host(u.sign_up_ip) AS ip, NULL::text AS user_agent, NULL::text AS detail
    FROM users u WHERE u.id = ${userId}::bigint AND u.sign_up_ip IS NOT NULL AND u.created_at >= ${from} AND u.created_at <= ${to}
    UNION ALL
    SELECT l.created_at AT TIME ZONE 'UTC', 'login_' || CASE WHEN l.success THEN 'success' ELSE 'failure' END, host(l.ip), l.user_agent,
           concat_ws(' ', l.authentication_method, l.provider, l.failure_reason)
    FROM login_activities l WHERE l.user_id = ${userId}::bigint AND l.created_at >= ${from} AND l.created_at <= ${to}
    UNION ALL
    SELECT s.created_at AT TIME ZONE 'UTC', 'web_session_created', host(s.ip), s.user_agent, 'session ' || s.id
    FROM session_activations s WHERE s.user_id = ${userId}::bigint AND s.created_at >= ${from} AND s.created_at <= ${to}
    UNION ALL
    SELECT t.created_at AT TIME ZONE 'UTC', 'oauth_token_issued', NULL, NULL, 'app=' || COALESCE(a.name, '?') || ' token_id=' || t.id
    FROM oauth_access_tokens t LEFT JOIN oauth_applications a ON a.id = t.application_id
    WHERE t.resource_owner_id = ${userId}::bigint AND t.created_at >= ${from} AND t.created_at <= ${to}
    UNION ALL
    SELECT t.last_used_at AT TIME ZONE 'UTC', 'oauth_token_last_used', host(t.last_used_ip), NULL, 'app=' || COALESCE(a.name, '?') || ' token_id=' || t.id
    FROM oauth_access_tokens t LEFT JOIN oauth_applications a ON a.id = t.application_id
    WHERE t.resource_owner_id = ${userId}::bigint AND t.last_used_at >= ${from} AND t.last_used_at <= ${to}
  ) AS log ORDER BY at, source, detail`;

const CONTENT_COLUMNS = [
  'status_id',
  'created_at',
  'edited_at',
  'deleted_at',
  'visibility',
  'html',
  'spoiler_text',
  'language',
  'sensitive',
  'in_reply_to_id',
  'in_reply_to_account_id',
  'reblog_of_id',
  'conversation_id',
  'posted_via_app',
  'mentioned_account_ids',
  'media',
  'edit_history',
];

/** C1 of the schema notes: the account's posts, soft-deleted ones included with `deleted_at`. */
const contentQuery = (statuses: RawBuilder<Row>) => sql<Row>`
  SELECT s.id::text AS status_id, s.created_at AT TIME ZONE 'UTC' AS created_at, s.edited_at AT TIME ZONE 'UTC' AS edited_at,
         s.deleted_at AT TIME ZONE 'UTC' AS deleted_at,
         CASE s.visibility WHEN 0 THEN 'public' WHEN 1 THEN 'unlisted' WHEN 2 THEN 'private' WHEN 3 THEN 'direct' WHEN 4 THEN 'limited' END AS visibility,
         s.text AS html, s.spoiler_text, s.language, s.sensitive,
         s.in_reply_to_id::text AS in_reply_to_id, s.in_reply_to_account_id::text AS in_reply_to_account_id,
         s.reblog_of_id::text AS reblog_of_id, s.conversation_id::text AS conversation_id,
         app.name AS posted_via_app,
         (SELECT string_agg(m.account_id::text, ' ' ORDER BY m.account_id) FROM mentions m WHERE m.status_id = s.id) AS mentioned_account_ids,
         (SELECT json_agg(json_build_object('id', ma.id::text, 'file', ma.file_file_name, 'type', ma.file_content_type,
                                            'size', ma.file_file_size, 'description', ma.description) ORDER BY ma.id)::text
            FROM media_attachments ma WHERE ma.status_id = s.id) AS media,
         (SELECT json_agg(json_build_object('at', to_char(e.created_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'text', e.text) ORDER BY e.created_at)::text
            FROM status_edits e WHERE e.status_id = s.id) AS edit_history
  FROM (SELECT s.* ${statuses}) s
  LEFT JOIN oauth_applications app ON app.id = s.application_id
  ORDER BY s.id`;
