/**
 * The demo messenger: a fictional platform's own data (accounts, login/IP logs, chats and messages) in schema `demo`,
 * generated inside PostgreSQL with generate_series and md5-based pseudo-randomness, so it is deterministic for a seed
 * and fast at any size. About a third of direct chats are end-to-end encrypted: for those the platform holds ciphertext
 * only. Messages are kept 30 days, so only the last 30 days before the reference instant have any.
 */
import { sql, type QueryExecutorProvider } from 'kysely';

export interface DemoDatasetOptions {
  readonly users: number;
  readonly loginsPerUser: number;
  readonly messagesPerUser: number;
  readonly seed?: number;
}

export const DEMO_DATASET_DEFAULTS: DemoDatasetOptions = { users: 3000, loginsPerUser: 20, messagesPerUser: 10, seed: 1 };

/** Fixed so the data is the same on every machine and every day. */
export const DEMO_REFERENCE_INSTANT = '2026-11-01T00:00:00Z';

/** Accounts a demo request can name; the generator writes exactly these values. */
export const DEMO_KNOWN_ACCOUNTS = [
  { id: 1, username: 'minjun.kim', email: 'minjun.kim@example.kr', phone: '+821012345678', displayName: '김민준' },
  { id: 2, username: 'seoyeon.park', email: 'seoyeon.park@example.kr', phone: '+821098765432', displayName: '박서연' },
  { id: 3, username: 'alex.doe', email: 'alex.doe@example.com', phone: '+12025550143', displayName: 'Alex Doe' },
  { id: 4, username: 'jordan.lee', email: 'jordan.lee@example.com', phone: '+14155550178', displayName: 'Jordan Lee' },
  { id: 5, username: 'haneul.choi', email: 'haneul.choi@example.kr', phone: '', displayName: '최하늘' },
] as const;

/**
 * The demo messenger's moderation: a message taken down (it stays stored, hidden, as TCO Art. 6 wants removed content
 * kept) or withheld in some countries. A message is visible in a country unless one of the two says otherwise.
 */
export const MODERATION_TABLE = `CREATE TABLE IF NOT EXISTS demo.moderation (
  message_id bigint PRIMARY KEY REFERENCES demo.messages (id),
  removed_at timestamptz,
  withheld_in text[] NOT NULL DEFAULT '{}',
  reference text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);`;

/** Whether the demo messenger shows a message to a reader in `country` (ISO 3166-1 alpha-2). */
export async function demoMessageVisible(db: QueryExecutorProvider, messageId: string, country: string): Promise<boolean> {
  const { rows } = await sql<{ visible: boolean }>`
    SELECT NOT EXISTS (
      SELECT 1 FROM demo.moderation WHERE message_id = ${messageId}::bigint AND (removed_at IS NOT NULL OR ${country} = ANY(withheld_in))
    ) AND EXISTS (SELECT 1 FROM demo.messages WHERE id = ${messageId}::bigint) AS visible
  `.execute(db);
  return rows[0]?.visible === true;
}

export async function createDemoSchema(db: QueryExecutorProvider): Promise<void> {
  await sql
    .raw(
      `
CREATE SCHEMA IF NOT EXISTS demo;
CREATE TABLE IF NOT EXISTS demo.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS demo.accounts (
  id bigint PRIMARY KEY,
  username text NOT NULL UNIQUE,
  display_name text,
  email text,
  phone text,
  created_at timestamptz NOT NULL,
  registration_ip inet,
  status text NOT NULL CHECK (status IN ('active', 'deactivated')),
  country text
);
CREATE TABLE IF NOT EXISTS demo.logins (
  id bigserial PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES demo.accounts (id),
  ip inet NOT NULL,
  port integer,
  at timestamptz NOT NULL,
  user_agent text,
  kind text NOT NULL CHECK (kind IN ('login', 'session'))
);
CREATE INDEX IF NOT EXISTS logins_account_at ON demo.logins (account_id, at, id);
CREATE TABLE IF NOT EXISTS demo.chats (
  id bigint PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('direct', 'group')),
  title text,
  is_e2ee boolean NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS demo.chat_members (
  chat_id bigint NOT NULL REFERENCES demo.chats (id),
  account_id bigint NOT NULL REFERENCES demo.accounts (id),
  joined_at timestamptz NOT NULL,
  PRIMARY KEY (chat_id, account_id)
);
CREATE TABLE IF NOT EXISTS demo.messages (
  id bigserial PRIMARY KEY,
  chat_id bigint NOT NULL REFERENCES demo.chats (id),
  sender_id bigint NOT NULL REFERENCES demo.accounts (id),
  sent_at timestamptz NOT NULL,
  body text,
  ciphertext bytea,
  -- The platform holds either the text or, in an end-to-end-encrypted chat, only ciphertext it cannot read.
  CHECK ((body IS NULL) <> (ciphertext IS NULL))
);
CREATE INDEX IF NOT EXISTS messages_sender_at ON demo.messages (sender_id, sent_at);
CREATE INDEX IF NOT EXISTS messages_chat_at ON demo.messages (chat_id, sent_at);
${MODERATION_TABLE}
`,
    )
    .execute(db);
}

