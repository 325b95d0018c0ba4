/**
 * bench/audit (PostgreSQL): the audit log and the transparency report at scale, each against a floor in the same run.
 *
 *   BENCH_DATABASE_URL=postgres://writ_app@127.0.0.1:55432/writ_auditbench npm run bench:audit   (the database is wiped)
 *
 * 1. append: BENCH_APPEND events (default 100,000) through the audit port by BENCH_WRITERS concurrent writers (8), each
 *    one statement (as the request hook appends refusals) and then each in its own transaction (as a use case), while
 *    the sequencer places them and signs a head every BENCH_SEQUENCE_MS (250); measured until the last event is covered
 *    by a signed head (proofs available). Floor: the same events written the same way into the audit table as it was
 *    before it became a Merkle log (its columns and indexes, no log).
 * 2. verify: BENCH_EVENTS events (default 1,000,000) placed by the sequencer, then `verifyAuditLog` over all of them.
 *    Floor: reading the same entries in the same order and taking one SHA-256 of them all (the least a verifier reads).
 * 3. report: BENCH_REQUESTS requests (default 1,000,000; 12 countries, every kind and outcome) and the report over them.
 *    Floor: counting the same rows (`count(*)` over the same range).
 * Also: the cost of one inclusion proof and one consistency proof in the million-event tree.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { SYSTEM_ACTOR } from '../../src/core/actor.ts';
import { entryOf } from '../../src/core/audit-log.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createContext, type AppContext } from '../../src/server/context.ts';
import { proveConsistency, proveInclusion, sequenceAuditLog } from '../../src/services/audit-log.ts';
import { transparencyReport } from '../../src/services/transparency-report.ts';
import { verifyAuditLog } from '../../src/services/verify-audit-log.ts';

const DATABASE_URL = process.env.BENCH_DATABASE_URL;
const APPEND = Number(process.env.BENCH_APPEND ?? 100_000);
const WRITERS = Number(process.env.BENCH_WRITERS ?? 8);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1_000_000);
const SEQUENCE_MS = Number(process.env.BENCH_SEQUENCE_MS ?? 250);
/** Which parts to run: append, verify, report (all by default). */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'append,verify,report').split(','));
if (!DATABASE_URL) {
  console.error('Set BENCH_DATABASE_URL to a scratch PostgreSQL database (it is wiped).');
  process.exit(2);
}

const seconds = (ms: number) => Math.round(ms) / 1000;
const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);

async function reset() {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(
    'DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS pgboss CASCADE; DROP SCHEMA IF EXISTS demo CASCADE; CREATE SCHEMA public;',
  );
  await client.end();
}

async function open(): Promise<{ context: AppContext; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'writ-auditbench-'));
  const config = loadConfig({ DATABASE_URL, WRIT_DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_POOL_SIZE: String(WRITERS + 4) });
  return { context: await createContext(config), dataDir };
}

/** `count` events through `append`, by `writers` at once, one per transaction. */
async function appendAll(count: number, append: (index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (let index = next++; index < count; index = next++) await append(index);
    }),
  );
}

const event = (index: number) =>
  ({
    type: 'request.viewed',
    requestId: `00000000-0000-4000-8000-${String(index % 1_000_000).padStart(12, '0')}`,
    data: { part: 'findings' },
  }) as const;
const viewer = {
  ...SYSTEM_ACTOR,
  userId: '11111111-1111-4111-8111-111111111111',
  organisationId: '22222222-2222-4222-8222-222222222222',
  via: 'session' as const,
  roles: [],
};

