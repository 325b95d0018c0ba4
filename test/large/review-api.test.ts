/** Findings over HTTP: the desk sees all with their sources and why; the officer what concerns them; blocks need counsel. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyRequest } from '../../src/services/verify-request.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, multipartBody, PDF_BYTES, sessionFor, type World } from '../support/factories.ts';

interface FindingView {
  code: string;
  severity: string;
  pack: string;
  categories: string[];
  message: { en: string; ko: string };
  source: { id: string; status: string; cite: string };
}

describeOnEachDatabase('review over HTTP', (db) => {
  let app: App;
  let world: World;
  const as: Record<string, Record<string, string>> = {};
  let tracking: string;

  const submit = async (summary: string) => {
    const form = multipartBody(Buffer.concat([PDF_BYTES, Buffer.from(summary)]));
    const document = (
      await app.inject({ method: 'POST', url: '/api/v1/documents', headers: { ...as.officer, ...form.headers }, payload: form.payload })
    ).json<{ id: string }>();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      headers: as.officer,
      payload: {
        kind: 'disclosure',
        jurisdiction: 'KR',
        caseReference: 'C-77',
        summary,
        legalProcess: { instrumentType: 'letter', issuerType: 'police', issuingAuthority: 'Seoul Police', documentIds: [document.id] },
        targets: [{ kind: 'username', value: 'minjun.kim' }],
        categories: ['traffic', 'location'],
        dateRange: { from: '2026-10-01T00:00:00Z', to: '2026-10-31T00:00:00Z' },
        offence: { description: 'Spreading false rumours', maximumPenaltyYears: 5 },
      },
    });
    expect(response.statusCode).toBe(201);
    return response.json<{ trackingNumber: string }>().trackingNumber;
  };
  const findings = (who: string, number: string, query = '') =>
    app.inject({ method: 'GET', url: `/api/v1/requests/${number}/findings${query}`, headers: as[who] });

  beforeAll(async () => {
    const { context } = db();
    world = await buildWorld(context);
    app = await buildApp(context);
    for (const [name, actor] of Object.entries({
      officer: world.officerA,
      officerB: world.officerB,
      reviewer: world.reviewer,
      counsel: world.counsel,
    })) {
      as[name] = { cookie: `writ_session=${await sessionFor(context, actor)}` };
    }
    tracking = await submit('Find who spread a false rumour about the President.');
  });
  afterAll(async () => {
    await app.close();
  });

  it('gives the desk every finding with its source, in English and Korean, and explains the rules', async () => {
    const response = await findings('reviewer', tracking, '?explain=true');
    expect(response.statusCode).toBe(200);
    const body = response.json<{ findings: FindingView[]; rules: Array<{ ruleId: string; fired: boolean; failed?: string }> }>();
    const byCode = new Map(body.findings.map((finding) => [finding.code, finding]));
    expect(byCode.get('INSTRUMENT_INSUFFICIENT')).toMatchObject({
      severity: 'block',
      pack: 'kr',
      source: { id: 'pcsa-13', status: 'confirmed' },
    });
    expect(byCode.get('INSTRUMENT_INSUFFICIENT')?.message.ko).toContain('지방법원');
    expect(byCode.get('SPEECH_OFFENCE')).toMatchObject({ severity: 'warn', source: { status: 'believed' } });
    expect(byCode.get('NOT_HELD')).toMatchObject({ categories: ['location'] });
    expect(body.findings[0]?.severity).toBe('block');
    expect(body.rules.find((rule) => rule.ruleId === 'kr.traffic.court-permission')).toMatchObject({ fired: true });
    expect(body.rules.find((rule) => rule.ruleId === 'kr.content.search-warrant')).toMatchObject({
      fired: false,
      failed: 'category in ["content", "payment"]',
    });
  });

  it('gives the verdict per target and category with its citation, and takes the facts stated on submission', async () => {
    const form = multipartBody(Buffer.concat([PDF_BYTES, Buffer.from('permit')]));
    const document = (
      await app.inject({ method: 'POST', url: '/api/v1/documents', headers: { ...as.officer, ...form.headers }, payload: form.payload })
    ).json<{ id: string }>();
    const payload = {
      kind: 'disclosure',
      jurisdiction: 'KR',
      caseReference: 'C-78',
      summary: 'Investment fraud.',
      legalProcess: {
        instrumentType: 'communication_confirmation_permit',
        issuerType: 'court',
        issuingAuthority: 'Seoul Central District Court',
        documentIds: [document.id],
      },
      targets: [
        { kind: 'username', value: 'named.one' },
        { kind: 'username', value: 'not.named' },
      ],
      categories: ['traffic'],
      dateRange: { from: '2026-10-01T00:00:00Z', to: '2026-10-31T00:00:00Z' },
      offence: { description: 'Fraud', maximumPenaltyYears: 10 },
      facts: {
        instrument: { form: 'kr_communication_confirmation_permit', issuerRole: 'district_court' },
        targets: [
          { value: 'named.one', named: true, role: 'suspect' },
          { value: 'not.named', named: false },
        ],
      },
    };
    const response = await app.inject({ method: 'POST', url: '/api/v1/requests', headers: as.officer, payload });
    expect(response.statusCode).toBe(201);
    const number = response.json<{ trackingNumber: string }>().trackingNumber;
    type VerdictView = { target: string; category: string; outcome: string; basis: Array<{ source: { id: string; cite: string } }> };
    const desk = (await findings('reviewer', number)).json<{ verdicts: VerdictView[] }>();
    const named = desk.verdicts.find((verdict) => verdict.target === 'named.one');
    expect(named).toMatchObject({ category: 'traffic', outcome: 'allow' });
    expect(named?.basis[0]?.source).toMatchObject({ id: 'pcsa-13', cite: expect.stringMatching(/^통신비밀보호법 제13조/u) });
    expect(desk.verdicts.find((verdict) => verdict.target === 'not.named')).toMatchObject({ outcome: 'block' });
    const officer = (await findings('officer', number)).json<{ verdicts: VerdictView[] }>();
    expect(officer.verdicts.map((verdict) => `${verdict.target}:${verdict.outcome}`)).toEqual(['named.one:allow', 'not.named:block']);

    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      headers: as.officer,
      payload: { ...payload, facts: { targets: [{ value: 'x', role: 'boss' }] } },
    });
    expect(bad.statusCode).toBe(400);
  });

  it("shows the officer what to fix, never the desk's flags or the rule walk, and nothing to another agency", async () => {
    const body = (await findings('officer', tracking, '?explain=true')).json<{ findings: FindingView[]; rules?: unknown }>();
    const codes = body.findings.map((finding) => finding.code);
    expect(codes).toContain('INSTRUMENT_INSUFFICIENT');
    expect(codes).not.toContain('SPEECH_OFFENCE');
    expect(codes).not.toContain('AGENCY_NOTIFIES_USER');
    expect(body.rules).toBeUndefined();
    const other = await findings('officerB', tracking);
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ code: 'REQUEST_NOT_FOUND' });
  });

  it('names the other open requests for the same target', async () => {
    const second = await submit('Fraud: the account collected payments.');
    const body = (await findings('reviewer', second)).json<{ findings: FindingView[] }>();
    expect(body.findings.find((finding) => finding.code === 'DUPLICATE_TARGETS')?.message.en).toContain(tracking);
  });

  it('reviews a request written by hand for the desk, storing nothing, at the instant asked', async () => {
    const body = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../docs/examples/review-kr-emergency.json'), 'utf8'));
    const { context } = db();
    const before = await sql<{ n: string }>`SELECT count(*)::text AS n FROM requests`.execute(context.database.db);
    const dryRun = (who: string, query: string, payload: unknown) =>
      app.inject({ method: 'POST', url: `/api/v1/review${query}`, headers: as[who], payload: payload as Record<string, unknown> });
    type Result = {
      at: string;
      packs: string[];
      verdicts: Array<{ target: string; category: string; outcome: string }>;
      rules?: unknown[];
    };
    const early = await dryRun('reviewer', '?at=2026-11-20T05:00:00Z', body);
    expect(early.statusCode).toBe(200);
    const outcomes = (result: Result) => result.verdicts.map((verdict) => `${verdict.target}/${verdict.category}:${verdict.outcome}`);
    expect(outcomes(early.json<Result>())).toContain('kidnapper.kim/content:allow');
    const late = (await dryRun('counsel', '?at=2026-11-21T16:00:00Z&explain=true', body)).json<Result>();
    // PCSA Art. 8(5): no court permit 36 hours after the emergency interception began.
    expect(outcomes(late)).toContain('kidnapper.kim/content:block');
    expect(late.packs).toEqual(['global', 'kr', 'policy']);
    expect(late.rules?.length).toBeGreaterThan(10);
    expect((await dryRun('officer', '', body)).statusCode).toBe(403);
    const bad = await dryRun('reviewer', '', { ...body, legalProcess: { issuerTyp: 'court' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const after = await sql<{ n: string }>`SELECT count(*)::text AS n FROM requests`.execute(context.database.db);
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it('lets only counsel approve against a block finding, with a written reason, and records the override', async () => {
    const { context } = db();
    const request = await context.store.read.requests.find({ kind: 'desk' }, tracking);
    await verifyRequest(context, { requestId: request!.id });
    const approve = (who: string, payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: `/api/v1/requests/${tracking}/approve`, headers: as[who], payload });
    const byReviewer = await approve('reviewer', { reason: 'Looks fine.' });
    expect(byReviewer.statusCode).toBe(409);
    expect(byReviewer.json()).toMatchObject({ code: 'FINDINGS_BLOCK' });
    expect(byReviewer.json<{ detail: string }>().detail).toContain('INSTRUMENT_INSUFFICIENT');
    expect((await approve('counsel', {})).json()).toMatchObject({ code: 'FINDINGS_BLOCK' });
    expect((await context.store.read.requests.find({ kind: 'desk' }, tracking))?.state).toBe('in_review');

    const byCounsel = await approve('counsel', { reason: 'The court permission arrived by fax and is on file.' });
    expect(byCounsel.statusCode).toBe(200);
    const { rows } = await sql<{ data: { overriddenFindings: string[] } }>`
      SELECT data FROM audit_events WHERE type = 'request.decided' AND request_id = ${request!.id}`.execute(context.database.db);
    expect(rows[0]?.data.overriddenFindings).toEqual(['INSTRUMENT_INSUFFICIENT']);
  });
});
