/** The composition root: opens the database, migrates it, and wires adapters into what use cases and routes need. */
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { argon2Hasher } from '../auth/argon2.hasher.ts';
import { nodeSecrets } from '../auth/node.secrets.ts';
import type { Config } from '../config/config.ts';
import type { PlatformConnector } from '../core/connector.ts';
import type { Clock, EvidenceStore, FileStore, PasswordHasher, Repositories, Secrets, Transactor } from '../core/ports.ts';
import { demoConnector } from '../connectors/demo/demo.connector.ts';
import { directoryEvidenceStore } from '../evidence/directory.evidence-store.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { createTransactor } from '../db/repositories.ts';
import { jobHandlers } from '../jobs/handlers.ts';
import { startJobRunner, type JobRunner } from '../jobs/job-runner.ts';
import { directoryFileStore } from '../storage/directory.file-store.ts';

export interface AppContext {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly store: Transactor<Repositories>;
  readonly files: FileStore;
  readonly hasher: PasswordHasher;
  readonly secrets: Secrets;
  readonly clock: Clock;
  readonly log: Logger;
  /** Where the platform's signing keys live (`<data>/keys`). */
  readonly keysDir: string;
  readonly connector: PlatformConnector;
  readonly evidence: EvidenceStore;
  jobs?: JobRunner;
  close(): Promise<void>;
}

export const systemClock: Clock = { now: () => new Date() };

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  // Request bodies, headers and query strings are never logged: they carry personal data and secrets.
  return pino({ level: config.LOG_LEVEL, redact: { paths: ['req.headers', 'req.body', '*.password', '*.token'], remove: true } });
}

export async function createContext(config: Config, options: { log?: Logger; pgliteInMemory?: boolean } = {}): Promise<AppContext> {
  const log = options.log ?? createLogger(config);
  const database = await openDatabase({
    url: config.DATABASE_URL,
    pgliteDir: options.pgliteInMemory ? undefined : path.join(config.WRIT_DATA_DIR, 'db'),
    poolSize: config.DATABASE_POOL_SIZE,
  });
  await migrate(database.db);
  const keysDir = path.join(config.WRIT_DATA_DIR, 'keys');
  const context: AppContext = {
    config,
    database,
    store: createTransactor(database.db),
    files: directoryFileStore(path.join(config.WRIT_DATA_DIR, 'files')),
    hasher: argon2Hasher(),
    secrets: nodeSecrets,
    clock: systemClock,
    log,
    keysDir,
    connector: demoConnector(database.db),
    evidence: directoryEvidenceStore({ root: path.join(config.WRIT_DATA_DIR, 'productions'), keysDir, clock: systemClock }),
    async close() {
      await context.jobs?.stop();
      await database.close();
    },
  };
  return context;
}

/** Starts the outbox dispatcher, and the handlers too when this process has the worker role (always on PGlite). */
export async function startJobs(context: AppContext): Promise<JobRunner> {
  const work = context.database.kind === 'pglite' || context.config.WRIT_ROLES.includes('worker');
  context.jobs = await startJobRunner({
    database: context.database,
    handlers: jobHandlers({ ...context, availableDays: context.config.WRIT_PRODUCTION_DAYS }),
    log: context.log,
    pollMs: context.config.WRIT_OUTBOX_POLL_MS,
    work,
  });
  return context.jobs;
}
