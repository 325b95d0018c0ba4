/** The composition root: opens the database, migrates it, and wires adapters into what use cases and routes need. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { argon2Hasher } from '../auth/argon2.hasher.ts';
import { nodeSecrets } from '../auth/node.secrets.ts';
import { noticeTokens } from '../auth/notice-tokens.ts';
import type { PublicationRules } from '../core/report-periods.ts';
import { totpSecondFactor } from '../auth/totp.ts';
import { webauthnPasskeys } from '../auth/webauthn.ts';
import { knownPasswords } from '../auth/known-passwords.ts';
import type { KnownPasswords } from '../core/passwords.ts';
import type { Config } from '../config/config.ts';
import type { PlatformConnector } from '../core/connector.ts';
import { canonicalJson } from '../core/canonical.ts';
import type { MerkleHasher } from '../core/merkle.ts';
import type {
  Clock,
  EvidenceStore,
  FileStore,
  Mailer,
  NoticeTokens,
  Pager,
  Passkeys,
  PasswordHasher,
  Repositories,
  SecondFactor,
  Secrets,
  Transactor,
  TreeHeadSigner,
} from '../core/ports.ts';
import { demoConnector } from '../connectors/demo/demo.connector.ts';
import { mastodonConnector } from '../connectors/mastodon/mastodon.connector.ts';
import { copyEncoder } from '../connectors/shared/copy.ts';
import type { PlatformDatabase } from '../connectors/shared/cursor.ts';
import { parseSqlConnectorConfig, sqlConnector } from '../connectors/sql/sql.connector.ts';
import { synapseConnector } from '../connectors/synapse/synapse.connector.ts';
import { directoryEvidenceStore } from '../evidence/directory.evidence-store.ts';
import { sha256MerkleHasher } from '../evidence/merkle-hasher.ts';
import { treeHeadSigner } from '../evidence/tree-head-signer.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { loadPolicy, loadRulePacks } from '../rules/rule-files.ts';
import type { ReviewRules } from '../services/review-request.ts';
import { createTransactor } from '../db/repositories.ts';
import { jobHandlers } from '../jobs/handlers.ts';
import { sequenceAuditLog } from '../services/audit-log.ts';
import { createMailer } from '../notify/mailer.ts';
import { createPager } from '../notify/pager.ts';
import { fireDueTasks } from '../services/schedule.ts';
import { startJobRunner, type JobRunner } from '../jobs/job-runner.ts';
import type { MailboxWatcher } from '../intake/imap.source.ts';
import type { TesseractOptions } from '../intake/ocr.ts';
import { receiveIntakeMessage } from '../services/receive-intake-message.ts';
import { isWritError } from '../core/errors.ts';
import { directoryFileStore } from '../storage/directory.file-store.ts';
import type { FieldExtractor, MessageReader } from '../core/intake.ts';
import type { IntakeSettings } from '../services/process-intake-message.ts';
import type { AcknowledgeDeps } from '../services/acknowledge-intake-message.ts';

export interface AppContext {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly store: Transactor<Repositories>;
  readonly files: FileStore;
  readonly hasher: PasswordHasher;
  readonly secrets: Secrets;
  readonly secondFactor: SecondFactor;
  readonly passkeys: Passkeys;
  readonly knownPasswords: KnownPasswords;
  /** A session unused for this many minutes ends. */
  readonly sessionIdleMinutes: number;
  /** The longest an API token may live, in days (WRIT_TOKEN_MAX_DAYS). */
  readonly tokenMaxDays: number;
  readonly clock: Clock;
  readonly log: Logger;
  /** Where the platform's signing keys live (`<data>/keys`). */
  readonly keysDir: string;
  readonly connector: PlatformConnector;
  readonly evidence: EvidenceStore;
  /** The rule packs and the platform policy every request is reviewed against. */
  readonly review: ReviewRules;
  /** Days after approval by which an emergency request's promised legal process is due. */
  readonly emergencyFollowUpDays: number;
  /** An officer account younger than this many days, and more requests than this in an hour, hold a request. */
  readonly holdLimits: { readonly newAccountDays: number; readonly burstPerHour: number; readonly newNetworkDays: number };
  readonly submissionsPerHour: number;
  /** Outgoing mail: SMTP, or .eml files under `<data>/mail/outgoing` when no server is configured. */
  readonly mailer: Mailer;
  /** Hours a registration's confirmation code works. */
  readonly confirmationHours: number;
  /** Email intake: how messages are read and their fields found, whom to believe, how receipts go out. */
  readonly reader: MessageReader;
  readonly extractor: FieldExtractor;
  readonly intake: IntakeSettings;
  readonly acknowledgement: AcknowledgeDeps['acknowledgement'];
  readonly maxReadBytes: number;
  readonly maxStoredBytes: number;
  /** On-call paging (webhook and mail), and the desk's mailbox for deadline reminders. */
  readonly pager: Pager;
  readonly deskEmail: string | undefined;
  /** The address people open Writ at; notice links and pages point there. */
  readonly publicUrl: string;
  /** How often a prospective order delivers; days before a preservation's expiry on which it is reminded. */
  readonly prospectiveIntervalMinutes: number;
  readonly preservationReminderDays: readonly number[];
  /** Hours after which an uploaded document that no request names is deleted. */
  readonly orphanUploadHours: number;
  /** The notice pages' tokens (a key under `<data>/keys`). */
  readonly noticeTokens: NoticeTokens;
  /** The audit log's Merkle hashing, the signer of its tree heads, and its name on them. */
  readonly merkle: MerkleHasher;
  readonly signer: TreeHeadSigner;
  readonly logOrigin: string;
  /** The public transparency report's threshold: no figure in it is about fewer requests than this (0/1: exact). */
  readonly reportBandBelow: number;
  /** Which periods of the transparency report anyone may read. */
  readonly reportPublication: PublicationRules;
  /** Days a notice link opens its page after it was sent. */
  readonly noticeLinkDays: number;
  jobs?: JobRunner;
  /** The mailbox watcher, in the worker role when WRIT_IMAP_HOST is set. */
  mailbox?: { stop(): Promise<void> };
  /**
   * The demo sign-in aid's key, made by `writ serve` at start only when it seeded or found the demo, was started
   * with it and reads the demo messenger; undefined everywhere else, and then the aid answers nothing.
   */
  demoKey?: string;
  close(): Promise<void>;
}