export interface DemoDatasetCounts {
  readonly accounts: number;
  readonly logins: number;
  readonly chats: number;
  readonly messages: number;
  readonly e2eeMessages: number;
}

/** Fills an empty demo schema. Throws when it holds accounts already. */
export async function generateDemoDataset(db: QueryExecutorProvider, options: DemoDatasetOptions): Promise<DemoDatasetCounts> {
  const seed = options.seed ?? 1;
  const users = Math.max(DEMO_KNOWN_ACCOUNTS.length, Math.floor(options.users));
  const existing = await sql<{ n: string }>`SELECT count(*)::text AS n FROM demo.accounts`.execute(db);
  if (Number(existing.rows[0]?.n) > 0) throw new Error('The demo messenger already has accounts.');
  const reference = DEMO_REFERENCE_INSTANT;
  // r(x): a deterministic number in [0, 1) from the seed and x.
  const r = (x: string) => `(('x' || substr(md5('${seed}:' || ${x}), 1, 8))::bit(32)::bigint / 4294967296.0)`;
  const known = DEMO_KNOWN_ACCOUNTS.map(
    (account) =>
      `(${account.id}, '${account.username}', '${account.displayName}', '${account.email}', ${account.phone ? `'${account.phone}'` : 'NULL'})`,
  ).join(', ');
  const directChats = Math.max(1, Math.floor(users / 2));
  const script = `
INSERT INTO demo.meta (key, value) VALUES
  ('seed', '${seed}'), ('users', '${users}'), ('logins_per_user', '${options.loginsPerUser}'),
  ('messages_per_user', '${options.messagesPerUser}'), ('reference_instant', '${reference}')
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;

WITH given AS (SELECT * FROM (VALUES ${known}) AS k (id, username, display_name, email, phone)),
family AS (SELECT ARRAY['kim','lee','park','choi','jung','kang','cho','yoon','jang','lim','smith','garcia','nguyen','brown','wilson'] AS f),
personal AS (SELECT ARRAY['minseo','jiho','yuna','dohyun','seojun','hayoon','jiwoo','eunji','sam','taylor','casey','morgan','riley','jamie','chris'] AS p),
korean AS (SELECT ARRAY['김','이','박','최','정','강','조','윤','장','임'] AS f, ARRAY['민서','지호','유나','도현','서준','하윤','지우','은지','현우','수아'] AS p)
INSERT INTO demo.accounts (id, username, display_name, email, phone, created_at, registration_ip, status, country)
SELECT g.id,
       coalesce(given.username, personal.p[1 + (g.id % 15)] || '.' || family.f[1 + ((g.id / 15) % 15)] || g.id),
       coalesce(given.display_name,
         CASE WHEN ${r("'n' || g.id")} < 0.6
              THEN korean.f[1 + (g.id % 10)] || korean.p[1 + ((g.id / 10) % 10)]
              ELSE initcap(personal.p[1 + (g.id % 15)]) || ' ' || initcap(family.f[1 + ((g.id / 15) % 15)]) END),
       CASE WHEN given.id IS NOT NULL THEN given.email
            WHEN ${r("'e' || g.id")} < 0.15 THEN NULL
            ELSE personal.p[1 + (g.id % 15)] || g.id || '@' || (ARRAY['example.kr','example.com','mail.example.net'])[1 + (g.id % 3)] END,
       CASE WHEN given.id IS NOT NULL THEN nullif(given.phone, '')
            WHEN ${r("'p' || g.id")} < 0.2 THEN NULL
            WHEN ${r("'n' || g.id")} < 0.6 THEN '+8210' || lpad((floor(${r("'pn' || g.id")} * 100000000))::bigint::text, 8, '0')
            ELSE '+1202555' || lpad((floor(${r("'pn' || g.id")} * 10000))::bigint::text, 4, '0') END,
       date_trunc('second', timestamptz '${reference}' - interval '900 days' * (0.3 + 0.7 * ${r("'c' || g.id")})),
       ('203.0.113.' || (g.id % 250 + 1))::inet,
       CASE WHEN g.id > ${DEMO_KNOWN_ACCOUNTS.length} AND ${r("'s' || g.id")} < 0.02 THEN 'deactivated' ELSE 'active' END,
       CASE WHEN ${r("'n' || g.id")} < 0.6 THEN 'KR' ELSE 'US' END
FROM generate_series(1, ${users}) AS g (id)
LEFT JOIN given ON given.id = g.id
CROSS JOIN family CROSS JOIN personal CROSS JOIN korean;

-- Each account logs in from a few habitual addresses (one in three of them IPv6).
INSERT INTO demo.logins (account_id, ip, port, at, user_agent, kind)
SELECT a.id,
       CASE WHEN h.slot = 2 THEN ('2001:db8:' || to_hex(a.id % 65536) || '::' || to_hex(1 + (a.id * 7) % 65535))::inet
            ELSE ('198.51.' || (a.id * (h.slot + 3)) % 256 || '.' || (1 + (a.id * (h.slot + 11)) % 254))::inet END,
       1024 + floor(${r("'port' || a.id || ':' || l.n")} * 64000)::int,
       date_trunc('second', timestamptz '${reference}' - interval '365 days' * ${r("'t' || a.id || ':' || l.n")}),
       (ARRAY['DemoMessenger/5.2 (Android 14)', 'DemoMessenger/5.2 (iOS 18.1)', 'DemoMessenger Desktop/3.0 (Windows 11)'])[1 + h.slot],
       CASE WHEN l.n % 4 = 0 THEN 'login' ELSE 'session' END
FROM demo.accounts a
CROSS JOIN generate_series(1, ${options.loginsPerUser}) AS l (n)
CROSS JOIN LATERAL (SELECT floor(${r("'h' || a.id || ':' || l.n")} * 3)::int AS slot) h;

-- Direct chats between neighbours; a third end-to-end encrypted. Then two groups, one of everyone.
INSERT INTO demo.chats (id, kind, title, is_e2ee, created_at)
SELECT c.id, 'direct', NULL, ${r("'x' || c.id")} < 0.34, timestamptz '${reference}' - interval '200 days'
FROM generate_series(1, ${directChats}) AS c (id);
INSERT INTO demo.chats (id, kind, title, is_e2ee, created_at) VALUES
  (${directChats + 1}, 'group', '동네 소식 (Neighbourhood news)', false, timestamptz '${reference}' - interval '300 days'),
  (${directChats + 2}, 'group', 'Demo messenger — everyone', false, timestamptz '${reference}' - interval '400 days');

INSERT INTO demo.chat_members (chat_id, account_id, joined_at)
SELECT c.id, m.account_id, c.created_at
FROM demo.chats c
CROSS JOIN LATERAL (VALUES (((c.id - 1) * 2) % ${users} + 1), (((c.id - 1) * 2 + 1) % ${users} + 1)) AS m (account_id)
WHERE c.kind = 'direct'
ON CONFLICT DO NOTHING;
INSERT INTO demo.chat_members (chat_id, account_id, joined_at)
SELECT ${directChats + 1}, a.id, timestamptz '${reference}' - interval '300 days' FROM demo.accounts a WHERE a.id % 7 = 0 OR a.id <= 5;
INSERT INTO demo.chat_members (chat_id, account_id, joined_at)
SELECT ${directChats + 2}, a.id, timestamptz '${reference}' - interval '400 days' FROM demo.accounts a;

-- Messages in the last 30 days only: each account writes in its direct chat and sometimes in a group.
WITH phrases AS (
  SELECT ARRAY['안녕하세요!', '오늘 저녁에 시간 있어요?', '내일 회의 몇 시죠?', '사진 보내줄게요', '고마워요 :)',
               'Are you coming tonight?', 'Running ten minutes late', 'Did you see the news?', 'Call me when you can', 'Sounds good!'] AS p
)
INSERT INTO demo.messages (chat_id, sender_id, sent_at, body, ciphertext)
SELECT chat.id,
       a.id,
       date_trunc('second', timestamptz '${reference}' - interval '30 days' * ${r("'m' || a.id || ':' || n.n")}),
       CASE WHEN chat.is_e2ee THEN NULL ELSE phrases.p[1 + floor(${r("'b' || a.id || ':' || n.n")} * 10)::int] END,
       CASE WHEN chat.is_e2ee THEN decode(md5('${seed}:' || a.id || ':' || n.n) || md5('c' || a.id || ':' || n.n), 'hex') ELSE NULL END
FROM demo.accounts a
CROSS JOIN generate_series(1, ${options.messagesPerUser}) AS n (n)
CROSS JOIN phrases
CROSS JOIN LATERAL (
  SELECT c.id, c.is_e2ee FROM demo.chats c
  WHERE c.id = CASE WHEN n.n % 5 = 0 THEN ${directChats + 1 + (0 as number)} + (a.id % 2)
                    ELSE ((a.id - 1) / 2) % ${directChats} + 1 END
) AS chat;
`;
  await sql.raw(script).execute(db);
  const counts = await sql<{ accounts: string; logins: string; chats: string; messages: string; e2ee: string }>`
    SELECT (SELECT count(*) FROM demo.accounts)::text AS accounts, (SELECT count(*) FROM demo.logins)::text AS logins,
           (SELECT count(*) FROM demo.chats)::text AS chats, (SELECT count(*) FROM demo.messages)::text AS messages,
           (SELECT count(*) FROM demo.messages WHERE ciphertext IS NOT NULL)::text AS e2ee
  `.execute(db);
  const row = counts.rows[0];
  return {
    accounts: Number(row?.accounts),
    logins: Number(row?.logins),
    chats: Number(row?.chats),
    messages: Number(row?.messages),
    e2eeMessages: Number(row?.e2ee),
  };
}

