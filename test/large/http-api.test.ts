/** The REST API through Fastify's inject: authentication, receipts, errors as problem+json, isolation, pagination. */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/canonical.ts';
import { CLI_ACTOR } from '../../src/core/actor.ts';
import { addUser } from '../../src/services/add-user.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, multipartBody, PDF_BYTES, requestPayload, sessionFor, type World } from '../support/factories.ts';

describeOnEachDatabase(
  'HTTP API',
  (db) => {
    let app: App;
    let world: World;
    let officerA: Record<string, string>;
    let officerB: Record<string, string>;
    let reviewer: Record<string, string>;
    let counsel: Record<string, string>;

    beforeAll(async () => {
      const { context } = db();
      world = await buildWorld(context);
      app = await buildApp(context);
      const cookie = async (actor: World['officerA']) => ({ cookie: `writ_session=${await sessionFor(context, actor)}` });
      officerA = await cookie(world.officerA);
      officerB = await cookie(world.officerB);
      reviewer = await cookie(world.reviewer);
      counsel = await cookie(world.counsel);
    });
    afterAll(async () => {
      await app.close();
    });

    const upload = async (
      headers: Record<string, string>,
      bytes: Buffer = Buffer.concat([PDF_BYTES, Buffer.from(String(Math.random()))]),
    ) => {
      const body = multipartBody(bytes);
      return app.inject({ method: 'POST', url: '/api/v1/documents', headers: { ...headers, ...body.headers }, payload: body.payload });
    };
    const submit = async (headers: Record<string, string>, extra: Record<string, string> = {}) => {
      const document = (await upload(headers)).json<{ id: string }>();
      const payload = requestPayload({ documentIds: [document.id] });
      const response = await app.inject({ method: 'POST', url: '/api/v1/requests', headers: { ...headers, ...extra }, payload });
      return { response, payload };
    };

    it('logs in with a password (argon2id) and sets an HttpOnly, SameSite=Strict session cookie; a wrong password says nothing more', async () => {
      const { context } = db();
      const email = `login.${Date.now()}@example.test`;
      await addUser(context, CLI_ACTOR, {
        organisationId: world.agencyA,
        email,
        displayName: 'Login Test',
        roles: ['officer'],
        password: 'correct horse battery staple',
      });
      const ok = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password: 'correct horse battery staple' },
      });
      expect(ok.statusCode).toBe(200);
      const setCookie = String(ok.headers['set-cookie']);
      expect(setCookie).toMatch(/writ_session=writ_s_/);
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Strict/);
      const session = /writ_session=([^;]+)/.exec(setCookie)![1]!;
      const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `writ_session=${session}` } });
      expect(me.json()).toMatchObject({ email, roles: ['officer'], organisation: { kind: 'agency' } });

      const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'wrong password here' } });
      const unknown = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: `nobody.${Date.now()}@example.test`, password: 'wrong password here' },
      });
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.json()).toEqual(unknown.json());
      const failures = await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_events WHERE type = 'auth.login_failed'`.execute(
        context.database.db,
      );
      expect(Number(failures.rows[0]?.n)).toBeGreaterThanOrEqual(2);

      const logout = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: `writ_session=${session}` } });
      expect(logout.statusCode).toBe(204);
      expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `writ_session=${session}` } })).statusCode).toBe(401);
    });

    it('refuses anonymous calls with 401 problem+json', async () => {
      const response = await app.inject({ method: 'GET', url: '/api/v1/requests' });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.json()).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    });

    it('answers 201 with a receipt whose hash is the SHA-256 of the canonical payload, and the document hash', async () => {
      const bytes = Buffer.concat([PDF_BYTES, Buffer.from('receipt test')]);
      const document = await upload(officerA, bytes);
      expect(document.statusCode).toBe(201);
      expect(document.json()).toMatchObject({
        mediaType: 'application/pdf',
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
      const payload = requestPayload({ documentIds: [document.json<{ id: string }>().id] });
      const response = await app.inject({ method: 'POST', url: '/api/v1/requests', headers: officerA, payload });
      expect(response.statusCode).toBe(201);
      const receipt = response.json<{
        trackingNumber: string;
        payloadSha256: string;
        state: string;
        documents: Array<{ sha256: string }>;
      }>();
      expect(receipt.payloadSha256).toBe(createHash('sha256').update(canonicalJson(payload)).digest('hex'));
      expect(receipt.state).toBe('received');
      expect(receipt.documents[0]?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(response.headers.location).toBe(`/api/v1/requests/${receipt.trackingNumber}`);
    });

    it('replays the receipt for a retried Idempotency-Key with 200, and refuses the key for another payload', async () => {
      const key = `key-${Date.now()}`;
      const first = await submit(officerA, { 'idempotency-key': key });
      expect(first.response.statusCode).toBe(201);
      const again = await app.inject({
        method: 'POST',
        url: '/api/v1/requests',
        headers: { ...officerA, 'idempotency-key': key },
        payload: first.payload,
      });
      expect(again.statusCode).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.response.json());
      const other = await app.inject({
        method: 'POST',
        url: '/api/v1/requests',
        headers: { ...officerA, 'idempotency-key': key },
        payload: { ...first.payload, summary: 'another' },
      });
      expect(other.statusCode).toBe(422);
      expect(other.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    });

    it('posts a message once for a retried Idempotency-Key', async () => {
      const { response } = await submit(officerA);
      const tracking = response.json<{ trackingNumber: string }>().trackingNumber;
      const send = () =>
        app.inject({
          method: 'POST',
          url: `/api/v1/requests/${tracking}/messages`,
          headers: { ...officerA, 'idempotency-key': 'msg-1' },
          payload: { body: 'Once only.' },
        });
      const [first, second] = [await send(), await send()];
      expect(first.statusCode).toBe(201);
      expect(second.json()).toEqual(first.json());
      const view = await app.inject({ method: 'GET', url: `/api/v1/requests/${tracking}`, headers: officerA });
      expect(view.json<{ messages: unknown[] }>().messages).toHaveLength(1);
    });

    it('drives the lifecycle over HTTP with ETag / If-Match and messages between agency and desk', async () => {
      const { context } = db();
      const { response } = await submit(officerA);
      const tracking = response.json<{ trackingNumber: string }>().trackingNumber;
      await context.jobs?.drain();
      const { request } = await (async () => {
        const { verifyRequest } = await import('../../src/services/verify-request.ts');
        const found = await context.store.read.requests.find({ kind: 'desk' }, tracking);
        await verifyRequest(context, { requestId: found!.id });
        return { request: found! };
      })();
      expect(request.trackingNumber).toBe(tracking);

      const read = await app.inject({ method: 'GET', url: `/api/v1/requests/${tracking}`, headers: reviewer });
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({
        request: { state: 'in_review' },
        allowedEvents: expect.arrayContaining(['approve', 'reject', 'ask_info']),
      });
      const etag = String(read.headers.etag);

      const asked = await app.inject({
        method: 'POST',
        url: `/api/v1/requests/${tracking}/ask-info`,
        headers: { ...reviewer, 'if-match': etag },
        payload: { question: 'Please attach page 2.' },
      });
      expect(asked.statusCode).toBe(200);
      expect(asked.json()).toMatchObject({ state: 'needs_info' });
      const stale = await app.inject({
        method: 'POST',
        url: `/api/v1/requests/${tracking}/approve`,
        headers: { ...counsel, 'if-match': etag },
        payload: {},
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({ code: 'INVALID_TRANSITION' });

      const answered = await app.inject({
        method: 'POST',
        url: `/api/v1/requests/${tracking}/answer`,
        headers: officerA,
        payload: { body: 'Attached.' },
      });
      expect(answered.json()).toMatchObject({ state: 'in_review' });
      const staleVersion = await app.inject({
        method: 'POST',
        url: `/api/v1/requests/${tracking}/approve`,
        headers: { ...counsel, 'if-match': etag },
        payload: {},
      });
      expect(staleVersion.statusCode).toBe(409);
      expect(staleVersion.json()).toMatchObject({ code: 'STALE_UPDATE' });
      const message = await app.inject({
        method: 'POST',
        url: `/api/v1/requests/${tracking}/messages`,
        headers: officerA,
        payload: { body: 'Any news?' },
      });
      expect(message.statusCode).toBe(201);
      const note = await app.inject({
        method: 'POST',
        url: `/api/v1/requests/${tracking}/notes`,
        headers: reviewer,
        payload: { body: 'internal only' },
      });
      expect(note.statusCode).toBe(201);
      expect(
        (await app.inject({ method: 'POST', url: `/api/v1/requests/${tracking}/notes`, headers: officerA, payload: { body: 'x' } }))
          .statusCode,
      ).toBe(403);

      const approved = await app.inject({
        method: 'POST',
        url: `/api/v1/requests/${tracking}/approve`,
        headers: counsel,
        payload: { reason: 'Valid warrant.' },
      });
      expect(approved.statusCode).toBe(200);
      expect(approved.json()).toMatchObject({ state: 'approved' });
      const officerView = await app.inject({ method: 'GET', url: `/api/v1/requests/${tracking}`, headers: officerA });
      const view = officerView.json<{ notes?: unknown; messages: Array<{ body: string }>; request: { state: string } }>();
      expect(view.request.state).toBe('approved');
      expect(view.notes).toBeUndefined();
      expect(JSON.stringify(view)).not.toContain('internal only');
      expect(view.messages.map((item) => item.body)).toEqual(['Please attach page 2.', 'Attached.', 'Any news?']);
    });

    it('answers another agency’s request byte for byte like a request that does not exist', async () => {
      const { response } = await submit(officerA);
      const tracking = response.json<{ trackingNumber: string }>().trackingNumber;
      const other = await app.inject({ method: 'GET', url: `/api/v1/requests/${tracking}`, headers: officerB });
      const missing = await app.inject({ method: 'GET', url: '/api/v1/requests/WR-2026-999999', headers: officerB });
      expect(other.statusCode).toBe(404);
      expect(other.body).toBe(missing.body);
      const list = await app.inject({ method: 'GET', url: '/api/v1/requests?limit=200', headers: officerB });
      expect(list.json<{ items: Array<{ trackingNumber: string }> }>().items.some((item) => item.trackingNumber === tracking)).toBe(false);
      const document = await upload(officerA);
      const docId = document.json<{ id: string }>().id;
      const foreignDoc = await app.inject({ method: 'GET', url: `/api/v1/documents/${docId}`, headers: officerB });
      const missingDoc = await app.inject({
        method: 'GET',
        url: '/api/v1/documents/00000000-0000-4000-8000-000000000000',
        headers: officerB,
      });
      expect(foreignDoc.statusCode).toBe(404);
      expect(foreignDoc.body).toBe(missingDoc.body);
      const own = await app.inject({ method: 'GET', url: `/api/v1/documents/${docId}`, headers: officerA });
      expect(own.statusCode).toBe(200);
      expect(own.headers['content-type']).toBe('application/pdf');
    });

    it('pages the list with an opaque cursor', async () => {
      for (let index = 0; index < 3; index += 1) await submit(officerB);
      const first = await app.inject({ method: 'GET', url: '/api/v1/requests?limit=2', headers: officerB });
      const page = first.json<{ items: Array<{ trackingNumber: string }>; nextCursor: string }>();
      expect(page.items).toHaveLength(2);
      expect(page.nextCursor).toBeTruthy();
      const second = await app.inject({
        method: 'GET',
        url: `/api/v1/requests?limit=2&cursor=${encodeURIComponent(page.nextCursor)}`,
        headers: officerB,
      });
      const next = second.json<{ items: Array<{ trackingNumber: string }> }>();
      expect(next.items.length).toBeGreaterThan(0);
      expect(next.items.some((item) => page.items.some((seen) => seen.trackingNumber === item.trackingNumber))).toBe(false);
    });

    describe('bad input gets problem+json with a stable code and changes nothing', () => {
      const counts = async () => {
        const { context } = db();
        const result = await sql<{ r: string; d: string; m: string; a: string }>`
          SELECT (SELECT count(*) FROM requests)::text AS r, (SELECT count(*) FROM documents)::text AS d,
                 (SELECT count(*) FROM messages)::text AS m, (SELECT count(*) FROM decisions)::text AS a
        `.execute(context.database.db);
        return result.rows[0];
      };
      const cases: Array<
        [string, () => Promise<{ statusCode: number; json: () => unknown; headers: Record<string, unknown> }>, number, string]
      > = [
        [
          'malformed JSON',
          () =>
            app.inject({
              method: 'POST',
              url: '/api/v1/requests',
              headers: { ...officerA, 'content-type': 'application/json' },
              payload: '{"kind": "disclosure",',
            }),
          400,
          'MALFORMED_JSON',
        ],
        [
          'wrong types',
          () =>
            app.inject({
              method: 'POST',
              url: '/api/v1/requests',
              headers: officerA,
              payload: { ...requestPayload(), targets: 'everyone' },
            }),
          400,
          'VALIDATION_FAILED',
        ],
        [
          'unknown fields',
          () => app.inject({ method: 'POST', url: '/api/v1/requests', headers: officerA, payload: { ...requestPayload(), sneaky: true } }),
          400,
          'VALIDATION_FAILED',
        ],
        [
          'an oversize body',
          () =>
            app.inject({
              method: 'POST',
              url: '/api/v1/requests',
              headers: officerA,
              payload: { ...requestPayload(), summary: 'x'.repeat(1_100_000) },
            }),
          413,
          'PAYLOAD_TOO_LARGE',
        ],
        [
          'a document that is not a PDF or image',
          async () => {
            const body = multipartBody(Buffer.from('MZ\x90\x00 this is an executable'), 'warrant.pdf');
            return app.inject({
              method: 'POST',
              url: '/api/v1/documents',
              headers: { ...officerA, ...body.headers },
              payload: body.payload,
            });
          },
          415,
          'DOCUMENT_TYPE_NOT_ALLOWED',
        ],
        [
          'an unknown transition',
          () => app.inject({ method: 'POST', url: '/api/v1/requests/WR-2026-000001/teleport', headers: counsel, payload: {} }),
          404,
          'UNKNOWN_TRANSITION',
        ],
        [
          'a transition from the wrong state',
          async () => {
            const { response } = await submit(officerA);
            return app.inject({
              method: 'POST',
              url: `/api/v1/requests/${response.json<{ trackingNumber: string }>().trackingNumber}/close`,
              headers: counsel,
              payload: {},
            });
          },
          409,
          'INVALID_TRANSITION',
        ],
        [
          'a bad If-Match',
          () =>
            app.inject({
              method: 'POST',
              url: '/api/v1/requests/WR-2026-000001/close',
              headers: { ...counsel, 'if-match': 'yesterday' },
              payload: {},
            }),
          400,
          'VALIDATION_FAILED',
        ],
        ['a bad cursor', () => app.inject({ method: 'GET', url: '/api/v1/requests?cursor=abc', headers: officerA }), 400, 'INVALID_CURSOR'],
        [
          'a request without its legal process document',
          () => app.inject({ method: 'POST', url: '/api/v1/requests', headers: officerA, payload: requestPayload() }),
          422,
          'DOCUMENT_REQUIRED',
        ],
      ];
      for (const [name, send, status, code] of cases) {
        it(name, async () => {
          // Cases that first create something legitimately (a submission) count after that part.
          const response = await send();
          const before = await counts();
          const again = await send().catch(() => response);
          expect(response.statusCode).toBe(status);
          expect(String(response.headers['content-type'])).toMatch(/application\/problem\+json/);
          expect(response.json()).toMatchObject({ code, status });
          if (name !== 'a transition from the wrong state') expect(await counts()).toEqual(before);
          expect(again.statusCode).toBe(status);
        });
      }

      it('an oversize upload', async () => {
        const { context } = db();
        const limit = context.config.WRIT_MAX_UPLOAD_BYTES;
        const before = await counts();
        const response = await upload(officerA, Buffer.concat([PDF_BYTES, Buffer.alloc(limit)]));
        expect(response.statusCode).toBe(413);
        expect(response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
        expect(await counts()).toEqual(before);
      });
    });

    it('serves health, readiness and the OpenAPI 3.1 document', async () => {
      expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      const openapi = await app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(openapi.json()).toMatchObject({ openapi: '3.1.0', paths: { '/api/v1/requests': { post: expect.anything() } } });
    });
  },
  { WRIT_MAX_UPLOAD_BYTES: '200000' },
);
