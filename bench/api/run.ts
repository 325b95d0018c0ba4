/**
 * bench/api: durable submissions per second and status reads per second, with p50/p99 latency, against a real Writ
 * server started here on loopback. Bounded: a fixed number of submissions, a fixed read duration.
 *
 *   npm run bench:api                                   # PGlite (embedded)
 *   BENCH_DATABASE_URL=postgres://... npm run bench:api # PostgreSQL (the database is wiped first: use a scratch one)
 *
 * Options (environment): BENCH_SUBMISSIONS (default 3000), BENCH_READ_SECONDS (10), BENCH_CONNECTIONS (10).
 */
import { totpSecondFactor } from '../../src/auth/totp.ts';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

const PORT = Number(process.env.BENCH_PORT ?? 18_080);
const BASE = `http://127.0.0.1:${PORT}`;
const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS ?? 3000);
const READ_SECONDS = Number(process.env.BENCH_READ_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const DATABASE_URL = process.env.BENCH_DATABASE_URL;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

const dataDir = mkdtempSync(path.join(tmpdir(), 'writ-bench-'));
const env = {
  ...process.env,
  WRIT_DATA_DIR: dataDir,
  PORT: String(PORT),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  // One officer sends every request of the run: the per-account hourly limit would refuse all but the first 200.
  WRIT_SUBMISSIONS_PER_HOUR: '100000',
  DATABASE_URL: DATABASE_URL ?? '',
};
if (!DATABASE_URL) delete (env as Record<string, string | undefined>).DATABASE_URL;
const writ = (args: string[], input?: string) => {
  const result = spawnSync(process.execPath, ['bin/writ.js', ...args], { env, input, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`writ ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
};

async function resetPostgres(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    'DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS pgboss CASCADE; DROP SCHEMA IF EXISTS demo CASCADE; CREATE SCHEMA public;',
  );
  await client.end();
}

async function waitReady(child: ChildProcess): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error('server exited');
    try {
      if ((await fetch(`${BASE}/readyz`)).ok) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function startServer(): ChildProcess {
  return spawn(process.execPath, ['bin/writ.js', 'serve', '--no-demo'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

interface Figures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

const figures = (result: autocannon.Result): Figures => ({
  requestsPerSecond: Math.round((result.requests.total / (result.duration || 1)) * 10) / 10,
  p50: result.latency.p50,
  p99: result.latency.p99,
  errors: result.errors,
  non2xx: result.non2xx,
  total: result.requests.total,
});

async function main() {
  if (DATABASE_URL) await resetPostgres(DATABASE_URL);
  writ(['migrate']);
  writ(['agency', 'add', '--name', 'Bench Agency', '--jurisdiction', 'KR', '--domain', 'bench.example.kr', '--verified']);
  writ(
    ['user', 'add', '--org', 'Bench Agency', '--email', 'officer@bench.example.kr', '--name', 'Bench Officer', '--roles', 'officer'],
    'bench password 1234\n',
  );

  // Cold start on an existing database: process start to /readyz answering.
  let server = startServer();
  const coldStartMs = await waitReady(server);

  const login = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'officer@bench.example.kr', password: 'bench password 1234' }),
  });
  const cookie = /writ_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0];
  if (!cookie) throw new Error('login failed');
  // A new account has no second factor yet: enrol one, as every account must, before anything else.
  const enrolment = (await (await fetch(`${BASE}/api/v1/auth/mfa/totp`, { method: 'POST', headers: { cookie } })).json()) as {
    secret: string;
  };
  const confirmed = await fetch(`${BASE}/api/v1/auth/mfa/totp/confirm`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ code: totpSecondFactor.code(enrolment.secret, new Date()) }),
  });
  if (confirmed.status !== 204) throw new Error(`second factor enrolment failed: ${confirmed.status}`);
  const tokenResponse = await fetch(`${BASE}/api/v1/tokens`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench' }),
  });
  const { token } = (await tokenResponse.json()) as { token: string };
  const authorization = `Bearer ${token}`;

  // Each submission attaches its own legal process document, uploaded beforehand.
  const uploadStarted = performance.now();
  const documentIds: string[] = [];
  const uploadOne = async (index: number) => {
    const form = new FormData();
    form.append('file', new Blob([PDF, Buffer.from(String(index))], { type: 'application/pdf' }), 'warrant.pdf');
    const response = await fetch(`${BASE}/api/v1/documents`, { method: 'POST', headers: { authorization }, body: form });
    if (response.status !== 201) throw new Error(`upload failed: ${response.status}`);
    documentIds.push(((await response.json()) as { id: string }).id);
  };
  for (let index = 0; index < SUBMISSIONS; index += CONNECTIONS) {
    await Promise.all(Array.from({ length: Math.min(CONNECTIONS, SUBMISSIONS - index) }, (_, offset) => uploadOne(index + offset)));
  }
  const uploadsPerSecond = Math.round((SUBMISSIONS / ((performance.now() - uploadStarted) / 1000)) * 10) / 10;

  let next = 0;
  const body = (documentId: string, index: number) =>
    JSON.stringify({
      kind: 'disclosure',
      jurisdiction: 'KR',
      caseReference: `BENCH-${index}`,
      legalProcess: { instrumentType: 'search_warrant', issuingAuthority: 'Seoul Central District Court', documentIds: [documentId] },
      targets: [
        { kind: 'username', value: `user${index}` },
        { kind: 'phone', value: '+821012345678' },
      ],
      categories: ['subscriber', 'traffic'],
      dateRange: { from: '2026-09-01T00:00:00Z', to: '2026-10-01T00:00:00Z' },
    });
  const trackingNumbers: string[] = [];
  const submissions = await autocannon({
    url: `${BASE}/api/v1/requests`,
    connections: CONNECTIONS,
    amount: SUBMISSIONS,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const index = next++;
          return {
            ...request,
            headers: { ...request.headers, authorization, 'content-type': 'application/json', 'idempotency-key': `bench-${index}` },
            body: body(documentIds[index % documentIds.length]!, index),
          };
        },
        onResponse: (status, responseBody) => {
          if (status === 201) trackingNumbers.push((JSON.parse(responseBody) as { trackingNumber: string }).trackingNumber);
        },
      },
    ],
  });

  let readIndex = 0;
  const reads = await autocannon({
    url: BASE,
    connections: CONNECTIONS,
    duration: READ_SECONDS,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({
          ...request,
          path: `/api/v1/requests/${trackingNumbers[readIndex++ % trackingNumbers.length]}/status`,
          headers: { ...request.headers, authorization },
        }),
      },
    ],
  });
  // The floor on this machine in this run: the same server and load on a route that touches neither auth nor database.
  const floor = await autocannon({ url: `${BASE}/healthz`, connections: CONNECTIONS, duration: READ_SECONDS });
  await stop(server);

  // A second cold start, now on a database holding the submissions.
  server = startServer();
  const coldStartLoadedMs = await waitReady(server);
  await stop(server);

  const result = {
    database: DATABASE_URL ? 'postgres' : 'pglite',
    node: process.version,
    connections: CONNECTIONS,
    uploadsPerSecond,
    submissions: figures(submissions),
    storedSubmissions: trackingNumbers.length,
    statusReads: figures(reads),
    floorHealthz: figures(floor),
    readsToFloor: Math.round((figures(reads).requestsPerSecond / figures(floor).requestsPerSecond) * 100) / 100,
    coldStartMs: Math.round(coldStartMs),
    coldStartWithDataMs: Math.round(coldStartLoadedMs),
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/api-${result.database}.json`, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
});
