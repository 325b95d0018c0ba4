/**
 * Writ's configuration: one zod schema over the environment, parsed once at start. Every variable is described here;
 * docs/configuration.md is generated from this file (`npm run docs:config`).
 */
import { z } from 'zod';

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080).describe('TCP port the HTTP server listens on.'),
  HOST: z
    .string()
    .default('127.0.0.1')
    .describe('Address the HTTP server binds to. The default keeps Writ on this machine; use 0.0.0.0 behind a reverse proxy.'),
  WRIT_DATA_DIR: z
    .string()
    .default('./data')
    .describe('Where Writ keeps its embedded database (when DATABASE_URL is unset), stored files and keys.'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(?:ql)?:\/\//, 'a postgres:// URL')
    .optional()
    .describe(
      'PostgreSQL 15+ connection URL. Unset: the embedded PGlite database under WRIT_DATA_DIR. Connect as an ordinary role that owns the database: row-level security between agencies does not bind a superuser or a BYPASSRLS role (Writ warns at start).',
    ),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10).describe('Connections per process to PostgreSQL.'),
  WRIT_ROLES: z
    .string()
    .default('api,worker')
    .transform((value) => value.split(',').map((role) => role.trim()))
    .pipe(z.array(z.enum(['api', 'worker'])).min(1))
    .describe('What this process runs: `api` (HTTP), `worker` (background jobs), or both. On PGlite both always run in one process.'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Log level (pino).'),
  WRIT_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576).describe('Largest JSON request body accepted, in bytes.'),
  WRIT_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(26_214_400)
    .describe('Largest legal process document accepted, in bytes (default 25 MiB).'),
  WRIT_ORPHAN_UPLOAD_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 366)
    .default(72)
    .describe(
      'Hours after its upload at which a legal process document that no request names is deleted: its record, and its bytes when nothing else holds the same file. Each deletion is an audit event (document.orphan_deleted).',
    ),
  WRIT_SESSION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12)
    .describe('How long a login session lasts, in hours.'),
  WRIT_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(30)
    .describe('A login session unused for this many minutes ends (it also ends WRIT_SESSION_HOURS after login).'),
  WRIT_REQUIRE_MFA: z
    .stringbool()
    .default(true)
    .describe(
      'Every account needs a second factor (TOTP): a session opened with a password only may log out, read /me and enrol one, nothing else. Set to false only for a closed test installation.',
    ),
  WRIT_LOGIN_LOCK_AFTER: z.coerce
    .number()
    .int()
    .min(3)
    .max(100)
    .default(5)
    .describe(
      'Failed logins for one email address (whether or not it has an account) after which it is locked: one minute, doubling with each further failure up to an hour. A quiet hour forgets the count.',
    ),
  WRIT_LOGIN_NETWORK_LOCK_AFTER: z.coerce
    .number()
    .int()
    .min(3)
    .max(10_000)
    .default(20)
    .describe('Failed logins from one network address after which it is locked, in the same way.'),
  WRIT_LOGIN_SUBNET_LOCK_AFTER: z.coerce
    .number()
    .int()
    .min(3)
    .max(100_000)
    .default(100)
    .describe(
      'Failed logins from one network (an IPv4 /24, an IPv6 /48) after which all of it is locked, in the same way: a caller cannot escape the limit by changing address within its network.',
    ),
  WRIT_REGISTRATIONS_PER_HOUR: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(10)
    .describe(
      'Registrations and address confirmations from one network address after which it must wait: one minute, doubling each time up to an hour. A quiet hour forgets the count. Failed confirmations count too.',
    ),
  WRIT_CONFIRMATION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(168)
    .default(24)
    .describe('How long the code sent to a newly registered address works.'),
  WRIT_SMTP_URL: z
    .url({ protocol: /^smtps?$/ })
    .optional()
    .describe(
      'The SMTP server Writ sends mail through, e.g. `smtp://user:password@mail.example:587` (STARTTLS when offered) or `smtps://…:465`. Unset: each mail is written as an .eml file under `<WRIT_DATA_DIR>/mail/outgoing/` for the operator to send or read.',
    ),
  WRIT_MAIL_FROM: z.string().min(3).max(320).default('Writ <writ@localhost>').describe('The From address of the mail Writ sends.'),
  WRIT_HOLD_NEW_ACCOUNT_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(365)
    .default(7)
    .describe(
      'A request from an officer account younger than this many days waits in verification for the desk to confirm the requester (0: never).',
    ),
  WRIT_HOLD_BURST_PER_HOUR: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(20)
    .describe('More requests than this from one officer within an hour hold each further one for the desk to confirm.'),
  WRIT_HOLD_NEW_NETWORK_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(365)
    .default(3)
    .describe(
      'A request sent from a network (IPv4 /24, IPv6 /48) its officer first used fewer than this many days before, having used others until then, waits in verification for the desk to confirm the requester (0: never). Put WRIT_TRUST_PROXY right when behind a reverse proxy, or every request seems to come from the proxy.',
    ),
  WRIT_SUBMISSIONS_PER_HOUR: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(200)
    .describe(
      'Requests one account may submit in an hour; the next is refused with 429 and Retry-After until the earliest of them is an hour old, and audited. (WRIT_HOLD_BURST_PER_HOUR holds requests well before this.)',
    ),
  WRIT_TRUST_PROXY: z
    .string()
    .regex(/^[0-9A-Za-z.:/,\s]+$/, 'addresses, CIDR ranges or the words loopback, linklocal, uniquelocal, separated by commas')
    .optional()
    .describe(
      "The reverse proxies whose X-Forwarded-For Writ believes, e.g. `127.0.0.1` or `loopback,10.0.0.0/8`. Unset: the caller is the address that connected. Login and registration limits and the new-network hold use the caller's address.",
    ),
  WRIT_EMERGENCY_FOLLOW_UP_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(90)
    .default(3)
    .describe(
      'Days after an emergency request is approved by which the legal process it promises is due (Korean law says "without delay"; set what your counsel expects).',
    ),
  WRIT_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      'The address people open Writ at, e.g. `https://writ.example.org`. Passkeys are bound to its host name and accepted only from its origin. Unset: `http://localhost:<PORT>`.',
    ),
  WRIT_COOKIE_SECURE: z
    .stringbool()
    .default(false)
    .describe(
      'Writ is served over HTTPS: mark the session cookie Secure and send Strict-Transport-Security (one year, subdomains included).',
    ),
  WRIT_TOKEN_MAX_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(90)
    .describe(
      'The longest an API token may live, in days: a token asked for longer is refused, and one asked for without a lifetime gets this (or less, when minted with a token that ends sooner).',
    ),
  WRIT_AUTH_CACHE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(2000)
    .describe(
      'How long a process remembers who a session or token belongs to, in ms (0: look up every call). A credential revoked by another process stops working within this time.',
    ),
  WRIT_CONNECTOR: z
    .enum(['demo', 'synapse', 'mastodon', 'sql'])
    .default('demo')
    .describe(
      'Which platform productions read from: `demo` (the demo messenger seeded with the demo), `synapse` (a Matrix Synapse database), `mastodon` (a Mastodon database) or `sql` (queries in WRIT_CONNECTOR_FILE).',
    ),
  WRIT_CONNECTOR_DATABASE_URL: z
    .string()
    .regex(/^postgres(?:ql)?:\/\//, 'a postgres:// URL')
    .optional()
    .describe(
      "The platform's PostgreSQL database, for the synapse, mastodon and sql connectors. Give a role that can only SELECT; Writ also opens every transaction read-only.",
    ),
  WRIT_SYNAPSE_SERVER_NAME: z
    .string()
    .regex(/^[A-Za-z0-9.-]+(?::\d+)?$/, 'a server name such as example.org')
    .optional()
    .describe('The Synapse `server_name` (the part after the colon in @alice:example.org). Required with WRIT_CONNECTOR=synapse.'),
  WRIT_MASTODON_DOMAIN: z
    .string()
    .regex(/^[A-Za-z0-9.-]+(?::\d+)?$/, 'a domain such as example.social')
    .optional()
    .describe(
      'The Mastodon `LOCAL_DOMAIN`: handles and profile URLs on other hosts are remote accounts. Required with WRIT_CONNECTOR=mastodon.',
    ),
  WRIT_CONNECTOR_FILE: z
    .string()
    .optional()
    .describe('The YAML file of resolve and produce queries for WRIT_CONNECTOR=sql (see docs/examples/sql-connector.yaml).'),
  WRIT_CONNECTOR_IP_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(36_500)
    .optional()
    .describe(
      'How long the platform keeps IP records, in days, when it differs from the platform\'s default (Synapse `user_ips_max_age` 28, Mastodon `IP_RETENTION_PERIOD` 365): an empty answer for an older range says "outside retention".',
    ),
  WRIT_RULES_DIR: z
    .string()
    .optional()
    .describe('The folder of rule packs (`<pack>.yaml`), checked at start. Unset: the `rules/` folder shipped with Writ.'),
  WRIT_POLICY_FILE: z
    .string()
    .optional()
    .describe(
      "The platform's policy (`policy.yaml`), checked at start. Unset: the `policy.yaml` shipped with Writ, which describes the demo messenger.",
    ),
  WRIT_PRODUCTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(30)
    .describe('How many days a finished package stays downloadable.'),
  WRIT_IMAP_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:[\]-]+$/, 'a host name or address')
    .optional()
    .describe(
      'The IMAP server of the mailbox agencies write to (the abuse or law-enforcement address). Unset: no mailbox is read; `writ intake import` still works. Read by the `worker` role.',
    ),
  WRIT_IMAP_PORT: z.coerce.number().int().min(1).max(65_535).default(993).describe('Its port: 993 with TLS, 143 with STARTTLS.'),
  WRIT_IMAP_SECURE: z
    .stringbool()
    .default(true)
    .describe('Connect with TLS from the start (port 993). false: plain connection, upgraded with STARTTLS when the server offers it.'),
  WRIT_IMAP_USER: z.string().min(1).max(320).optional().describe('The mailbox login.'),
  WRIT_IMAP_PASSWORD: z.string().min(1).max(1024).optional().describe('The mailbox password (or app password). Never logged.'),
  WRIT_IMAP_MAILBOX: z
    .string()
    .min(1)
    .max(200)
    .default('INBOX')
    .describe('The folder read. Messages are left in it; Writ remembers the last UID it stored.'),
  WRIT_IMAP_POLL_SECONDS: z.coerce
    .number()
    .int()
    .min(2)
    .max(3600)
    .default(20)
    .describe(
      'How often the mailbox is checked for new mail, in seconds. With IDLE (WRIT_IMAP_IDLE) new mail is seen at once and this is only a safety net; a lost connection is retried after 1 s, doubling to 30 s.',
    ),
  WRIT_IMAP_IDLE: z
    .stringbool()
    .default(true)
    .describe('Wait for new mail with IMAP IDLE where the server offers it, so a message is read (and acknowledged) within seconds.'),
  WRIT_IMAP_AUTHSERV_ID: z
    .string()
    .regex(/^[A-Za-z0-9.,\s-]+$/, 'host names separated by commas')
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((id) => id.trim().toLowerCase())
        .filter(Boolean),
    )
    .describe(
      'The authserv-id(s) your receiving mail server writes in Authentication-Results (e.g. `mx.platform.example`). Only its topmost header of that id is believed for SPF, DKIM and DMARC; the server must remove such headers arriving from outside (RFC 8601 §5). Unset: no sender counts as authenticated, so nobody gets a portal link by email.',
    ),
  WRIT_INTAKE_ADDRESS: z
    .string()
    .min(3)
    .max(320)
    .optional()
    .describe(
      'The address agencies write to, when it differs from WRIT_IMAP_USER: mail from it, or carrying its loop mark, is never answered.',
    ),
  WRIT_INTAKE_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(65_536)
    .default(26_214_400)
    .describe(
      'Messages up to this size are read in full (default 25 MiB); a larger one is stored whole and marked TOO_LARGE_TO_READ, its headers read, the rest for a person to open.',
    ),
  WRIT_INTAKE_MAX_STORED_BYTES: z.coerce
    .number()
    .int()
    .min(65_536)
    .default(209_715_200)
    .describe('The largest message stored (default 200 MiB). A larger one is left in the mailbox, unread, and a warning is logged.'),
  WRIT_OCR: z
    .enum(['auto', 'off'])
    .default('auto')
    .describe(
      "OCR of scanned PDF pages and attached images in the worker, with Tesseract (`tesseract` and poppler's `pdftoppm`, from Debian: scripts/install-ocr.sh). auto: used when installed; when it is not (or off), scans are kept, marked OCR_UNAVAILABLE and NEEDS_MANUAL_READING.",
    ),
  WRIT_OCR_LANGUAGES: z
    .string()
    .regex(/^[a-z_]{3,20}(\+[a-z_]{3,20}){0,15}$/, 'Tesseract language codes joined by +')
    .default('eng+kor+chi_sim+chi_tra+jpn+rus+spa')
    .describe(
      'Tesseract languages a page is read in, joined by + (the first counts most). Codes whose language pack is not installed are left out. Each extra language slows OCR (all seven: about 3× English alone).',
    ),
  WRIT_OCR_MIN_CONFIDENCE: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.6)
    .describe('A page whose mean word confidence (0–1) is below this is marked NEEDS_MANUAL_READING (its text is still kept).'),
  WRIT_OCR_PAGE_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(60)
    .describe('Rendering and reading one page, at most; past it the page is marked NEEDS_MANUAL_READING and the next one read.'),
  WRIT_OCR_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(1)
    .describe('Pages of one document read at once (each a tesseract process of one thread, with one page image on disk).'),
  WRIT_OCR_DPI: z.coerce
    .number()
    .int()
    .min(72)
    .max(600)
    .default(300)
    .describe('Resolution PDF pages are rendered at for OCR; no page image is larger than an A4 page at this resolution.'),
  WRIT_OCR_TESSERACT: z.string().min(1).max(500).default('tesseract').describe('The tesseract program (a name on PATH or a full path).'),
  WRIT_OCR_PDFTOPPM: z.string().min(1).max(500).default('pdftoppm').describe("poppler's pdftoppm program (a name on PATH or a full path)."),
  WRIT_INTAKE_ACKS_PER_SENDER_HOUR: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(20)
    .describe(
      'Acknowledgements sent to one address in an hour; past it, messages from that address are stored and marked but not answered (a loop with a responder that marks nothing).',
    ),
  WRIT_AUDIT_ORIGIN: z
    .string()
    .regex(/^[\x21-\x7e][\x20-\x7e]{0,200}$/, 'printable ASCII, no line breaks')
    .optional()
    .describe(
      "The audit log's name on its signed tree heads (the first line of each checkpoint), e.g. `writ.example.org/audit`. Unset: the host of WRIT_PUBLIC_URL followed by `/audit`. Keep it once heads have gone out: it is part of what they sign.",
    ),
  WRIT_TREE_HEAD_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(60)
    .default(60)
    .describe(
      'How often the worker places new audit events in the Merkle tree and signs a tree head over them, in seconds (only when there are new events). Every delivery, report and `writ audit verify` also places what is pending and signs one at once. Each head is kept and checked by `writ audit verify`, so a shorter interval costs storage and verification time.',
    ),
  WRIT_REPORT_BAND_BELOW: z.coerce
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(10)
    .describe(
      'The public transparency report\'s threshold (API, CSV, PDF and the /transparency page alike): no figure in it, nor a total minus its parts, is about fewer requests than this. A country or kind with fewer requests is merged into "other", a count from 1 to this number less one is given as a band (e.g. 10: "1-9"), a figure that would let a reader work out a smaller one is withheld, and shares that rest on them are left out. 0 or 1: every count exact (not advised). `writ report --internal` gives the operator exact figures whatever this is.',
    ),
  WRIT_REPORT_PUBLISH_AFTER_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(366)
    .default(30)
    .describe(
      'The public transparency report answers only for published periods, by id: half-years (2026-H1) and months (2026-05) that ended at least this many days ago. Anyone else (a range of their choosing, a period in progress) gets 400; the desk (report.export) may ask for any range.',
    ),
  WRIT_REPORT_PUBLISH_OPEN: z
    .stringbool()
    .default(false)
    .describe(
      'Also publish the half-year and the month in progress (and those still within WRIT_REPORT_PUBLISH_AFTER_DAYS) to anyone. Their figures change as requests arrive, so a reader who watches them can tell when one came in: leave it off unless the platform wants a live report.',
    ),
  WRIT_NOTICE_LINK_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(365)
    .describe(
      'How long the link in a user notice (/notice/<token>) opens the notice page, in days from when it was sent. Past it, or once the desk revokes it (POST /api/v1/requests/{reference}/notices/{noticeId}/revoke-link), the page answers exactly as a wrong link does.',
    ),
  WRIT_OUTBOX_POLL_MS: z.coerce
    .number()
    .int()
    .min(10)
    .max(60_000)
    .default(250)
    .describe('How often the outbox is moved into the job queue, in ms.'),
  WRIT_JOB_RETRY_LIMIT: z.coerce
    .number()
    .int()
    .min(0)
    .max(50)
    .default(6)
    .describe(
      'How often a failed background job is tried again before it goes to the dead-letter list (GET /api/v1/jobs/dead-letters), where an admin can send it round again.',
    ),
  WRIT_JOB_RETRY_DELAY_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3600)
    .default(2)
    .describe('The wait before the first retry of a failed job, in seconds; each further retry waits about twice as long.'),
  WRIT_JOB_EXPIRE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(900)
    .describe(
      'A job still running this long after it started is taken to have died with its process (a crash, a kill) and is tried again. Keep it above the time your largest production takes.',
    ),
  WRIT_DESK_EMAIL: z
    .email()
    .optional()
    .describe(
      'Where deadline reminders for the desk are mailed (a shared mailbox). Unset: reminders are only listed in GET /api/v1/deadlines and the audit log.',
    ),
  WRIT_ONCALL_EMAIL: z
    .email()
    .optional()
    .describe(
      'The on-call address paged for emergency requests and for deadlines about to pass or passed (removal orders of one or three hours).',
    ),
  WRIT_ONCALL_WEBHOOK_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      'A URL Writ POSTs a JSON page to, with the same occasions as WRIT_ONCALL_EMAIL (a pager or chat integration). The body holds the tracking number, kind, reason and deadline, never personal data; `Idempotency-Key` names the page, so a retried page can be recognised.',
    ),
  WRIT_PROSPECTIVE_INTERVAL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15)
    .describe(
      'How often a prospective (real-time) order delivers the records that appeared since its last delivery, within its authorised period.',
    ),
  WRIT_PRESERVATION_REMINDER_DAYS: z
    .string()
    .regex(/^\d{1,3}(?:,\d{1,3})*$/, 'whole days separated by commas, e.g. 14,3')
    .default('14,3')
    .transform((value) => [...new Set(value.split(',').map(Number))].sort((a, b) => b - a))
    .describe(
      'Days before a preservation expires on which the requesting officer and the desk are reminded (so it can be extended once, or followed by a production request).',
    ),
});

