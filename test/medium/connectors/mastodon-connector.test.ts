/** The mastodon connector against a Mastodon schema fixture, on PGlite and PostgreSQL. */
import { expect, it } from 'vitest';
import { mastodonConnector } from '../../../src/connectors/mastodon/mastodon.connector.ts';
import type { PlatformConnector, ProduceOutcome } from '../../../src/core/connector.ts';
import { normalizeIdentifier } from '../../../src/core/identifiers.ts';
import type { IdentifierKind } from '../../../src/core/request.ts';
import { describeOnEachPlatformDatabase, fixtureSql } from '../../support/platform-databases.ts';

const NOW = new Date('2026-11-01T00:00:00Z');
const LATE_OCTOBER = { from: '2026-10-24T00:00:00.000Z', to: '2026-10-31T23:59:59.999Z' };
const ALICE = '109000000000000001';

async function rows(outcome: ProduceOutcome): Promise<Array<Record<string, unknown>>> {
  expect(outcome.status).toBe('records');
  const out: Array<Record<string, unknown>> = [];
  if (outcome.status === 'records') for await (const record of outcome.records) out.push({ ...record });
  return out;
}

const secretsIn = (records: Array<Record<string, unknown>>) =>
  records.flatMap((record) => Object.values(record)).filter((value) => /secret|\$2a\$|OTPSECRET|websessionsecret/i.test(String(value)));

describeOnEachPlatformDatabase(
  'mastodon connector',
  () => fixtureSql('mastodon/schema.sql', 'mastodon/data.sql'),
  (fixture) => {
    const connector = (): PlatformConnector => mastodonConnector(fixture().db, { localDomain: 'example.social', now: () => NOW });
    const resolve = (kind: IdentifierKind, value: string) => connector().resolve(normalizeIdentifier(kind, value, 'GB'));

    it.each([
      ['username', '@ALICE'],
      ['username', '@alice@example.social'],
      ['url', 'https://example.social/@alice'],
      ['url', 'https://example.social/users/Alice'],
      ['email', 'Alice@Example.COM'],
      ['user_id', ALICE],
      ['ip', '203.0.113.66'],
      ['other', 'oidc-sub-42'],
    ] as const)('resolves %s %s to the local alice', async (kind, value) => {
      expect(await resolve(kind, value)).toEqual({ status: 'found', accounts: [{ id: ALICE, label: 'alice' }] });
    });

    it('tells a remote account with the same name apart from the local one', async () => {
      expect(await resolve('username', '@alice@other.social')).toEqual({
        status: 'found',
        accounts: [{ id: '109000000000000003', label: 'alice@other.social' }],
      });
      expect(await resolve('url', 'https://other.social/@alice')).toMatchObject({ accounts: [{ id: '109000000000000003' }] });
    });

    it('reaches a local user at their sign-in address, a remote account not at all, and cannot act on content', async () => {
      expect(await connector().contact?.('109000000000000001')).toEqual({ email: 'alice@example.com' });
      expect(await connector().contact?.('109000000000000003')).toBeUndefined();
      expect(await connector().contact?.('not-an-id')).toBeUndefined();
      expect(connector().act).toBeUndefined();
    });

    it('answers "not found" for a phone number, which Mastodon does not store', async () => {
      expect(await resolve('phone', '+44 7700 900123')).toMatchObject({ status: 'not_found', tried: { value: '+447700900123' } });
    });

    it('reads the subscriber record with UTC times and the sign-up IP, and no secret', async () => {
      const [subscriber, ...more] = await rows(await connector().produce('subscriber', ALICE, LATE_OCTOBER));
      expect(more).toEqual([]);
      expect(subscriber).toMatchObject({
        account_id: ALICE,
        username: 'alice',
        email: 'alice@example.com',
        registered_at: '2026-05-01T10:00:00.000Z',
        registration_ip: '203.0.113.7',
        two_factor_enabled: true,
        role: 'Member',
        registered_via_app: 'Web',
        signup_reason: 'I want to join',
        sso_identities: 'openid_connect:oidc-sub-42',
      });
      expect(secretsIn([subscriber ?? {}])).toEqual([]);
    });

    it('gives sign-ins (failed ones too), sessions and token use in range, oldest first', async () => {
      const records = await rows(await connector().produce('traffic', ALICE, LATE_OCTOBER));
      expect(records.map((record) => [record.at, record.source, record.ip])).toEqual([
        ['2026-10-25T09:00:00.000Z', 'login_success', '203.0.113.7'],
        ['2026-10-25T09:00:00.000Z', 'web_session_created', '203.0.113.7'],
        ['2026-10-27T07:45:00.000Z', 'login_failure', '203.0.113.66'],
        ['2026-10-27T07:45:00.000Z', 'oauth_token_last_used', '198.51.100.23'],
      ]);
      expect(records[2]?.detail).toBe('password invalid');
      expect(secretsIn(records)).toEqual([]);
    });

    it('says "outside retention" past IP_RETENTION_PERIOD, "no records" within it, and "not held" for a remote account', async () => {
      const old = await connector().produce('traffic', ALICE, { from: '2025-08-01T00:00:00Z', to: '2025-10-01T00:00:00Z' });
      expect(old).toMatchObject({ status: 'outside_retention', detail: expect.stringContaining('365 days') });
      const quiet = await connector().produce('traffic', ALICE, { from: '2026-10-29T00:00:00Z', to: '2026-10-31T00:00:00Z' });
      expect(quiet.status).toBe('no_records');
      expect(await connector().produce('traffic', '109000000000000003', LATE_OCTOBER)).toMatchObject({ status: 'not_held' });
    });

    it('gives the posts in range — direct messages in plaintext with their recipients, deleted ones marked', async () => {
      const records = await rows(await connector().produce('content', ALICE, LATE_OCTOBER));
      expect(records.map((record) => [record.status_id, record.visibility])).toEqual([
        ['117500726476800007', 'public'],
        ['117508512153600007', 'direct'],
        ['117511756185600007', 'unlisted'],
      ]);
      expect(records[0]).toMatchObject({ created_at: '2026-10-25T09:00:00.000Z', html: '<p>Meet at the station</p>' });
      expect(JSON.parse(String(records[0]?.media))).toEqual([
        { id: '117500726476800100', file: 'map.png', type: 'image/png', size: 20480, description: 'A map' },
      ]);
      expect(JSON.parse(String(records[0]?.edit_history))).toHaveLength(2);
      expect(records[1]).toMatchObject({ html: '<p>@bob the parcel is ready</p>', mentioned_account_ids: '109000000000000002' });
      expect(records[2]?.deleted_at).toBe('2026-10-28T07:45:00.000Z');
      expect(await connector().produce('content', ALICE, { from: '2026-10-01T00:00:00Z', to: '2026-10-10T00:00:00Z' })).toMatchObject({
        status: 'no_records',
      });
    });

    it('says what Mastodon does not hold', async () => {
      for (const category of ['device', 'location', 'payment'] as const) {
        expect(await connector().produce(category, ALICE, LATE_OCTOBER)).toMatchObject({ status: 'not_held' });
      }
    });
  },
);