/**
 * Grows the demo messenger for benchmarks: `users` more accounts after the last one, each with `loginsPerUser` login
 * records over the year before the reference instant. Creates the schema if needed; leaves chats and messages alone.
 */
export async function growDemoDataset(
  db: QueryExecutorProvider,
  options: { users: number; loginsPerUser: number },
): Promise<{ accounts: number; logins: number }> {
  await createDemoSchema(db);
  const users = Math.max(0, Math.floor(options.users));
  const logins = Math.max(0, Math.floor(options.loginsPerUser));
  const reference = DEMO_REFERENCE_INSTANT;
  await sql
    .raw(
      `
WITH start AS (SELECT coalesce(max(id), 0) AS last FROM demo.accounts)
INSERT INTO demo.accounts (id, username, display_name, email, phone, created_at, registration_ip, status, country)
SELECT start.last + g, 'user' || (start.last + g), 'User ' || (start.last + g), 'user' || (start.last + g) || '@example.net', NULL,
       timestamptz '${reference}' - interval '400 days', ('203.0.113.' || ((start.last + g) % 250 + 1))::inet, 'active', 'KR'
FROM start, generate_series(1, ${users}) AS g;

INSERT INTO demo.logins (account_id, ip, port, at, user_agent, kind)
SELECT a.id, ('198.51.' || (a.id % 256) || '.' || (1 + (l.n % 254)))::inet, 1024 + (l.n * 7) % 60000,
       timestamptz '${reference}' - interval '1 second' * ((a.id * 7919 + l.n * 104729) % 31536000),
       'DemoMessenger/5.2 (Android 14)', 'session'
FROM demo.accounts a
CROSS JOIN generate_series(1, ${logins}) AS l (n)
WHERE a.id > (SELECT coalesce(max(id), 0) FROM demo.accounts) - ${users};
`,
    )
    .execute(db);
  const { rows } = await sql<{ accounts: string; logins: string }>`
    SELECT (SELECT count(*) FROM demo.accounts)::text AS accounts, (SELECT count(*) FROM demo.logins)::text AS logins
  `.execute(db);
  return { accounts: Number(rows[0]?.accounts), logins: Number(rows[0]?.logins) };
}