async function benchAppend(context: AppContext, mode: 'transaction' | 'statement') {
  const db = context.database.db;
  // Floor: the audit table as it was before the log (its columns and its two indexes), written the same way.
  await sql`DROP TABLE IF EXISTS bench_plain_events`.execute(db);
  await sql`CREATE TABLE bench_plain_events (id bigserial PRIMARY KEY, version integer NOT NULL, type text NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT now(), actor_user_id uuid, actor_organisation_id uuid, via text NOT NULL,
    request_id uuid, data jsonb NOT NULL DEFAULT '{}')`.execute(db);
  await sql`CREATE INDEX ON bench_plain_events (request_id, id) WHERE request_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX ON bench_plain_events (type, id)`.execute(db);
  const plain = (index: number) => {
    const item = event(index);
    return sql`INSERT INTO bench_plain_events (version, type, actor_user_id, actor_organisation_id, via, request_id, data)
      VALUES (1, ${item.type}, ${viewer.userId}, ${viewer.organisationId}, ${viewer.via}, ${item.requestId}, ${JSON.stringify({ ...item.data, side: 'desk' })})`;
  };
  const floorStarted = performance.now();
  await appendAll(APPEND, (index) =>
    mode === 'transaction'
      ? db.transaction().execute(async (trx) => void (await plain(index).execute(trx)))
      : plain(index)
          .execute(db)
          .then(() => undefined),
  );
  const floorMs = performance.now() - floorStarted;

  // The log: the same events through the audit port, while the sequencer runs as the worker's would, every
  // SEQUENCE_MS, placing what committed and signing a head.
  const before = (await context.store.read.auditTree.latestTreeHead())?.size ?? 0;
  let appending = true;
  let heads = 0;
  const sequencer = (async () => {
    while (appending) {
      await new Promise((resolve) => setTimeout(resolve, SEQUENCE_MS));
      if ((await sequenceAuditLog(context, { wait: true })).placed > 0) heads += 1;
    }
  })();
  const started = performance.now();
  await appendAll(APPEND, (index) =>
    mode === 'transaction'
      ? context.store.transaction(({ audit }) => audit.append(viewer, event(index)))
      : context.store.read.audit.append(viewer, event(index)),
  );
  const appendedMs = performance.now() - started;
  appending = false;
  await sequencer;
  await sequenceAuditLog(context, { wait: true });
  const provableMs = performance.now() - started;
  const head = await context.store.read.auditTree.latestTreeHead();
  // The first head also made the platform's key, and logged that: one event more.
  if ((head?.size ?? 0) < before + APPEND) throw new Error(`expected ${before + APPEND} placed events, got ${head?.size}`);
  return {
    mode,
    events: APPEND,
    writers: WRITERS,
    sequencedEveryMs: SEQUENCE_MS,
    appendedPerSecond: rate(APPEND, appendedMs),
    provablePerSecond: rate(APPEND, provableMs),
    provableSeconds: seconds(provableMs),
    treeHeadsSigned: heads,
    floorPerSecond: rate(APPEND, floorMs),
    ratioToFloor: Math.round((floorMs / provableMs) * 100) / 100,
  };
}

