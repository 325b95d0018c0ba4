/**
 * Writ started against a platform's own PostgreSQL database with each built-in platform connector: a request goes
 * from approval to a signed package holding that platform's records. Needs TEST_DATABASE_URL (the platform database is
 * a real PostgreSQL server; Writ's own database is PGlite here, and the connectors run on both in test/medium).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synapseConnector } from '../../src/connectors/synapse/synapse.connector.ts';
import { verifyBagDirectory } from '../../src/evidence/bag-verifier.ts';
import { approveRequest } from '../../src/services/approve-request.ts';
import { startProduction } from '../../src/services/production.ts';
import { runProduction } from '../../src/services/run-production.ts';
import { verifyRequest } from '../../src/services/verify-request.ts';
import type { SubmitRequestInput } from '../../src/core/schemas.ts';
import { DATABASE_KINDS, openTestContext } from '../support/databases.ts';
import { buildWorld, submitted } from '../support/factories.ts';
import { fixtureSql, openPlatformFixture } from '../support/platform-databases.ts';
import { stockChecks } from '../support/stock-tools.ts';

const onPostgres = DATABASE_KINDS.includes('postgres') ? describe : describe.skip;
const exampleFile = path.resolve(import.meta.dirname, '../../docs/examples/sql-connector.yaml');

const platforms = [
  {
    connector: 'synapse',
    fixture: ['synapse/schema.sql', 'synapse/data.sql'],
    env: { WRIT_SYNAPSE_SERVER_NAME: 'example.org' },
    target: { kind: 'username', value: '@alice:example.org' },
    expect: { subscriber: '@alice:example.org', content: 'See you at the station, 9pm' },
  },
  {
    connector: 'mastodon',
    fixture: ['mastodon/schema.sql', 'mastodon/data.sql'],
    env: { WRIT_MASTODON_DOMAIN: 'example.social' },
    target: { kind: 'url', value: 'https://example.social/@alice' },
    expect: { subscriber: 'alice@example.com', content: '@bob the parcel is ready' },
  },
  {
    connector: 'sql',
    fixture: ['sql/forum.sql'],
    env: { WRIT_CONNECTOR_FILE: exampleFile },
    target: { kind: 'email', value: 'Jisoo@Example.KR' },
    expect: { subscriber: 'jisoo@example.kr', content: 'Selling a bike' },
  },
] as const;

onPostgres.each(platforms)('a production through the $connector connector', (platform) => {
  let fixture: Awaited<ReturnType<typeof openPlatformFixture>>;
  let opened: Awaited<ReturnType<typeof openTestContext>>;

  beforeAll(async () => {
    fixture = await openPlatformFixture('postgres', fixtureSql(...platform.fixture));
    opened = await openTestContext('pglite', {
      WRIT_CONNECTOR: platform.connector,
      WRIT_CONNECTOR_DATABASE_URL: fixture.url!,
      ...platform.env,
    });
  });
  afterAll(async () => {
    await opened?.dispose();
    await fixture?.dispose();
  });

  it('builds a package with the records of the approved target, which verifies', async () => {
    const { context } = opened;
    const world = await buildWorld(context);
    const number = await submitted(context, world.officerA, {
      targets: [platform.target as SubmitRequestInput['targets'][number]],
      categories: ['subscriber', 'content', 'location'],
      dateRange: { from: '2026-10-01T00:00:00Z', to: '2026-10-31T23:59:59Z' },
    });
    const request = await context.store.read.requests.find({ kind: 'desk' }, number);
    await verifyRequest(context, { requestId: request!.id });
    await approveRequest(context, world.counsel, { reference: number, body: {} });
    await startProduction(context, world.counsel, { reference: number });
    expect((await runProduction({ ...context, availableDays: 30 }, { requestId: request!.id }))?.state).toBe('delivered');

    const production = await context.store.read.productions.latestForRequest(request!.id);
    expect(production?.outcomes.map((outcome) => [outcome.category, outcome.status])).toEqual([
      ['subscriber', 'produced'],
      ['content', 'produced'],
      ['location', 'not_held'],
    ]);
    const bag = path.join(context.config.WRIT_DATA_DIR, 'productions', production!.id);
    expect(await verifyBagDirectory(bag)).toMatchObject({ ok: true });
    expect(stockChecks(bag)).toEqual({ manifest: 0, tags: 0, signature: 0 });
    expect(readFileSync(path.join(bag, 'data/target-1/subscriber.csv'), 'utf8')).toContain(platform.expect.subscriber);
    expect(readFileSync(path.join(bag, 'data/target-1/content.jsonl'), 'utf8')).toContain(platform.expect.content);
    expect(readFileSync(path.join(bag, 'bag-info.txt'), 'utf8')).toContain(
      platform.connector === 'sql' ? 'example-forum' : platform.connector,
    );
  });
});

describe('a production reading a platform database that allows one connection at a time', () => {
  let fixture: Awaited<ReturnType<typeof openPlatformFixture>>;
  let opened: Awaited<ReturnType<typeof openTestContext>>;
  beforeAll(async () => {
    // PGlite serves one connection: a production that kept a read open per section would wait for ever.
    fixture = await openPlatformFixture('pglite', fixtureSql('synapse/schema.sql', 'synapse/data.sql'));
    opened = await openTestContext('pglite');
  });
  afterAll(async () => {
    await opened?.dispose();
    await fixture?.dispose();
  });

  it('reads its sections one after another and finishes', async () => {
    const { context } = opened;
    const world = await buildWorld(context);
    const number = await submitted(context, world.officerA, {
      targets: [
        { kind: 'username', value: '@alice:example.org' },
        { kind: 'email', value: 'bob@example.com' },
      ],
      categories: ['subscriber', 'traffic', 'content', 'device'],
      dateRange: { from: '2026-10-01T00:00:00Z', to: '2026-10-31T23:59:59Z' },
    });
    const request = await context.store.read.requests.find({ kind: 'desk' }, number);
    await verifyRequest(context, { requestId: request!.id });
    await approveRequest(context, world.counsel, { reference: number, body: {} });
    await startProduction(context, world.counsel, { reference: number });
    const connector = synapseConnector(fixture.db, { serverName: 'example.org', now: () => new Date('2026-11-01T00:00:00Z') });
    expect((await runProduction({ ...context, connector, availableDays: 30 }, { requestId: request!.id }))?.state).toBe('delivered');
    const production = await context.store.read.productions.latestForRequest(request!.id);
    expect(production?.outcomes.map((outcome) => `${outcome.target} ${outcome.category} ${outcome.status} ${outcome.records}`)).toEqual([
      '@alice:example.org subscriber produced 1',
      '@alice:example.org traffic produced 3',
      '@alice:example.org content produced 4',
      '@alice:example.org device produced 2',
      'bob@example.com subscriber produced 1',
      'bob@example.com traffic produced 1',
      'bob@example.com content produced 1',
      'bob@example.com device produced 1',
    ]);
    expect(await verifyBagDirectory(path.join(context.config.WRIT_DATA_DIR, 'productions', production!.id))).toMatchObject({ ok: true });
  });
});
