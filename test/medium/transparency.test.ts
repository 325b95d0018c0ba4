/**
 * The transparency report on both databases: it gives back a published half-year (Daum's 2025-H2 table, from
 * requests generated to match it), its numbers match a plain recount of the requests they come from, small counts
 * are banded when asked, the public API serves JSON, CSV and PDF without a login with the tree head the numbers were
 * computed under, and removal decisions export as DSA statements of reasons that pass the DSA database's own rules.
 */
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/core/actor.ts';
import { statementOfReasons } from '../../src/core/dsa.ts';
import { verifyConsistency } from '../../src/core/merkle.ts';
import { REQUEST_KINDS, OPEN_STATES } from '../../src/core/request.ts';
import { halfYear, halfYearOf, type ReportRow } from '../../src/core/transparency.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { proveConsistency } from '../../src/services/audit-log.ts';
import { approveRequest } from '../../src/services/approve-request.ts';
import { rejectRequest } from '../../src/services/reject-request.ts';
import { transparencyReport } from '../../src/services/transparency-report.ts';
import { confirmRequester, verifyRequest } from '../../src/services/verify-request.ts';
import { withdrawRequest } from '../../src/services/withdraw-request.ts';
import { readFileSync } from 'node:fs';
import { describeOnEachDatabase } from '../support/databases.ts';
import { validateStatement } from '../support/dsa-validator.ts';
import { buildWorld, sessionFor, submitted, uploadPdf, type World } from '../support/factories.ts';
import { generatePublishedHalfYear, publishedHalfYear } from '../support/published-report.ts';

const exact = (value: ReportRow['requests']) => {
  if (typeof value !== 'number') throw new Error('banded');
  return value;
};

