/**
 * The web app as the server serves it (its files, its page for every app address with a CSP of its own, the API's
 * 404 untouched), the demo sign-in aid (nothing without the key printed at start; only the seeded demo accounts),
 * and the routes the web app added: findings for a draft, targets looked up on the platform, settings, queue search.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDemoSchema, generateDemoDataset } from '../../src/connectors/demo/demo-messenger.dataset.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { loadWebApp } from '../../src/server/web.ts';
import { seedDemoAccounts } from '../../src/services/seed-demo.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, sessionFor, submitted, type World } from '../support/factories.ts';

const webDir = mkdtempSync(path.join(tmpdir(), 'writ-web-'));
mkdirSync(path.join(webDir, 'assets'));
writeFileSync(
  path.join(webDir, 'index.html'),
  '<!doctype html><meta name="writ-style-nonce" content="__WRIT_STYLE_NONCE__"><script type="module" src="/assets/app-1a2b.js"></script>',
);
writeFileSync(path.join(webDir, 'assets', 'app-1a2b.js'), 'console.log("writ")');
writeFileSync(path.join(webDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
afterAll(() => rmSync(webDir, { recursive: true, force: true }));

describeOnEachDatabase('web app, demo sign-in and the routes it uses', (db) => {
  let app: App;
  let world: World;
  let demoOfficerId: string;
  const as: Record<string, { cookie: string }> = {};
  const KEY = 'a-demo-key-printed-at-start-0123456789';

  beforeAll(async () => {
    const { context } = db();
    // The demo is seeded on an empty database, as `writ serve` does; the test world comes after it.
    await seedDemoAccounts(context);
    await createDemoSchema(context.database.db);
    await generateDemoDataset(context.database.db, { users: 30, loginsPerUser: 2, messagesPerUser: 1, seed: 5 });
    world = await buildWorld(context);
    const demo = await context.store.read.users.demoAccounts();
    demoOfficerId = demo.find((user) => user.email === 'officer@smpa.police.example.kr')!.id;
    app = await buildApp(context, { web: loadWebApp(webDir) });
    for (const [name, actor] of Object.entries({ officerA: world.officerA, officerB: world.officerB, reviewer: world.reviewer })) {
      as[name] = { cookie: `writ_session=${await sessionFor(context, actor)}` };
    }
  });
  afterAll(async () => {
    await app.close();
  });

  it('serves the app page for app addresses with a strict CSP and a fresh style nonce, and its files', async () => {
    const first = await app.inject({ method: 'GET', url: '/agency/requests/WR-2026-000001' });
    const second = await app.inject({ method: 'GET', url: '/' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toContain('text/html');
    const csp = String(first.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(first.body).toContain(`content="${nonce}"`);
    expect(second.headers['content-security-policy']).not.toBe(csp);
    // The other security headers are those of every answer.
    expect(first.headers['x-frame-options']).toBe('DENY');
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    expect(first.headers['referrer-policy']).toBe('no-referrer');
    const asset = await app.inject({ method: 'GET', url: '/assets/app-1a2b.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await app.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode).toBe(404);
  });

  it('leaves the API alone: an unknown API address is the API’s 404, with the API’s CSP', async () => {
    const missing = await app.inject({ method: 'GET', url: '/api/v1/no-such-thing', headers: { accept: 'text/html' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect(missing.headers['content-security-policy']).toContain("default-src 'none'");
    const api = await app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(api.statusCode).toBe(401);
    expect(api.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  });

  it('the demo aid answers like a missing route while the server holds no key', async () => {
    const { context } = db();
    context.demoKey = undefined;
    const missing = await app.inject({ method: 'POST', url: '/api/v1/no-such-thing' });
    const unlock = await app.inject({ method: 'POST', url: '/api/v1/demo/unlock', payload: { key: KEY } });
    expect(unlock.statusCode).toBe(404);
    expect(unlock.body).toBe(missing.body);
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/v1/demo/sign-in',
      payload: { userId: demoOfficerId },
      headers: { cookie: `writ_demo=${KEY}` },
    });
    expect(signIn.statusCode).toBe(404);
    expect(signIn.headers['set-cookie']).toBeUndefined();
  });

  it('with the key, switches only between the seeded demo accounts, each a real session, audited', async () => {
    const { context } = db();
    context.demoKey = KEY;
    try {
      expect((await app.inject({ method: 'POST', url: '/api/v1/demo/unlock', payload: { key: `${KEY}x` } })).statusCode).toBe(404);
      const unlock = await app.inject({ method: 'POST', url: '/api/v1/demo/unlock', payload: { key: KEY } });
      expect(unlock.statusCode).toBe(204);
      const cookie = String(unlock.headers['set-cookie']);
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Strict');
      expect(cookie).toContain('Path=/api/v1/demo');
      const demo = { cookie: `writ_demo=${KEY}` };
      expect((await app.inject({ method: 'GET', url: '/api/v1/demo/accounts' })).statusCode).toBe(404);
      const accounts = (await app.inject({ method: 'GET', url: '/api/v1/demo/accounts', headers: demo })).json<{
        items: Array<{ email: string; side: string }>;
      }>();
      expect(accounts.items.map((account) => account.email)).toEqual([
        'officer@smpa.police.example.kr',
        'officer@fieldoffice.fbi.example.gov',
        'reviewer@demo-messenger.example',
        'counsel@demo-messenger.example',
        'admin@demo-messenger.example',
        'auditor@demo-messenger.example',
      ]);
      // An account the demo did not seed is not one the aid can open.
      const other = await app.inject({
        method: 'POST',
        url: '/api/v1/demo/sign-in',
        headers: demo,
        payload: { userId: world.reviewer.userId },
      });
      expect(other.statusCode).toBe(404);
      const signIn = await app.inject({ method: 'POST', url: '/api/v1/demo/sign-in', headers: demo, payload: { userId: demoOfficerId } });
      expect(signIn.statusCode).toBe(200);
      expect(signIn.json()).toMatchObject({ user: { email: 'officer@smpa.police.example.kr' }, secondFactor: 'verified' });
      const session = /writ_session=([^;]+)/.exec(String(signIn.headers['set-cookie']))![1];
      // Both factors: the session reaches routes a password-only session cannot.
      const mine = await app.inject({ method: 'GET', url: '/api/v1/requests', headers: { cookie: `writ_session=${session}` } });
      expect(mine.statusCode).toBe(200);
      const events = await context.store.read.audit.list({ types: ['auth.login_succeeded'], limit: 50 });
      expect(events.items.some((event) => event.actorUserId === demoOfficerId && event.data.method === 'demo')).toBe(true);
    } finally {
      context.demoKey = undefined;
    }
  });

  it('previews the findings of a draft for its officer, consulting no other agency’s requests', async () => {
    await submitted(db().context, world.officerB, { jurisdiction: 'US', targets: [{ kind: 'username', value: 'shared.target' }] });
    const draft = {
      kind: 'disclosure',
      jurisdiction: 'KR',
      legalProcess: { instrumentType: 'subpoena' },
      targets: [{ kind: 'username', value: 'shared.target' }],
      categories: ['content'],
    };
    const preview = await app.inject({ method: 'POST', url: '/api/v1/requests/preview-findings', headers: as.officerA, payload: draft });
    expect(preview.statusCode).toBe(200);
    const { findings } = preview.json<{ findings: Array<{ code: string; audience: string; message: { en: string } }> }>();
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((finding) => finding.audience === 'both')).toBe(true);
    expect(JSON.stringify(findings)).not.toMatch(/WR-\d{4}-\d{6}/);
    // An empty draft is still a draft; a malformed one is refused with the fields named.
    const empty = await app.inject({
      method: 'POST',
      url: '/api/v1/requests/preview-findings',
      headers: as.officerA,
      payload: { kind: 'disclosure', jurisdiction: 'KR', legalProcess: { instrumentType: 'letter' } },
    });
    expect(empty.statusCode).toBe(200);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/requests/preview-findings',
      headers: as.officerA,
      payload: { kind: 'nope' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/requests/preview-findings', headers: as.reviewer, payload: draft })).statusCode,
    ).toBe(403);
  });

  it('looks a request’s targets up on the platform for the desk, as an audited view', async () => {
    const { context } = db();
    const tracking = await submitted(context, world.officerA, {
      targets: [
        { kind: 'username', value: 'minjun.kim' },
        { kind: 'email', value: 'nobody-at-all@nowhere.example' },
      ],
    });
    const resolved = await app.inject({ method: 'GET', url: `/api/v1/requests/${tracking}/resolution`, headers: as.reviewer });
    expect(resolved.statusCode).toBe(200);
    const body = resolved.json<{
      connector: string;
      items: Array<{ value: string; status: string; accounts: Array<{ label: string }> }>;
    }>();
    expect(body.connector).toBe('demo');
    expect(body.items.map((item) => [item.value, item.status])).toEqual([
      ['minjun.kim', 'found'],
      ['nobody-at-all@nowhere.example', 'not_found'],
    ]);
    expect(body.items[0]!.accounts[0]!.label).toBe('minjun.kim');
    const view = await context.store.read.requests.find({ kind: 'desk' }, tracking);
    const timeline = await context.store.read.audit.timeline(view!.id);
    expect(timeline.find((entry) => entry.type === 'request.targets_resolved')?.data).toEqual({ targets: 2, found: 1 });
    expect((await app.inject({ method: 'GET', url: `/api/v1/requests/${tracking}/resolution`, headers: as.officerA })).statusCode).toBe(
      403,
    );
  });

  it('shows the desk its policy, packs, connector and limits, and finds requests by tracking number, case or agency', async () => {
    const settings = await app.inject({ method: 'GET', url: '/api/v1/settings', headers: as.reviewer });
    expect(settings.statusCode).toBe(200);
    const body = settings.json<{ connector: string; packs: Array<{ pack: string }>; limits: Record<string, unknown> }>();
    expect(body.connector).toBe('demo');
    expect(body.packs.map((pack) => pack.pack)).toContain('kr');
    expect(body.limits.requireSecondFactor).toBe(true);
    const tracking = await submitted(db().context, world.officerA, { caseReference: 'Case 100% unique_ref' });
    const search = async (q: string) =>
      (await app.inject({ method: 'GET', url: `/api/v1/requests?q=${encodeURIComponent(q)}`, headers: as.reviewer }))
        .json<{ items: Array<{ trackingNumber: string }> }>()
        .items.map((item) => item.trackingNumber);
    expect(await search('100% UNIQUE_REF')).toEqual([tracking]);
    expect(await search(tracking.toLowerCase())).toEqual([tracking]);
    // LIKE's wildcards typed in a search match only themselves.
    expect(await search('100_ unique')).toEqual([]);
    expect((await search('Agency A')).length).toBeGreaterThan(0);
  });
});
