/**
 * Reproduces Kakao's published 2025-H2 KakaoTalk table (test/fixtures/transparency/korea-2025.json): requests
 * generated to match it (14,343 requests naming 4,034,087 accounts), then the report computed from them, side by side
 * in docs/transparency.md. PostgreSQL only; the database is wiped.
 *
 *   BENCH_DATABASE_URL=postgres://writ_app@127.0.0.1:55432/writ_kakao node --import tsx bench/audit/reproduce-kakao.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { SYSTEM_ACTOR } from '../../src/core/actor.ts';
import { countText, KOREAN_CATEGORIES } from '../../src/core/transparency.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createContext } from '../../src/server/context.ts';
import { transparencyReport } from '../../src/services/transparency-report.ts';
import { generatePublishedHalfYear, publishedHalfYear } from '../../test/support/published-report.ts';

const DATABASE_URL = process.env.BENCH_DATABASE_URL;
if (!DATABASE_URL) {
  console.error('Set BENCH_DATABASE_URL to a scratch PostgreSQL database (it is wiped).');
  process.exit(2);
}
const client = new pg.Client({ connectionString: DATABASE_URL });
await client.connect();
await client.query('DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS pgboss CASCADE; CREATE SCHEMA public;');
await client.end();

const dataDir = mkdtempSync(path.join(tmpdir(), 'writ-kakao-'));
const context = await createContext(loadConfig({ DATABASE_URL, WRIT_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
try {
  const db = context.database.db;
  const agency = await sql<{ id: string }>`INSERT INTO organisations (kind, name, jurisdiction, verification_status, email_domains)
    VALUES ('agency', 'Korean National Police Agency', 'KR', 'verified', ARRAY['police.go.kr']) RETURNING id`.execute(db);
  const officer = await sql<{ id: string }>`INSERT INTO users (organisation_id, email, display_name, roles)
    VALUES (${agency.rows[0]!.id}, 'officer@police.go.kr', 'Officer', ARRAY['officer']) RETURNING id`.execute(db);
  await context.store.transaction(({ audit }) => audit.append(SYSTEM_ACTOR, { type: 'demo.seeded', data: { accounts: 0 } }));
  const published = publishedHalfYear('Kakao', 'Kakao', '2025-H2');
  const generateStarted = performance.now();
  await generatePublishedHalfYear(db, {
    half: '2025-H2',
    agencyId: agency.rows[0]!.id,
    officerId: officer.rows[0]!.id,
    prefix: '1',
    table: published,
  });
  const generatedMs = performance.now() - generateStarted;
  const counts = await sql<{ requests: string; targets: string }>`
    SELECT (SELECT count(*) FROM requests)::text AS requests, (SELECT count(*) FROM targets)::text AS targets`.execute(db);
  const started = performance.now();
  const report = await transparencyReport(context, { half: '2025-H2', bandBelow: 0 });
  const reportMs = performance.now() - started;

  const row = (category: string) => report.korea.find((entry) => entry.category === category)!;
  const lines = published.map((expected) => {
    const got = row(expected.category);
    const same = got.requests === expected.requests && got.processed === expected.processed && got.accounts === expected.accounts;
    const entry = KOREAN_CATEGORIES.find((candidate) => candidate.category === expected.category)!;
    const n = (value: number) => value.toLocaleString('en-US');
    const c = (value: (typeof got)['requests']) => (typeof value === 'number' ? n(value) : countText(value));
    return `| ${entry.en} (${entry.ko}) | ${n(expected.requests)} | ${n(expected.processed)} | ${n(expected.accounts)} | ${c(got.requests)} | ${c(got.processed)} | ${c(got.accounts)} | ${same ? 'same' : '**differs**'} |`;
  });
  const kr = report.rows.filter((entry) => entry.country === 'KR');
  const doc = `# Transparency: a published half-year, reproduced

Kakao publishes, per half-year and service, the requests it received under Korean law in four categories, how many
it processed and how many accounts they concerned (privacy.kakao.com/transparency; the figures are in
\`test/fixtures/transparency/korea-2025.json\`). Requests generated to match KakaoTalk's 2025-H2 figures — for each
category so many requests received in the half-year, so many approved with targets adding up to the published
accounts, the rest rejected, each taken through the lifecycle's own states in the database — give that table back
from Writ's transparency report: the operator's exact one (\`writ report --internal --period 2025-H2\`, \`korea\`),
shown here; the public one (\`GET /api/v1/transparency/report?period=2025-H2\`) merges, bands or withholds only
what would tell something about fewer requests than \`WRIT_REPORT_BAND_BELOW\` (README, Transparency report).

Generated with \`bench/audit/reproduce-kakao.ts\` on PostgreSQL 15 (${report.computedAt.slice(0, 10)}):
${Number(counts.rows[0]!.requests).toLocaleString('en-US')} requests naming ${Number(counts.rows[0]!.targets).toLocaleString('en-US')} accounts
(${Math.round(generatedMs / 1000)} s to generate); the report over them took ${Math.round(reportMs)} ms.

| category | published: requests | processed | accounts | Writ: requests | processed | accounts | |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |
${lines.join('\n')}

"Processed" is a request approved in whole or in part; "accounts" are the accounts the processed requests named
(Kakao counts 계정수 of the requests it processed). The same table for Daum's 2025-H2 figures is reproduced in the test
suite on both databases (\`test/medium/transparency.test.ts\`).

The rest of Writ's report for the same requests (Korea, per kind):

| kind | requests | accounts specified | rejected | narrowed | pending |
| --- | ---: | ---: | ---: | ---: | ---: |
${kr.map((entry) => `| ${entry.kind} | ${countText(entry.requests)} | ${countText(entry.accountsSpecified)} | ${countText(entry.rejected)} | ${countText(entry.narrowed)} | ${countText(entry.pending)} |`).join('\n')}

The numbers were computed under the audit log's tree head of ${report.treeHead?.treeSize ?? 0} events (the generated
requests were written directly, so the log holds only the run's own events). Reproduce with:

\`\`\`sh
bash scripts/test-postgres.sh start   # then create a scratch database owned by an ordinary role
psql postgres://postgres@127.0.0.1:55432/postgres -c 'CREATE DATABASE writ_kakao OWNER writ_app'
BENCH_DATABASE_URL=postgres://writ_app@127.0.0.1:55432/writ_kakao node --import tsx bench/audit/reproduce-kakao.ts
\`\`\`
`;
  writeFileSync('docs/transparency.md', doc);
  console.log(lines.join('\n'));
  console.log(`generated in ${Math.round(generatedMs)} ms; report in ${Math.round(reportMs)} ms`);
  if (lines.some((line) => line.includes('differs'))) process.exitCode = 1;
} finally {
  await context.close();
  rmSync(dataDir, { recursive: true, force: true });
}