describeOnEachDatabase('the transparency report', (db) => {
  let world: World;
  let app: App;

  beforeAll(async () => {
    const { context } = db();
    world = await buildWorld(context);
    app = await buildApp(context);
  });

  it('gives back Daum’s published 2025-H2 table from requests generated to match it', async () => {
    const { context } = db();
    const published = publishedHalfYear('Kakao', 'Daum', '2025-H2');
    expect(published.find((row) => row.category === 'seizure_warrant')).toEqual({
      category: 'seizure_warrant',
      requests: 726,
      processed: 147,
      accounts: 255,
    });
    // Any event at all, so the log has a head to sign.
    await context.store.transaction(({ audit }) => audit.append(SYSTEM_ACTOR, { type: 'demo.seeded', data: { accounts: 0 } }));
    await generatePublishedHalfYear(context.database.db, {
      half: '2025-H2',
      agencyId: world.agencyA,
      officerId: world.officerA.userId,
      prefix: '9',
      table: published,
    });
    const report = await transparencyReport(context, { half: '2025-H2', bandBelow: 0 });
    expect(report.korea.map(({ category, requests, processed, accounts }) => ({ category, requests, processed, accounts }))).toEqual(
      published,
    );
    expect(report.totals.requests).toBe(published.reduce((sum, row) => sum + row.requests, 0));
    expect(report.countries.map((row) => row.country)).toEqual(['KR']);
    // The tree head it was computed under is signed and extends into every later head.
    expect(report.treeHead).not.toBeNull();
    const proof = await proveConsistency(context, { first: report.treeHead!.treeSize });
    expect(
      verifyConsistency(
        context.merkle,
        report.treeHead!.treeSize,
        proof.second.treeSize,
        proof.proof.map((hash) => Buffer.from(hash, 'hex')),
        Buffer.from(report.treeHead!.rootHash, 'hex'),
        Buffer.from(proof.second.rootHash, 'hex'),
      ),
    ).toBe(true);
  });

  it('counts exactly what a plain recount of the requests finds', async () => {
    const { context } = db();
    const kinds = ['disclosure', 'preservation', 'emergency', 'removal'] as const;
    const numbers: string[] = [];
    for (let i = 0; i < 16; i += 1) {
      const kind = kinds[i % kinds.length]!;
      const sender = i % 3 === 0 ? world.officerB : world.officerA;
      const number = await submitted(context, sender, {
        kind,
        jurisdiction: i % 3 === 0 ? 'US' : 'KR',
        ...(kind === 'emergency'
          ? { emergency: { dangerDescription: 'A person is threatened with death tonight.', attestation: true } }
          : {}),
        ...(kind === 'removal'
          ? { legalProcess: { instrumentType: 'removal_order', documentIds: [await uploadPdf(context, sender)] } }
          : {}),
        ...(i % 4 === 1 ? { nonDisclosure: { ordered: true, until: '2027-01-01' } } : {}),
        targets: Array.from({ length: 1 + (i % 3) }, (_, t) => ({ kind: 'username' as const, value: `recount.${i}.${t}` })),
      });
      numbers.push(number);
      const request = (await context.store.read.requests.find({ kind: 'desk' }, number))!;
      await verifyRequest(context, { requestId: request.id });
      const after = (await context.store.read.requests.find({ kind: 'desk' }, number))!;
      // An officer's first emergency request is held: refused as unconfirmed, or confirmed and decided like the rest.
      if (after.state === 'verifying') {
        if (i % 2 === 0) {
          await rejectRequest(context, world.counsel, { reference: number, body: { reasons: 'The sender could not be confirmed.' } });
          continue;
        }
        await confirmRequester(context, world.counsel, { reference: number });
      }
      if (i % 5 === 0) await rejectRequest(context, world.counsel, { reference: number, body: { reasons: 'Outside the warrant.' } });
      else if (i % 5 === 1) await approveRequest(context, world.counsel, { reference: number, body: { reason: 'Within the law.' } });
      else if (i % 5 === 2) await withdrawRequest(context, i % 3 === 0 ? world.officerB : world.officerA, { reference: number, body: {} });
      if (i % 2 === 0) {
        await context.store.transaction(({ audit }) =>
          audit.append(SYSTEM_ACTOR, { type: 'notice.sent', requestId: request.id, data: { noticeId: `n${i}`, targetId: 't0' } }),
        );
      }
      if (kind === 'removal' && i % 5 === 1) {
        await context.store.transaction(({ audit }) =>
          audit.append(world.counsel, { type: 'removal.actioned', requestId: request.id, data: { action: 'removed', items: 3 } }),
        );
      }
    }
    const now = new Date();
    const period = halfYear(halfYearOf(now))!;
    const report = await transparencyReport(context, { from: period.from, to: period.to, bandBelow: 0 });

    // The recount: straight from the base tables, one request at a time.
    const requests = await sql<{ id: string; jurisdiction: string; kind: string; state: string; non_disclosure: boolean }>`
      SELECT id, jurisdiction, kind, state, non_disclosure FROM requests WHERE received_at >= ${period.from} AND received_at < ${period.to}`.execute(
      context.database.db,
    );
    const targets = await sql<{ request_id: string; n: string }>`SELECT request_id, count(*)::text AS n FROM targets GROUP BY 1`.execute(
      context.database.db,
    );
    const decisions = await sql<{ request_id: string; outcome: string }>`
      SELECT DISTINCT ON (request_id) request_id, outcome FROM decisions ORDER BY request_id, created_at DESC`.execute(context.database.db);
    const held = await sql<{ request_id: string }>`
      SELECT DISTINCT request_id FROM audit_events WHERE type = 'request.transitioned' AND data ->> 'from' = 'verifying' AND data ->> 'to' = 'rejected'`.execute(
      context.database.db,
    );
    const notified = await sql<{ request_id: string; n: string }>`
      SELECT request_id, count(DISTINCT data ->> 'targetId')::text AS n FROM audit_events WHERE type = 'notice.sent' GROUP BY 1`.execute(
      context.database.db,
    );
    const targetCount = new Map(targets.rows.map((row) => [row.request_id, Number(row.n)]));
    const outcome = new Map(decisions.rows.map((row) => [row.request_id, row.outcome]));
    const refused = new Set(held.rows.map((row) => row.request_id));
    const notices = new Map(notified.rows.map((row) => [row.request_id, Number(row.n)]));
    for (const country of ['KR', 'US']) {
      for (const kind of REQUEST_KINDS) {
        const mine = requests.rows.filter((row) => row.jurisdiction === country && row.kind === kind);
        const row = report.rows.find((candidate) => candidate.country === country && candidate.kind === kind);
        if (mine.length === 0) {
          expect(row).toBeUndefined();
          continue;
        }
        expect(row, `${country} ${kind}`).toMatchObject({
          requests: mine.length,
          accountsSpecified: mine.reduce((sum, request) => sum + (targetCount.get(request.id) ?? 0), 0),
          rejected: mine.filter((request) => outcome.get(request.id) === 'rejected').length,
          narrowed: mine.filter((request) => outcome.get(request.id) === 'partially_approved').length,
          nonDisclosure: mine.filter((request) => request.non_disclosure).length,
          refusedAsSuspicious: mine.filter((request) => refused.has(request.id)).length,
          withdrawn: mine.filter((request) => request.state === 'withdrawn').length,
          pending: mine.filter((request) => OPEN_STATES.has(request.state as never)).length,
          usersNotified: mine.reduce((sum, request) => sum + (notices.get(request.id) ?? 0), 0),
          emergency: kind === 'emergency' ? mine.length : 0,
        });
      }
    }
    expect(exact(report.totals.requests)).toBe(requests.rows.length);
    expect(exact(report.totals.refusedAsSuspicious)).toBeGreaterThan(0);
    expect(report.totals.removalActions).toMatchObject({ removed: 1, items: 3 });
    expect(report.series.byOutcome.reduce((sum, entry) => sum + exact(entry.requests), 0)).toBe(requests.rows.length);
    expect(report.series.byCountry.reduce((sum, entry) => sum + exact(entry.requests), 0)).toBe(requests.rows.length);
    expect(report.series.overTime).toHaveLength(6);
    expect(numbers).toHaveLength(16);
  });

  it('bands small counts, and leaves out the shares that rest on them', async () => {
    const { context } = db();
    const period = halfYear(halfYearOf(new Date()))!;
    const report = await transparencyReport(context, { from: period.from, to: period.to, bandBelow: 10 });
    const us = report.countries.find((row) => row.country === 'US')!;
    expect(us.requests).toEqual({ min: 1, max: 9 });
    expect(us.withSomeDataShare).toBeNull();
    expect(report.banding).toEqual({ below: 10 });
    const exactReport = await transparencyReport(context, { from: period.from, to: period.to, bandBelow: 0 });
    expect(exactReport.countries.find((row) => row.country === 'US')!.requests).toBeGreaterThan(0);
  });

  it('serves a published period to the public as JSON, CSV and PDF, and refuses a bad period', async () => {
    const json = await app.inject({ method: 'GET', url: '/api/v1/transparency/report?period=2025-H2' });
    expect(json.statusCode).toBe(200);
    const body = json.json<{ audience: string; korea: Array<{ category: string; requests: number }>; treeHead: { treeSize: number } }>();
    expect(body.audience).toBe('public');
    expect(body.korea.find((row) => row.category === 'seizure_warrant')?.requests).toBe(726);
    expect(body.treeHead.treeSize).toBeGreaterThan(0);
    // The older way of naming a half-year still works.
    expect((await app.inject({ method: 'GET', url: '/api/v1/transparency/report?half=2025-H2' })).json()).toMatchObject({
      period: { label: '2025-H2' },
    });
    const csv = await app.inject({ method: 'GET', url: '/api/v1/transparency/report.csv?period=2025-H2' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toMatch(/^section,country,kind,category,requests,accounts_specified/);
    expect(csv.body).toContain('korea,KR,all,seizure_warrant 압수수색영장,726,');
    const pdf = await app.inject({ method: 'GET', url: '/api/v1/transparency/report.pdf?period=2025-H2' });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    for (const [url, code] of [
      ['/api/v1/transparency/report?half=2025-H3', 'REPORT_RANGE_INVALID'],
      ['/api/v1/transparency/report?period=2025-13', 'REPORT_RANGE_INVALID'],
      ['/api/v1/transparency/report?period=2025-H2&half=2025-H1', 'REPORT_RANGE_INVALID'],
      ['/api/v1/transparency/report?from=2025-07-01', 'REPORT_RANGE_NOT_PUBLIC'],
      ['/api/v1/transparency/report?from=x&to=y', 'REPORT_RANGE_NOT_PUBLIC'],
      ['/api/v1/transparency/report.csv?from=2025-07-01&to=2026-01-01', 'REPORT_RANGE_NOT_PUBLIC'],
      [`/api/v1/transparency/report?period=${halfYearOf(new Date())}`, 'REPORT_PERIOD_NOT_PUBLISHED'],
      ['/api/v1/transparency/report.pdf?period=2099-01', 'REPORT_PERIOD_NOT_PUBLISHED'],
    ] as const) {
      const bad = await app.inject({ method: 'GET', url });
      expect(bad.statusCode, url).toBe(400);
      expect(bad.headers['content-type'], url).toContain('application/problem+json');
      expect(bad.json(), url).toMatchObject({ code });
    }
    // The desk (report.export) may ask for a range, and gets it in the same public form.
    const { context } = db();
    const counsel = { cookie: `writ_session=${await sessionFor(context, world.counsel)}` };
    const bad = await app.inject({ method: 'GET', url: '/api/v1/transparency/report?from=x&to=y', headers: counsel });
    expect(bad.json()).toMatchObject({ code: 'REPORT_RANGE_INVALID' });
    const ranged = await app.inject({ method: 'GET', url: '/api/v1/transparency/report?from=2025-07-01&to=2025-10-01', headers: counsel });
    expect(ranged.statusCode).toBe(200);
    expect(ranged.json()).toMatchObject({ audience: 'public', period: { label: null, from: '2025-07-01T00:00:00.000Z' } });
    // The periods are ids from the platform's start, never instants.
    const periods = await app.inject({ method: 'GET', url: '/api/v1/transparency/periods' });
    const listed = periods.json<{ halfYears: string[]; months: string[] }>();
    expect(Object.keys(listed).sort()).toEqual(['halfYears', 'months']);
    for (const id of [...listed.halfYears, ...listed.months]) expect(id).toMatch(/^\d{4}-(H[12]|\d{2})$/);
    expect(periods.body).not.toMatch(/T\d{2}:\d{2}/);
  });

  it('exports removal decisions as DSA statements of reasons that pass the DSA database’s rules', async () => {
    const { context } = db();
    // The validator is not vacuous: the DSA project's own example passes it, a broken one does not.
    const example = JSON.parse(
      readFileSync(new URL('../fixtures/dsa/cypress_fixtures_example_statement.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    expect(validateStatement(example)).toEqual([]);
    expect(validateStatement({ ...example, decision_ground: 'DECISION_GROUND_ILLEGAL_CONTENT', puid: 'has space' })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^puid/), expect.stringMatching(/^illegal_content_legal_ground: required/)]),
    );

    const mine: string[] = [];
    for (const [jurisdiction, action] of [
      ['FR', 'restricted'],
      ['EU', 'removed'],
      ['KR', 'kept'],
    ] as const) {
      const number = await submitted(context, world.officerA, {
        kind: 'removal',
        jurisdiction,
        legalProcess: {
          instrumentType: 'removal_order',
          issuingAuthority: 'Pôle national de lutte contre la haine en ligne',
          reference: `RO-${jurisdiction}`,
          documentIds: [await uploadPdf(context, world.officerA)],
        },
        targets: [{ kind: 'url', value: `https://example.social/@someone/${jurisdiction}` }],
      });
      mine.push(number);
      const request = (await context.store.read.requests.find({ kind: 'desk' }, number))!;
      await context.store.transaction(({ audit }) =>
        audit.append(world.counsel, { type: 'removal.actioned', requestId: request.id, data: { action, items: 2 } }),
      );
    }
    const counsel = { cookie: `writ_session=${await sessionFor(context, world.counsel)}` };
    const officer = { cookie: `writ_session=${await sessionFor(context, world.officerA)}` };
    expect((await app.inject({ method: 'GET', url: '/api/v1/transparency/dsa-statements' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/transparency/dsa-statements', headers: officer })).statusCode).toBe(403);
    const answer = await app.inject({ method: 'GET', url: '/api/v1/transparency/dsa-statements', headers: counsel });
    expect(answer.statusCode).toBe(200);
    const all = answer.json<{ statements: Array<Record<string, unknown>> }>().statements;
    for (const statement of all) expect(validateStatement(statement), JSON.stringify(statement)).toEqual([]);
    const statements = all.filter((statement) => mine.includes(String(statement.puid)));
    // The kept order restricts nothing: no statement for it.
    expect(statements).toHaveLength(2);
    for (const statement of statements) expect(validateStatement(statement), JSON.stringify(statement)).toEqual([]);
    expect(statements.map((statement) => statement.decision_visibility)).toEqual([
      ['DECISION_VISIBILITY_CONTENT_DISABLED'],
      ['DECISION_VISIBILITY_CONTENT_REMOVED'],
    ]);
    expect(statements[0]).toMatchObject({ territorial_scope: ['FR'], source_type: 'SOURCE_TYPE_OTHER_NOTIFICATION' });
    expect((statements[1]!.territorial_scope as string[]).length).toBe(27);
    // No personal data: the target and the agency's words are not in it.
    expect(JSON.stringify(statements)).not.toContain('example.social');
    expect(
      statementOfReasons({
        trackingNumber: 'WR-2026-000001',
        jurisdiction: 'DE',
        instrumentType: 'court_order',
        issuingAuthority: null,
        reference: null,
        issuedOn: null,
        receivedAt: '2026-01-02T00:00:00.000Z',
        contentFrom: null,
        action: 'removed',
        items: 1,
        actionedAt: '2026-01-03T00:00:00.000Z',
      }),
    ).toMatchObject({ content_date: '2026-01-02', application_date: '2026-01-03' });
  });
});
