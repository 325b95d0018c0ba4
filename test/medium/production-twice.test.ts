/**
 * A production job run twice at once — the first attempt taken for dead (its process stalled past the job's expiry)
 * while a retry starts — builds one package and delivers once: only the attempt that claimed the production last can
 * complete it, and an older attempt that fails does not mark the newer one failed.
 */
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { createDemoSchema, generateDemoDataset } from '../../src/connectors/demo/demo-messenger.dataset.ts';
import { approveRequest } from '../../src/services/approve-request.ts';
import { startProduction } from '../../src/services/production.ts';
import { runProduction } from '../../src/services/run-production.ts';
import { verifyRequest } from '../../src/services/verify-request.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, submitted, type World } from '../support/factories.ts';

describeOnEachDatabase('a production run twice at once', (db) => {
  let world: World;
  beforeAll(async () => {
    const { context } = db();
    await createDemoSchema(context.database.db);
    await generateDemoDataset(context.database.db, { users: 30, loginsPerUser: 40, messagesPerUser: 2, seed: 12 });
    world = await buildWorld(context);
  });

  it('completes once and delivers once', async () => {
    const { context } = db();
    const tracking = await submitted(context, world.officerA);
    const request = (await context.store.read.requests.find({ kind: 'desk' }, tracking))!;
    await verifyRequest(context, { requestId: request.id });
    await approveRequest(context, world.counsel, { reference: tracking, body: { reason: 'Within the warrant.' } });
    await startProduction(context, world.counsel, { reference: tracking });
    const deps = { ...context, availableDays: 30 };
    const results = await Promise.allSettled([
      runProduction(deps, { requestId: request.id }),
      runProduction(deps, { requestId: request.id }),
    ]);
    // One of the two may lose the race for the package's folder and fail; its job would be retried.
    if (results.some((result) => result.status === 'rejected')) await runProduction(deps, { requestId: request.id });
    const count = async (type: string, event?: string) =>
      Number(
        (
          await sql<{ n: string }>`
            SELECT count(*)::text AS n FROM audit_events WHERE request_id = ${request.id} AND type = ${type}
            AND (${event ?? null}::text IS NULL OR data->>'event' = ${event ?? null})
          `.execute(context.database.db)
        ).rows[0]?.n,
      );
    expect(await count('production.completed')).toBe(1);
    expect(await count('request.transitioned', 'deliver')).toBe(1);
    const productions = await context.store.read.productions.parts(request.id);
    expect(productions).toHaveLength(1);
    expect(productions[0]).toMatchObject({ state: 'completed' });
    expect((await context.store.read.requests.find({ kind: 'desk' }, request.id))?.state).toBe('delivered');
    // Run again afterwards (a late duplicate): nothing more.
    await runProduction(deps, { requestId: request.id });
    expect(await count('production.completed')).toBe(1);
  });

  it('lets only the latest attempt complete a production, and an older attempt that fails leave it running', async () => {
    const { context } = db();
    const tracking = await submitted(context, world.officerA);
    const request = (await context.store.read.requests.find({ kind: 'desk' }, tracking))!;
    await verifyRequest(context, { requestId: request.id });
    await approveRequest(context, world.counsel, { reference: tracking, body: { reason: 'Within the warrant.' } });
    const [decision] = await context.store.read.decisions.list(request.id);
    const productions = context.store.read.productions;
    const first = await productions.claim(request.id, decision!.id);
    const second = await productions.claim(request.id, decision!.id);
    expect([first.id, first.attempts, second.attempts]).toEqual([second.id, 1, 2]);
    const result = (attempt: number) => ({
      tagManifestSha256: 'a'.repeat(64),
      keyFingerprint: 'sha256:x',
      payloadBytes: 1,
      outcomes: [],
      availableUntil: new Date(),
      at: new Date(),
      attempt,
    });
    expect(await productions.complete(first.id, result(1))).toBe(false);
    await productions.fail(first.id, 'Error while producing', 1);
    expect((await productions.latestForRequest(request.id))?.state).toBe('running');
    expect(await productions.complete(first.id, result(2))).toBe(true);
    expect(await productions.complete(first.id, result(2))).toBe(false);
    await productions.fail(first.id, 'Error while producing', 2);
    expect((await productions.latestForRequest(request.id))?.state).toBe('completed');
  });
});