export const systemClock: Clock = { now: () => new Date() };

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  // Request bodies, headers and query strings are never logged: they carry personal data and secrets.
  return pino({ level: config.LOG_LEVEL, redact: { paths: ['req.headers', 'req.body', '*.password', '*.token'], remove: true } });
}

export async function createContext(
  config: Config,
  options: { log?: Logger; pgliteInMemory?: boolean; clock?: Clock } = {},
): Promise<AppContext> {
  const log = options.log ?? createLogger(config);
  // Tests pass a clock they move, so that timed work (deadlines, expiry, gags) is checked without waiting for it.
  const clock = options.clock ?? systemClock;
  const publicUrl = (config.WRIT_PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
  // Rules first: a pack that does not validate stops the start before anything is opened.
  const shipped = path.resolve(import.meta.dirname, '../..');
  const review: ReviewRules = {
    packs: loadRulePacks(config.WRIT_RULES_DIR ?? path.join(shipped, 'rules')),
    policy: loadPolicy(config.WRIT_POLICY_FILE ?? path.join(shipped, 'policy.yaml')),
  };
  const database = await openDatabase({
    url: config.DATABASE_URL,
    pgliteDir: options.pgliteInMemory ? undefined : path.join(config.WRIT_DATA_DIR, 'db'),
    poolSize: config.DATABASE_POOL_SIZE,
    agencyScoped: true,
  });
  await migrate(database.db);
  const platform = await openConnector(config, database).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  const keysDir = path.join(config.WRIT_DATA_DIR, 'keys');
  const mailer = createMailer({
    smtpUrl: config.WRIT_SMTP_URL,
    from: config.WRIT_MAIL_FROM,
    folder: path.join(config.WRIT_DATA_DIR, 'mail', 'outgoing'),
  });
  const context: AppContext = {
    config,
    database,
    store: createTransactor(database.db),
    files: directoryFileStore(path.join(config.WRIT_DATA_DIR, 'files')),
    hasher: argon2Hasher(),
    secrets: nodeSecrets,
    secondFactor: totpSecondFactor,
    passkeys: webauthnPasskeys(config.WRIT_PUBLIC_URL ?? `http://localhost:${config.PORT}`),
    knownPasswords,
    sessionIdleMinutes: config.WRIT_SESSION_IDLE_MINUTES,
    tokenMaxDays: config.WRIT_TOKEN_MAX_DAYS,
    clock,
    log,
    keysDir,
    connector: platform.connector,
    review,
    emergencyFollowUpDays: config.WRIT_EMERGENCY_FOLLOW_UP_DAYS,
    holdLimits: {
      newAccountDays: config.WRIT_HOLD_NEW_ACCOUNT_DAYS,
      burstPerHour: config.WRIT_HOLD_BURST_PER_HOUR,
      newNetworkDays: config.WRIT_HOLD_NEW_NETWORK_DAYS,
    },
    submissionsPerHour: config.WRIT_SUBMISSIONS_PER_HOUR,
    mailer,
    confirmationHours: config.WRIT_CONFIRMATION_HOURS,
    reader: lazyReader(config),
    extractor: lazyExtractor,
    intake: { trustedAuthservIds: config.WRIT_IMAP_AUTHSERV_ID, ownAddresses: ownAddresses(config) },
    acknowledgement: {
      portalUrl: config.WRIT_PUBLIC_URL ?? `http://localhost:${config.PORT}`,
      mailbox: ownAddresses(config)[0] ?? 'writ@localhost',
      perSenderPerHour: config.WRIT_INTAKE_ACKS_PER_SENDER_HOUR,
    },
    maxReadBytes: config.WRIT_INTAKE_MAX_MESSAGE_BYTES + 1,
    maxStoredBytes: config.WRIT_INTAKE_MAX_STORED_BYTES,
    pager: createPager({ webhookUrl: config.WRIT_ONCALL_WEBHOOK_URL, email: config.WRIT_ONCALL_EMAIL, mailer, publicUrl }),
    deskEmail: config.WRIT_DESK_EMAIL,
    publicUrl,
    prospectiveIntervalMinutes: config.WRIT_PROSPECTIVE_INTERVAL_MINUTES,
    preservationReminderDays: config.WRIT_PRESERVATION_REMINDER_DAYS,
    orphanUploadHours: config.WRIT_ORPHAN_UPLOAD_HOURS,
    noticeTokens: noticeTokens(keysDir),
    evidence: directoryEvidenceStore({ root: path.join(config.WRIT_DATA_DIR, 'productions'), keysDir, clock }),
    merkle: sha256MerkleHasher(),
    signer: treeHeadSigner({ keysDir, clock: systemClock }),
    logOrigin: config.WRIT_AUDIT_ORIGIN ?? `${new URL(config.WRIT_PUBLIC_URL ?? `http://localhost:${config.PORT}`).host}/audit`,
    reportBandBelow: config.WRIT_REPORT_BAND_BELOW,
    reportPublication: { afterDays: config.WRIT_REPORT_PUBLISH_AFTER_DAYS, includeOpen: config.WRIT_REPORT_PUBLISH_OPEN },
    noticeLinkDays: config.WRIT_NOTICE_LINK_DAYS,
    async close() {
      await context.mailbox?.stop();
      await context.jobs?.stop();
      await platform.close();
      await database.close();
    },
  };
  return context;
}

// mailparser, pdf.js, chrono-node and imapflow load with the first message, not at start: most commands never read mail.
function lazyReader(config: Config): MessageReader {
  let reader: Promise<MessageReader> | undefined;
  return {
    async read(raw) {
      reader ??= Promise.all([import('../intake/reader.ts'), import('../intake/ocr.ts')]).then(
        ([{ DEFAULT_READER_LIMITS, mailReader }, { tesseractOcr }]) =>
          mailReader(
            { ...DEFAULT_READER_LIMITS, maxMessageBytes: config.WRIT_INTAKE_MAX_MESSAGE_BYTES },
            { ocr: tesseractOcr(ocrOptions(config)) },
          ),
      );
      return (await reader).read(raw);
    },
  };
}
/** The OCR adapter's settings from the configuration. */
export function ocrOptions(config: Config): TesseractOptions {
  return {
    mode: config.WRIT_OCR,
    tesseractCommand: config.WRIT_OCR_TESSERACT,
    pdftoppmCommand: config.WRIT_OCR_PDFTOPPM,
    languages: config.WRIT_OCR_LANGUAGES,
    dpi: config.WRIT_OCR_DPI,
    minConfidence: config.WRIT_OCR_MIN_CONFIDENCE,
    minCharacters: 20,
    pageTimeoutMs: config.WRIT_OCR_PAGE_TIMEOUT_SECONDS * 1000,
    concurrency: config.WRIT_OCR_CONCURRENCY,
  };
}

const lazyExtractor: FieldExtractor = {
  extract: async (reading, hints) => (await import('../intake/extract.ts')).ruleExtractor.extract(reading, hints),
};

/** The addresses Writ reads and sends from: mail from them, or carrying their loop mark, is never answered. */
function ownAddresses(config: Config): string[] {
  const address = (value: string | undefined) =>
    /<([^<>\s]+@[^<>\s]+)>/.exec(value ?? '')?.[1] ?? (value?.includes('@') ? value.trim() : undefined);
  return [address(config.WRIT_INTAKE_ADDRESS), address(config.WRIT_IMAP_USER), address(config.WRIT_MAIL_FROM)]
    .filter((value): value is string => value !== undefined)
    .map((value) => value.toLowerCase());
}

/**
 * The connector the configuration names. The demo messenger lives in Writ's own database; the others read the
 * platform's database through their own read-only pool.
 */
async function openConnector(config: Config, database: DatabaseHandle): Promise<{ connector: PlatformConnector; close(): Promise<void> }> {
  if (config.WRIT_CONNECTOR === 'demo') {
    // On PostgreSQL the demo messenger's records are encoded by the server (COPY); on PGlite, here.
    const encoder = database.kind === 'postgres' && database.url ? copyEncoder(database.url) : undefined;
    return {
      connector: demoConnector(database.db, encoder ? { encode: (query) => encoder.encode(query) } : {}),
      close: async () => encoder?.close(),
    };
  }
  const queries = config.WRIT_CONNECTOR === 'sql' ? readConnectorFile(config.WRIT_CONNECTOR_FILE) : undefined;
  const platform = await openDatabase({ url: config.WRIT_CONNECTOR_DATABASE_URL, readOnly: true, poolSize: 4 });
  const db = platform.db as PlatformDatabase;
  const retention = config.WRIT_CONNECTOR_IP_RETENTION_DAYS ? { ipRetentionDays: config.WRIT_CONNECTOR_IP_RETENTION_DAYS } : {};
  let connector: PlatformConnector;
  if (config.WRIT_CONNECTOR === 'synapse')
    connector = synapseConnector(db, { serverName: config.WRIT_SYNAPSE_SERVER_NAME ?? '', ...retention });
  else if (config.WRIT_CONNECTOR === 'mastodon')
    connector = mastodonConnector(db, { localDomain: config.WRIT_MASTODON_DOMAIN ?? '', ...retention });
  else connector = sqlConnector(db, queries ?? readConnectorFile(config.WRIT_CONNECTOR_FILE));
  return { connector, close: () => platform.close() };
}

function readConnectorFile(file: string | undefined) {
  let text: string;
  try {
    text = readFileSync(file ?? '', 'utf8');
  } catch {
    throw new Error('WRIT_CONNECTOR_FILE cannot be read.');
  }
  return parseSqlConnectorConfig(text);
}

// Settings that can hold a password: never hashed into the record (a hash of a weak password can be guessed).
const SECRET_SETTINGS: ReadonlySet<string> = new Set(['DATABASE_URL', 'WRIT_SMTP_URL', 'WRIT_CONNECTOR_DATABASE_URL']);

/** The SHA-256 of the settings in force (secrets only as set or unset), of the policy and of the rule packs. */
export function configurationFingerprints(context: Pick<AppContext, 'config' | 'review' | 'secrets'>): {
  settingsSha256: string;
  policySha256: string;
  rulesSha256: string;
} {
  const settings = Object.fromEntries(
    Object.entries(context.config).map(([name, value]) => [name, SECRET_SETTINGS.has(name) ? value !== undefined : (value ?? null)]),
  );
  return {
    settingsSha256: context.secrets.sha256Hex(canonicalJson(settings)),
    policySha256: context.secrets.sha256Hex(canonicalJson(context.review.policy)),
    rulesSha256: context.secrets.sha256Hex(canonicalJson(context.review.packs)),
  };
}

/** Starts the outbox dispatcher, and the handlers too when this process has the worker role (always on PGlite). */
export async function startJobs(context: AppContext): Promise<JobRunner> {
  const work = context.database.kind === 'pglite' || context.config.WRIT_ROLES.includes('worker');
  const { config } = context;
  context.jobs = await startJobRunner({
    database: context.database,
    handlers: jobHandlers({ ...context, availableDays: config.WRIT_PRODUCTION_DAYS }),
    log: context.log,
    pollMs: config.WRIT_OUTBOX_POLL_MS,
    work,
    retry: {
      retryLimit: config.WRIT_JOB_RETRY_LIMIT,
      retryDelaySeconds: config.WRIT_JOB_RETRY_DELAY_SECONDS,
      expireInSeconds: config.WRIT_JOB_EXPIRE_SECONDS,
    },
    // Every process scans the schedule; a due task is claimed by one of them (SKIP LOCKED) and fired once.
    tick: () => fireDueTasks(context),
    // The worker places new audit events and signs a tree head over them, when there are any.
    periodic: work
      ? [
          {
            name: 'audit tree head',
            everyMs: context.config.WRIT_TREE_HEAD_SECONDS * 1000,
            run: () => sequenceAuditLog(context, { wait: false }),
          },
        ]
      : [],
  });
  if (work && context.config.WRIT_IMAP_HOST) context.mailbox = await startMailbox(context);
  return context.jobs;
}

/** Reads the mailbox into intake: each message stored, then read and acknowledged by the jobs. */
export async function startMailbox(context: AppContext): Promise<MailboxWatcher> {
  const { config } = context;
  const { watchMailbox } = await import('../intake/imap.source.ts');
  const jobs = context.jobs;
  return watchMailbox(
    {
      host: config.WRIT_IMAP_HOST ?? '',
      port: config.WRIT_IMAP_PORT,
      secure: config.WRIT_IMAP_SECURE,
      user: config.WRIT_IMAP_USER ?? '',
      password: config.WRIT_IMAP_PASSWORD ?? '',
      mailbox: config.WRIT_IMAP_MAILBOX,
      pollSeconds: config.WRIT_IMAP_POLL_SECONDS,
      idle: config.WRIT_IMAP_IDLE,
    },
    {
      position: (mailbox, uidValidity) => context.store.read.intake.mailboxPosition(mailbox, uidValidity),
      setPosition: (mailbox, uidValidity, uid) => context.store.read.intake.setMailboxPosition(mailbox, uidValidity, uid),
      async store(bytes, sourceRef) {
        await receiveIntakeMessage(context, { bytes, source: 'imap', sourceRef });
        // Read at once rather than at the next outbox tick.
        void jobs?.dispatch().catch(() => undefined);
      },
      skippable: (error) => isWritError(error) && error.code === 'PAYLOAD_TOO_LARGE',
      warn: (event, detail) => context.log.warn(detail, event),
    },
  );
}
