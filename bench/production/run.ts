/**
 * bench/production: one approved traffic (login/IP log) production on PostgreSQL, against the floor of the same query
 * piped through psql's \copy into sha256sum, in one run. Reports throughput (rows/s), the ratio to the floor, and the
 * peak RSS of the process doing the production, at each size.
 *
 *   BENCH_DATABASE_URL=postgres://... npm run bench:production      # the database is wiped first: use a scratch one
 *
 * BENCH_SIZES (default "1000000,10000000"): rows in range for the target, one production each; BENCH_OTHER_ROWS (default
 * 10000000): rows of other accounts in the same table, so the target's rows are found by index, not by a full scan.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../../src/config/config.ts';
import { CLI_ACTOR } from '../../src/core/actor.ts';
import { createDemoSchema, DEMO_REFERENCE_INSTANT, generateDemoDataset } from '../../src/connectors/demo/demo-messenger.dataset.ts';
import { demoTrafficSelect } from '../../src/connectors/demo/demo.connector.ts';
import { addAgency } from '../../src/services/add-agency.ts';
import { addUser } from '../../src/services/add-user.ts';
import { approveRequest } from '../../src/services/approve-request.ts';
import { actorOf } from '../../src/services/authenticate.ts';
import { startProduction } from '../../src/services/production.ts';
import { runProduction } from '../../src/services/run-production.ts';
import { ensurePlatform } from '../../src/services/seed-demo.ts';
import { submitRequest } from '../../src/services/submit-request.ts';
import { verifyRequest } from '../../src/services/verify-request.ts';
import { uploadDocument } from '../../src/services/upload-document.ts';
import { createContext } from '../../src/server/context.ts';

const url = process.env.BENCH_DATABASE_URL;
if (!url) {
  console.error('Set BENCH_DATABASE_URL to a scratch PostgreSQL database (it is wiped).');
  process.exit(2);
}
const sizes = (process.env.BENCH_SIZES ?? '1000000,10000000').split(',').map(Number);
const otherRows = Number(process.env.BENCH_OTHER_ROWS ?? 10_000_000);
const TARGET = 1;
const to = DEMO_REFERENCE_INSTANT;

async function main() {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(
    'DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS pgboss CASCADE; DROP SCHEMA IF EXISTS demo CASCADE; CREATE SCHEMA public;',
  );
  await admin.end();

  const dataDir = mkdtempSync(path.join(tmpdir(), 'writ-bench-production-'));
  // The benchmark's officer is minutes old: no new-account hold, so the request goes straight to review.
  const context = await createContext(
    loadConfig({ DATABASE_URL: url, WRIT_DATA_DIR: dataDir, LOG_LEVEL: 'warn', WRIT_HOLD_NEW_ACCOUNT_DAYS: '0' }),
  );
  const db = context.database.db;
  await createDemoSchema(db);
  await generateDemoDataset(db, { users: 1000, loginsPerUser: 1, messagesPerUser: 1, seed: 1 });
  const started = performance.now();
  // Other accounts' logins, spread over the year before the reference instant.
  await sql`
    INSERT INTO demo.logins (account_id, ip, port, at, user_agent, kind)
    SELECT 2 + (g % 998), ('10.' || (g % 250) || '.' || ((g / 250) % 250) || '.1')::inet, 40000, ${to}::timestamptz - (g % 31536000) * interval '1 second', 'DemoMessenger/5.2', 'session'
    FROM generate_series(1, ${otherRows}::int) AS g
  `.execute(db);
  console.error(`filled ${otherRows} other rows in ${Math.round((performance.now() - started) / 1000)} s`);

  const platformId = await ensurePlatform(context, 'Bench platform');
  const agency = await addAgency(context, CLI_ACTOR, {
    name: 'Bench Agency',
    jurisdiction: 'KR',
    emailDomains: ['bench.example.kr'],
    verified: true,
  });
  const officerId = await addUser(context, CLI_ACTOR, {
    organisationId: agency.id,
    email: 'officer@bench.example.kr',
    displayName: 'Officer',
    roles: ['officer'],
    password: 'bench password 1234',
  });
  const counselId = await addUser(context, CLI_ACTOR, {
    organisationId: platformId,
    email: 'counsel@bench.example',
    displayName: 'Counsel',
    roles: ['counsel'],
    password: 'bench password 1234',
  });
  const officer = actorOf((await context.store.read.users.findActive(officerId.id))!, 'cli');
  const counsel = actorOf((await context.store.read.users.findActive(counselId.id))!, 'cli');

  const results = [];
  let previous = 0;
  for (const size of sizes) {
    // The target's rows in range: one per second before the reference instant, added to what earlier sizes put there.
    await sql`
      INSERT INTO demo.logins (account_id, ip, port, at, user_agent, kind)
      SELECT ${TARGET}, ('198.51.100.' || (g % 250 + 1))::inet, 1024 + g % 60000, ${to}::timestamptz - g * interval '1 second', 'DemoMessenger/5.2 (Android 14)', 'session'
      FROM generate_series(${previous + 1}::int, ${size}::int) AS g
    `.execute(db);
    await sql`ANALYZE demo.logins`.execute(db);
    previous = size;
    const from = new Date(Date.parse(to) - (size + 1) * 1000).toISOString();

    const document = await uploadDocument({ ...context, maxBytes: 1_000_000 }, officer, {
      fileName: 'warrant.pdf',
      content: (async function* () {
        yield Buffer.from(`%PDF-1.4\n${size}\n%%EOF\n`);
      })(),
    });
    const receipt = await submitRequest(context, officer, {
      payload: {
        kind: 'disclosure',
        jurisdiction: 'KR',
        legalProcess: { instrumentType: 'search_warrant', documentIds: [document.id] },
        targets: [{ kind: 'username', value: 'minjun.kim' }],
        categories: ['traffic'],
        dateRange: { from, to },
      },
    });
    const request = await context.store.read.requests.find({ kind: 'desk' }, receipt.trackingNumber);
    await verifyRequest(context, { requestId: request!.id });
    await approveRequest(context, counsel, { reference: receipt.trackingNumber, body: {} });
    await startProduction(context, counsel, { reference: receipt.trackingNumber });

    // The floor: the same rows, as CSV, through psql into sha256sum.
    // The very SELECT the demo connector hands to PostgreSQL for this production.
    const query = demoTrafficSelect(String(TARGET), new Date(from), new Date(to)).replace(/\s+/g, ' ');
    const floorStart = performance.now();
    const floor = spawnSync('bash', ['-c', 'psql "$BENCH_DATABASE_URL" -qAt -c "\\copy ($BENCH_QUERY) to stdout csv" | sha256sum'], {
      encoding: 'utf8',
      env: { ...process.env, BENCH_QUERY: query },
    });
    const floorSeconds = (performance.now() - floorStart) / 1000;
    if (floor.status !== 0) throw new Error(`floor failed: ${floor.stderr}`);
    // The same again with the planner setting Writ's COPY uses (random_page_cost 1.1: walk the index, no sort).
    const tunedStart = performance.now();
    const tuned = spawnSync('bash', ['-c', 'psql "$BENCH_DATABASE_URL" -qAt -c "\\copy ($BENCH_QUERY) to stdout csv" | sha256sum'], {
      encoding: 'utf8',
      env: { ...process.env, BENCH_QUERY: query, PGOPTIONS: '-c random_page_cost=1.1' },
    });
    const tunedFloorSeconds = (performance.now() - tunedStart) / 1000;
    if (tuned.status !== 0) throw new Error(`floor failed: ${tuned.stderr}`);

    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const writStart = performance.now();
    await runProduction({ ...context, availableDays: 30 }, { requestId: request!.id });
    const writSeconds = (performance.now() - writStart) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const production = await context.store.read.productions.latestForRequest(request!.id);
    const rows = production?.outcomes[0]?.records ?? 0;
    const result = {
      rowsInRange: size,
      rowsProduced: rows,
      tableRows: Number(execFileSync('psql', [url!, '-qAt', '-c', 'SELECT count(*) FROM demo.logins']).toString().trim()),
      writSeconds: Math.round(writSeconds * 100) / 100,
      writRowsPerSecond: Math.round(rows / writSeconds),
      floorSeconds: Math.round(floorSeconds * 100) / 100,
      floorRowsPerSecond: Math.round(size / floorSeconds),
      ratioToFloor: Math.round((floorSeconds / writSeconds) * 100) / 100,
      tunedFloorSeconds: Math.round(tunedFloorSeconds * 100) / 100,
      ratioToTunedFloor: Math.round((tunedFloorSeconds / writSeconds) * 100) / 100,
      peakRssMB: Math.round(peak / 1048576),
      baselineRssMB: Math.round(baseline / 1048576),
      packageMB: Math.round((production?.payloadBytes ?? 0) / 1048576),
    };
    console.error(JSON.stringify(result));
    results.push(result);
  }
  await context.close();
  rmSync(dataDir, { recursive: true, force: true });
  console.log(JSON.stringify({ node: process.version, results }, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
