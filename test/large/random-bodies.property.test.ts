/**
 * Random bodies at every creating route: never a 5xx, and a refused body leaves no row behind. Bodies are random JSON,
 * and valid payloads with random parts replaced, so the fuzzing reaches past the first check.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyRequest } from '../../src/services/verify-request.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, multipartBody, requestPayload, sessionFor, submitted, uploadPdf, type World } from '../support/factories.ts';

const TABLES = [
  'requests',
  'targets',
  'documents',
  'messages',
  'notes',
  'decisions',
  'audit_events',
  'outbox',
  'idempotency_keys',
  'api_tokens',
  'sessions',
  'removal_actions',
  'notices',
  'scheduled_tasks',
  'preservations',
] as const;

/** A valid value with some of its fields replaced by random JSON, or dropped, or a random unknown field added. */
const mutated = (valid: Record<string, unknown>) =>
  fc
    .tuple(
      fc.subarray(Object.keys(valid)),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }),
      fc.jsonValue({ maxDepth: 3 }),
      fc.boolean(),
    )
    .map(([keys, extra, replacement, drop]) => {
      const copy: Record<string, unknown> = { ...valid };
      for (const key of keys) {
        if (drop) delete copy[key];
        else copy[key] = replacement;
      }
      return keys.length === 0 ? { ...copy, ...extra } : copy;
    });

const body = (valid: Record<string, unknown>) => fc.oneof(fc.jsonValue({ maxDepth: 3 }), mutated(valid), fc.constant(valid));

describeOnEachDatabase('random bodies at creating routes', (db) => {
  let app: App;
  let world: World;
  let headers: Record<'officer' | 'reviewer' | 'counsel' | 'admin', Record<string, string>>;
  let tracking: string;
  let removal: { tracking: string; targetId: string };

  beforeAll(async () => {
    const { context } = db();
    world = await buildWorld(context);
    app = await buildApp(context);
    headers = {
      officer: { cookie: `writ_session=${await sessionFor(context, world.officerA)}` },
      reviewer: { cookie: `writ_session=${await sessionFor(context, world.reviewer)}` },
      counsel: { cookie: `writ_session=${await sessionFor(context, world.counsel)}` },
      admin: { cookie: `writ_session=${await sessionFor(context, world.admin)}` },
    };
    tracking = await submitted(context, world.officerA);
    const request = await context.store.read.requests.find({ kind: 'desk' }, tracking);
    await verifyRequest(context, { requestId: request!.id });
    const order = await submitted(context, world.officerA, {
      kind: 'removal',
      targets: [{ kind: 'url', value: 'https://demo-messenger.example/messages/1' }],
      categories: ['content'],
    });
    const stored = await context.store.read.requests.find({ kind: 'desk' }, order);
    await verifyRequest(context, { requestId: stored!.id });
    removal = { tracking: order, targetId: (await context.store.read.requests.targets(stored!.id))[0]!.id };
  });
  afterAll(async () => {
    await app.close();
  });

  const counts = async () => {
    const { context } = db();
    const parts = TABLES.map((table) => `(SELECT count(*) FROM ${table})::text AS ${table}`).join(', ');
    return (await sql.raw<Record<string, string>>(`SELECT ${parts}`).execute(context.database.db)).rows[0];
  };

  /** Every stored request is whole: it has targets and exactly one submission event. */
  const wholeRequests = async () => {
    const { context } = db();
    const broken = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM requests r
      WHERE NOT EXISTS (SELECT 1 FROM targets t WHERE t.request_id = r.id)
         OR (SELECT count(*) FROM audit_events a WHERE a.request_id = r.id AND a.type = 'request.submitted') <> 1
    `.execute(context.database.db);
    return Number(broken.rows[0]?.n);
  };

  const routes: Array<{ name: string; url: () => string; who: keyof typeof headers; valid: () => Promise<Record<string, unknown>> }> = [
    {
      name: 'POST /requests',
      url: () => '/api/v1/requests',
      who: 'officer',
      valid: async () => requestPayload({ documentIds: [await uploadPdf(db().context, world.officerA)] }),
    },
    {
      name: 'POST /requests/:ref/messages',
      url: () => `/api/v1/requests/${tracking}/messages`,
      who: 'officer',
      valid: async () => ({ body: 'hello' }),
    },
    {
      name: 'POST /requests/:ref/notes',
      url: () => `/api/v1/requests/${tracking}/notes`,
      who: 'reviewer',
      valid: async () => ({ body: 'note' }),
    },
    {
      name: 'POST /requests/:ref/ask-info',
      url: () => `/api/v1/requests/${tracking}/ask-info`,
      who: 'reviewer',
      valid: async () => ({ question: 'why?' }),
    },
    {
      name: 'POST /requests/:ref/reject',
      url: () => `/api/v1/requests/${tracking}/reject`,
      who: 'counsel',
      valid: async () => ({ reasons: 'no' }),
    },
    {
      name: 'POST /requests/:ref/approve',
      url: () => `/api/v1/requests/${tracking}/approve`,
      who: 'counsel',
      valid: async () => ({ reason: 'ok', items: [] }),
    },
    {
      name: 'POST /requests/:ref/act',
      url: () => `/api/v1/requests/${removal.tracking}/act`,
      who: 'reviewer',
      valid: async () => ({
        items: [{ targetId: removal.targetId, action: 'restricted', countries: ['KR'], reasons: 'Unlawful in Korea.' }],
      }),
    },
    {
      name: 'POST /requests/:ref/non-disclosure',
      url: () => `/api/v1/requests/${tracking}/non-disclosure`,
      who: 'reviewer',
      valid: async () => ({ ordered: true, until: '2027-01-31', reason: 'The court’s 2705(b) order.' }),
    },
    { name: 'POST /tokens', url: () => '/api/v1/tokens', who: 'officer', valid: async () => ({ name: 'case system', expiresInDays: 30 }) },
    {
      name: 'POST /auth/login',
      url: () => '/api/v1/auth/login',
      who: 'officer',
      valid: async () => ({ email: 'nobody@example.test', password: 'x' }),
    },
  ];

  for (const route of routes) {
    it(`${route.name}: no 5xx, and a refusal changes nothing`, async () => {
      const valid = await route.valid();
      await fc.assert(
        fc.asyncProperty(body(valid), async (payload) => {
          const before = await counts();
          const response = await app.inject({
            method: 'POST',
            url: route.url(),
            headers: { ...headers[route.who], 'content-type': 'application/json' },
            payload: JSON.stringify(payload),
          });
          expect(response.statusCode, response.body).toBeLessThan(500);
          if (response.statusCode >= 400) {
            expect(response.json()).toHaveProperty('code');
            const after = await counts();
            // A refused login is audited by design; nothing else may change.
            if (route.name === 'POST /auth/login') expect({ ...after, audit_events: before?.audit_events }).toEqual(before);
            else expect(after).toEqual(before);
          }
        }),
        { numRuns: 60 },
      );
      expect(await wholeRequests()).toBe(0);
    });
  }

  it('POST /documents: random bytes and names never 5xx; only PDFs and images are kept', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.string({ maxLength: 40 }), async (bytes, name) => {
        const before = await counts();
        const form = multipartBody(Buffer.from(bytes), name.replace(/["\r\n]/g, '') || 'x');
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/documents',
          headers: { ...headers.officer, ...form.headers },
          payload: form.payload,
        });
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode >= 400) expect(await counts()).toEqual(before);
      }),
      { numRuns: 60 },
    );
  });
});