async function benchVerify(context: AppContext) {
  const have = (await context.store.read.auditTree.latestTreeHead())?.size ?? 0;
  const missing = EVENTS - have;
  // Entries as the app writes them (canonical JSON of a view event), made by PostgreSQL to save time filling.
  const sample = entryOf(viewer, event(0), new Date('2026-01-01T00:00:00.000Z'));
  const [before, after] = sample.split('00000000-0000-4000-8000-000000000000');
  const fillStarted = performance.now();
  for (let start = 0; start < missing; start += 200_000) {
    const count = Math.min(200_000, missing - start);
    await sql`WITH written AS (
        INSERT INTO audit_entries (entry)
        SELECT ${before!} || '00000000-0000-4000-8000-' || lpad(g::text, 12, '0') || ${after!} FROM generate_series(${start + 1}::int, ${start + count}::int) AS g
        RETURNING id)
      INSERT INTO audit_unplaced (id) SELECT id FROM written`.execute(context.database.db);
  }
  const placeStarted = performance.now();
  await sequenceAuditLog(context, { wait: true, batchSize: 20_000 });
  const placeMs = performance.now() - placeStarted;
  await sql`VACUUM ANALYZE audit_entries`.execute(context.database.db);
  await sql`VACUUM ANALYZE audit_leaves`.execute(context.database.db);
  await sql`VACUUM ANALYZE audit_tree_nodes`.execute(context.database.db);

  const runs: number[] = [];
  let size = 0;
  for (let run = 0; run < 3; run += 1) {
    const started = performance.now();
    const result = await verifyAuditLog(context);
    runs.push(performance.now() - started);
    if (!result.ok) throw new Error(`the honest log did not verify: ${result.problems[0]?.message}`);
    size = result.size;
  }
  // Floor: the same entries in the same order, one hash over all of them.
  const floorRuns: number[] = [];
  for (let run = 0; run < 3; run += 1) {
    const started = performance.now();
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    const hash = createHash('sha256');
    const cursor = 'bench_floor';
    await client.query('BEGIN');
    await client.query(
      `DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT e.entry FROM audit_leaves l JOIN audit_entries e ON e.id = l.entry_id ORDER BY l.position`,
    );
    for (;;) {
      const { rows } = await client.query<{ entry: string }>(`FETCH 20000 FROM ${cursor}`);
      if (rows.length === 0) break;
      for (const row of rows) hash.update(row.entry);
    }
    await client.query('COMMIT');
    await client.end();
    hash.digest();
    floorRuns.push(performance.now() - started);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

  const proofStarted = performance.now();
  for (let i = 0; i < 200; i += 1) await proveInclusion(context, { leafIndex: Math.floor(Math.random() * size) });
  const inclusionMs = (performance.now() - proofStarted) / 200;
  const heads = await context.store.read.auditTree.treeHeads({});
  const consistencyStarted = performance.now();
  for (let i = 0; i < 50; i += 1) await proveConsistency(context, { first: heads[Math.floor(Math.random() * (heads.length - 1))]!.size });
  const consistencyMs = (performance.now() - consistencyStarted) / 50;
  return {
    events: size,
    fillSeconds: seconds(placeStarted - fillStarted),
    sequencerSeconds: seconds(placeMs),
    sequencerPerSecond: rate(missing, placeMs),
    verifySeconds: runs.map(seconds),
    verifyMedianSeconds: seconds(median(runs)),
    floorSeconds: floorRuns.map(seconds),
    floorMedianSeconds: seconds(median(floorRuns)),
    ratioToFloor: Math.round((median(floorRuns) / median(runs)) * 100) / 100,
    inclusionProofMs: Math.round(inclusionMs * 100) / 100,
    consistencyProofMs: Math.round(consistencyMs * 100) / 100,
  };
}

async function benchReport(context: AppContext) {
  const db = context.database.db;
  const have = await sql<{ n: string }>`SELECT count(*)::text AS n FROM requests WHERE tracking_number LIKE 'WR-2025-B%'`.execute(db);
  if (Number(have.rows[0]!.n) === REQUESTS) return measureReport(context, 0);
  return measureReport(context, await fillRequests(context));
}

async function fillRequests(context: AppContext): Promise<number> {
  const db = context.database.db;
  const agency = await sql<{ id: string }>`INSERT INTO organisations (kind, name, jurisdiction, verification_status)
    VALUES ('agency', 'Bench agency', 'KR', 'verified') RETURNING id`.execute(db);
  const officer = await sql<{ id: string }>`INSERT INTO users (organisation_id, email, display_name, roles)
    VALUES (${agency.rows[0]!.id}, 'officer@bench.example', 'Bench officer', ARRAY['officer']) RETURNING id`.execute(db);
  const countries = ['KR', 'US', 'GB', 'FR', 'DE', 'IN', 'JP', 'BR', 'EU', 'CA', 'AU', 'MX'];
  const kinds = ['disclosure', 'disclosure', 'disclosure', 'preservation', 'emergency', 'removal', 'prospective'];
  const instruments = ['search_warrant', 'communication_confirmation_permit', 'interception_order', 'letter', 'subpoena', 'court_order'];
  const fillStarted = performance.now();
  for (let start = 0; start < REQUESTS; start += 100_000) {
    const count = Math.min(100_000, REQUESTS - start);
    await sql`INSERT INTO requests (tracking_number, agency_id, officer_id, kind, state, jurisdiction, instrument_type, categories,
                                    payload_sha256, received_at, targets_count, non_disclosure)
      SELECT 'WR-2025-B' || lpad(g::text, 8, '0'), ${agency.rows[0]!.id}, ${officer.rows[0]!.id},
             (${kinds}::text[])[1 + g % ${kinds.length}], 'received', (${countries}::text[])[1 + (g * 7) % ${countries.length}],
             (${instruments}::text[])[1 + (g * 3) % ${instruments.length}], ARRAY['subscriber'], repeat('0', 64),
             '2025-07-01T00:00:00Z'::timestamptz + (g % 15897600) * interval '1 second', 1 + g % 5, g % 7 = 0
      FROM generate_series(${start + 1}::int, ${start + count}::int) AS g`.execute(db);
  }
  // Through the lifecycle's edges: most reviewed, then approved, rejected (some while held), withdrawn or still open.
  // A vacuum after each pass, as autovacuum keeps up on a live system: a million rows updated five times back to
  // back would otherwise leave five dead versions of each for the report to read past.
  const vacuum = () => sql`VACUUM requests`.execute(db);
  await sql`UPDATE requests SET state = 'verifying', version = version + 1 WHERE tracking_number LIKE 'WR-2025-B%'`.execute(db);
  await vacuum();
  await sql`UPDATE requests SET state = 'rejected', version = version + 1 WHERE tracking_number LIKE 'WR-2025-B%' AND right(tracking_number, 2) = '13'`.execute(
    db,
  );
  await vacuum();
  await sql`UPDATE requests SET state = 'in_review', version = version + 1 WHERE tracking_number LIKE 'WR-2025-B%' AND state = 'verifying' AND right(tracking_number, 1) <> '9'`.execute(
    db,
  );
  await vacuum();
  await sql`UPDATE requests SET state = CASE WHEN right(tracking_number, 1) IN ('1', '2', '3', '4') THEN 'approved'
      WHEN right(tracking_number, 1) = '5' THEN 'partially_approved' WHEN right(tracking_number, 1) = '6' THEN 'rejected' ELSE state END,
      version = version + 1 WHERE tracking_number LIKE 'WR-2025-B%' AND state = 'in_review' AND right(tracking_number, 1) IN ('1', '2', '3', '4', '5', '6')`.execute(
    db,
  );
  await vacuum();
  await sql`UPDATE requests SET produced_records = 3 WHERE tracking_number LIKE 'WR-2025-B%' AND state IN ('approved', 'partially_approved') AND right(tracking_number, 1) <> '4'`.execute(
    db,
  );
  await vacuum();
  await sql`UPDATE requests SET state = 'withdrawn', version = version + 1 WHERE tracking_number LIKE 'WR-2025-B%' AND state = 'in_review'`.execute(
    db,
  );
  await vacuum();
  await sql`VACUUM ANALYZE requests`.execute(db);
  return performance.now() - fillStarted;
}

async function measureReport(context: AppContext, fillMs: number) {
  const db = context.database.db;

  const runs: number[] = [];
  let total = 0;
  for (let run = 0; run < 5; run += 1) {
    const started = performance.now();
    const report = await transparencyReport(context, { half: '2025-H2', bandBelow: 0 });
    runs.push(performance.now() - started);
    total = report.totals.requests as number;
  }
  if (total !== REQUESTS) throw new Error(`the report counted ${total} requests, not ${REQUESTS}`);
  const floorRuns: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const started = performance.now();
    await sql`SELECT count(*) FROM requests WHERE received_at >= '2025-07-01T00:00:00Z' AND received_at < '2026-01-01T00:00:00Z'`.execute(
      db,
    );
    floorRuns.push(performance.now() - started);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return {
    requests: REQUESTS,
    fillSeconds: seconds(fillMs),
    reportSeconds: runs.map(seconds),
    reportMedianSeconds: seconds(median(runs)),
    floorSeconds: floorRuns.map(seconds),
    floorMedianSeconds: seconds(median(floorRuns)),
    ratioToFloor: Math.round((median(floorRuns) / median(runs)) * 100) / 100,
  };
}

// BENCH_KEEP=1 keeps the database of an earlier run (its million requests), for measuring the report again alone.
if (process.env.BENCH_KEEP !== '1') await reset();
const { context, dataDir } = await open();
try {
  const append = PARTS.has('append') ? [await benchAppend(context, 'statement'), await benchAppend(context, 'transaction')] : undefined;
  console.log('append', append);
  const verify = PARTS.has('verify') ? await benchVerify(context) : undefined;
  console.log('verify', verify);
  const report = PARTS.has('report') ? await benchReport(context) : undefined;
  console.log('report', report);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/audit.json', `${JSON.stringify({ at: new Date().toISOString(), append, verify, report }, null, 2)}\n`);
} finally {
  await context.close();
  rmSync(dataDir, { recursive: true, force: true });
}
