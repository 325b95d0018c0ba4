/**
 * bench/production: one approved traffic (login/IP log) production on PostgreSQL, against the floor of the same query
 * piped through psql's \copy into sha256sum, in one run. Reports throughput (rows/s), the ratio to the floor, and the
 * peak RSS of the process doing the production, at each size.
 *
 *   BENCH_DATABASE_URL=postgres://... npm run bench:production      # the database is wiped first: use a scratch one
 *
 * BENCH_SIZES (default "1000000,10000000"): rows in range for the target; BENCH_OTHER_ROWS (default 10000000): rows of
 * other accounts in the same table, so the target's rows are found by index, not by a full scan; BENCH_REPEATS (default
 * 3): rounds per size, each a floor, a tuned floor and a production of its own; the medians are reported.
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
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const TARGET = 1;
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const round2 = (value: number): number => Math.round(value * 100) / 100;
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

  // A new approved request each round: a production is made once per decision.
  const approvedRequest = async (from: string): Promise<string> => {
    const document = await uploadDocument({ ...context, maxBytes: 1_000_000 }, officer, {
      fileName: 'warrant.pdf',
      content: (async function* () {
        yield Buffer.from(`%PDF-1.4\n${from}\n%%EOF\n`);
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
    return request!.id;
  };

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

    // The floor: the same rows, as CSV, through psql into sha256sum.
    // The very SELECT the demo connector hands to PostgreSQL for this production.
    const query = demoTrafficSelect(String(TARGET), new Date(from), new Date(to)).replace(/\s+/g, ' ');
    const timed = (env: NodeJS.ProcessEnv): number => {
      const start = performance.now();
      const floor = spawnSync('bash', ['-c', 'psql "$BENCH_DATABASE_URL" -qAt -c "\\copy ($BENCH_QUERY) to stdout csv" | sha256sum'], {
        encoding: 'utf8',
        env: { ...process.env, BENCH_QUERY: query, ...env },
      });
      if (floor.status !== 0) throw new Error(`floor failed: ${floor.stderr}`);
      return (performance.now() - start) / 1000;
    };
    const floorRuns: number[] = [];
    const tunedRuns: number[] = [];
    const writRuns: number[] = [];
    let peak = 0;
    let baseline = 0;
    let production: Awaited<ReturnType<typeof context.store.read.productions.latestForRequest>>;
    // Rounds alternate the floor and Writ, so that a busy moment on a shared machine falls on both.
    for (let round = 0; round < repeats; round += 1) {
      const requestId = await approvedRequest(from);
      floorRuns.push(timed({}));
      // The same again with the planner setting Writ's COPY uses (random_page_cost 1.1: walk the index, no sort).
      tunedRuns.push(timed({ PGOPTIONS: '-c random_page_cost=1.1' }));
      global.gc?.();
      const before = process.memoryUsage.rss();
      let highest = before;
      const sampler = setInterval(() => (highest = Math.max(highest, process.memoryUsage.rss())), 20);
      const writStart = performance.now();
      await runProduction({ ...context, availableDays: 30 }, { requestId });
      writRuns.push((performance.now() - writStart) / 1000);
      clearInterval(sampler);
      highest = Math.max(highest, process.memoryUsage.rss());
      if (highest > peak) [peak, baseline] = [highest, before];
      production = await context.store.read.productions.latestForRequest(requestId);
      // Each round starts with nothing of the last one waiting to be written to disk (2 GB at 10 M rows).
      if (production) rmSync(path.join(dataDir, 'productions', production.id), { recursive: true, force: true });
      spawnSync('sync');
    }
    const [floorSeconds, tunedFloorSeconds, writSeconds] = [median(floorRuns), median(tunedRuns), median(writRuns)];
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
      runs: { writ: writRuns.map(round2), floor: floorRuns.map(round2), tunedFloor: tunedRuns.map(round2) },
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
