/**
 * Runs a suite on both databases Writ supports: PGlite always, PostgreSQL when TEST_DATABASE_URL is set (each test
 * file gets a fresh database there, dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import type { Clock } from '../../src/core/ports.ts';
import { createContext, createLogger, type AppContext } from '../../src/server/context.ts';

export type DatabaseKind = 'pglite' | 'postgres';

const postgresUrl = process.env.TEST_DATABASE_URL;
export const DATABASE_KINDS: DatabaseKind[] = postgresUrl ? ['pglite', 'postgres'] : ['pglite'];
let warned = false;

export interface TestDatabase {
  readonly kind: DatabaseKind;
  readonly context: AppContext;
}

/**
 * The role Writ's PostgreSQL suites connect as: an ordinary role that owns its database, as an operator would set Writ
 * up, not the superuser of TEST_DATABASE_URL, so that row-level security (which a superuser bypasses) is in force.
 */
export const APP_ROLE = 'writ_app';

export async function createDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!postgresUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `writ_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${APP_ROLE} LOGIN`);
  } catch (error) {
    // Made already, perhaps by a suite starting at the same moment.
    if (!['42710', '23505'].includes((error as { code?: string }).code ?? '')) throw error;
  }
  await admin.query(`CREATE DATABASE ${name} OWNER ${APP_ROLE}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  url.username = APP_ROLE;
  url.password = '';
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A fresh, migrated Writ context on the given database; files go to a temporary directory. */
export async function openTestContext(
  kind: DatabaseKind,
  env: Record<string, string> = {},
  options: { clock?: Clock } = {},
): Promise<{ context: AppContext; dispose: () => Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'writ-test-'));
  const database = kind === 'postgres' ? await createDatabase() : undefined;
  const config = loadConfig({
    WRIT_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    // The test world's accounts are minutes old: suites that test the new-account hold set their own value.
    WRIT_HOLD_NEW_ACCOUNT_DAYS: '0',
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...env,
  });
  const context = await createContext(config, {
    pgliteInMemory: kind === 'pglite',
    log: createLogger(config),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    context,
    dispose: async () => {
      await context.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `describe` once per database; the body gets a getter for the current database's context. */
export function describeOnEachDatabase(
  name: string,
  body: (get: () => TestDatabase) => void,
  env: Record<string, string> = {},
  options: { clock?: Clock } = {},
): void {
  if (!postgresUrl && !warned) {
    warned = true;
    console.warn('PostgreSQL suites skipped: TEST_DATABASE_URL is not set (PGlite suites run).');
  }
  for (const kind of ['pglite', 'postgres'] as const) {
    const run = kind === 'pglite' || postgresUrl ? describe : describe.skip;
    run(`${name} [${kind}]`, () => {
      let current: TestDatabase | undefined;
      let dispose: (() => Promise<void>) | undefined;
      beforeAll(async () => {
        const opened = await openTestContext(kind, env, options);
        current = { kind, context: opened.context };
        dispose = opened.dispose;
      });
      afterAll(async () => {
        await dispose?.();
      });
      body(() => {
        if (!current) throw new Error('database not ready');
        return current;
      });
    });
  }
}