export type Config = z.infer<typeof configSchema>;

/** Parses the environment; throws an Error naming each bad variable (never its value, which may be a secret). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // A variable set to the empty string counts as unset (as `DATABASE_URL=` in a compose file means "none").
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = configSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const config = result.data;
  const needs: Record<Config['WRIT_CONNECTOR'], Array<keyof Config>> = {
    demo: [],
    synapse: ['WRIT_CONNECTOR_DATABASE_URL', 'WRIT_SYNAPSE_SERVER_NAME'],
    mastodon: ['WRIT_CONNECTOR_DATABASE_URL', 'WRIT_MASTODON_DOMAIN'],
    sql: ['WRIT_CONNECTOR_DATABASE_URL', 'WRIT_CONNECTOR_FILE'],
  };
  const missing = needs[config.WRIT_CONNECTOR].filter((name) => config[name] === undefined);
  if (missing.length > 0) {
    throw new Error(
      `Invalid configuration:\n  ${missing.map((name) => `${name}: required with WRIT_CONNECTOR=${config.WRIT_CONNECTOR}`).join('\n  ')}`,
    );
  }
  if (config.WRIT_IMAP_HOST && (!config.WRIT_IMAP_USER || !config.WRIT_IMAP_PASSWORD)) {
    throw new Error('Invalid configuration:\n  WRIT_IMAP_USER, WRIT_IMAP_PASSWORD: required with WRIT_IMAP_HOST');
  }
  return config;
}

/** docs/configuration.md, from the schema. */
export function configurationMarkdown(): string {
  const lines = [
    '# Configuration',
    '',
    'Writ reads its configuration from environment variables, once, at start. This page is generated from',
    '`src/config/config.ts` by `npm run docs:config`; CI fails when it is stale.',
    '',
    '| variable | default | description |',
    '| --- | --- | --- |',
  ];
  for (const [name, schema] of Object.entries(configSchema.shape)) {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { default?: unknown };
    const value = json.default ?? (schema.def.type === 'default' ? schema.def.defaultValue : undefined);
    const fallback = value === undefined ? '(unset)' : `\`${String(value)}\``;
    lines.push(`| \`${name}\` | ${fallback} | ${(schema.description ?? '').replaceAll('|', '\\|')} |`);
  }
  return `${lines.join('\n')}\n`;
}
