/** The synapse connector against a Synapse schema fixture, on PGlite and PostgreSQL. */
import { expect, it } from 'vitest';
import { synapseConnector } from '../../../src/connectors/synapse/synapse.connector.ts';
import type { PlatformConnector, ProduceOutcome } from '../../../src/core/connector.ts';
import { normalizeIdentifier } from '../../../src/core/identifiers.ts';
import type { IdentifierKind } from '../../../src/core/request.ts';
import { describeOnEachPlatformDatabase, fixtureSql } from '../../support/platform-databases.ts';

const NOW = new Date('2026-11-01T00:00:00Z');
const LATE_OCTOBER = { from: '2026-10-24T00:00:00.000Z', to: '2026-10-31T23:59:59.999Z' };

async function rows(outcome: ProduceOutcome): Promise<Array<Record<string, unknown>>> {
  expect(outcome.status).toBe('records');
  const out: Array<Record<string, unknown>> = [];
  if (outcome.status === 'records') for await (const record of outcome.records) out.push({ ...record });
  return out;
}

const secretsIn = (records: Array<Record<string, unknown>>) =>
  records.flatMap((record) => Object.values(record)).filter((value) => /syt_|\$2b\$|ciphertext/.test(String(value)));

describeOnEachPlatformDatabase(
  'synapse connector',
  () => fixtureSql('synapse/schema.sql', 'synapse/data.sql'),
  (fixture) => {
    const connector = (): PlatformConnector => synapseConnector(fixture().db, { serverName: 'example.org', now: () => NOW });
    const resolve = (kind: IdentifierKind, value: string) => connector().resolve(normalizeIdentifier(kind, value, 'GB'));

    it.each([
      ['username', '@alice:example.org'],
      ['username', 'Alice'],
      ['url', 'https://matrix.to/#/@alice:example.org'],
      ['email', 'Alice@Example.com'],
      ['phone', '+44 7700 900123'],
      ['user_id', 'sub-0001'],
    ] as const)('resolves %s %s to @alice:example.org', async (kind, value) => {
      expect(await resolve(kind, value)).toEqual({
        status: 'found',
        accounts: [{ id: '@alice:example.org', label: '@alice:example.org' }],
      });
    });

    it('reaches a user at the e-mail address bound to their account, for their notice, and cannot act on content', async () => {
      expect(await connector().contact?.('@alice:example.org')).toEqual({ email: 'alice@example.com' });
      expect(await connector().contact?.('@nobody:example.org')).toBeUndefined();
      // It reads Synapse only: a removal order is for the desk to carry out there.
      expect(connector().act).toBeUndefined();
    });

    it('finds a legacy mixed-case account through the case-insensitive arm', async () => {
      expect(await resolve('username', '@carol:example.org')).toMatchObject({ accounts: [{ id: '@Carol:example.org' }] });
    });

    it('does not take a user of another server for the local one', async () => {
      expect(await resolve('username', '@alice:elsewhere.example')).toMatchObject({ status: 'not_found' });
    });

    it('finds every account seen at an IP', async () => {
      const found = await resolve('ip', '203.0.113.7');
      expect(found.status === 'found' && found.accounts.map((account) => account.id)).toEqual(['@alice:example.org', '@bob:example.org']);
    });

    it('reads creation_ts as seconds and consent_ts as milliseconds, and never the password hash', async () => {
      const [subscriber, ...more] = await rows(await connector().produce('subscriber', '@alice:example.org', LATE_OCTOBER));
      expect(more).toEqual([]);
      expect(subscriber).toMatchObject({
        user_id: '@alice:example.org',
        created_at: '2026-05-01T10:00:00.000Z',
        consent_at: '2026-05-01T10:00:05.000Z',
        display_name: 'Alice Liddell',
        emails: 'alice@example.com',
        phones: '+447700900123',
        sso_identities: 'oidc-example:sub-0001',
        registration_ip: '203.0.113.7',
        has_password: true,
        erased: false,
      });
      expect(secretsIn([subscriber ?? {}])).toEqual([]);
    });

    it('gives IP records in range by last-seen time, naming sessions by a hash and never by their token', async () => {
      const records = await rows(await connector().produce('traffic', '@alice:example.org', LATE_OCTOBER));
      expect(records.map((record) => [record.last_seen_at, record.ip, record.access_token_id])).toEqual([
        ['2026-10-25T09:00:00.000Z', '203.0.113.7', '101'],
        ['2026-10-27T07:45:00.000Z', '198.51.100.23', '102'],
      ]);
      expect(records.every((record) => /^[0-9a-f]{16}$/.test(String(record.session_key)))).toBe(true);
      expect(secretsIn(records)).toEqual([]);

      const wider = await rows(
        await connector().produce('traffic', '@alice:example.org', { ...LATE_OCTOBER, from: '2026-10-15T00:00:00Z' }),
      );
      expect(wider[0]).toMatchObject({ ip: '203.0.113.99', device_id: 'OLDPHONE', access_token_id: null });
    });

    it('says "outside retention" for IP records older than user_ips_max_age and "no records" otherwise', async () => {
      const old = await connector().produce('traffic', '@alice:example.org', { from: '2026-08-01T00:00:00Z', to: '2026-09-30T00:00:00Z' });
      expect(old).toMatchObject({ status: 'outside_retention', detail: expect.stringContaining('28 days') });
      const recent = await connector().produce('traffic', '@alice:example.org', {
        from: '2026-10-28T00:00:00Z',
        to: '2026-10-31T00:00:00Z',
      });
      expect(recent.status).toBe('no_records');
    });

    it('gives the messages the account sent in range: encrypted ones as metadata only, others with their body', async () => {
      const records = await rows(await connector().produce('content', '@alice:example.org', LATE_OCTOBER));
      expect(records.map((record) => record.event_id)).toEqual(['$msg1', '$img1', '$redact1', '$enc1']);
      expect(records[0]).toMatchObject({
        body: 'See you at the station, 9pm',
        sent_at: '2026-10-25T09:00:00.000Z',
        sent_from_device: 'ALICEWEB',
        redacted_by_event: '$redact1',
        room_name: 'Book club',
        content_encrypted: false,
      });
      expect(records[1]).toMatchObject({ msgtype: 'm.image', media_mxc: 'mxc://example.org/map1' });
      expect(records[2]).toMatchObject({ type: 'm.room.redaction', redacts: '$msg1' });
      expect(records[3]).toMatchObject({
        content_encrypted: true,
        room_encrypted: true,
        e2e_algorithm: 'm.megolm.v1.aes-sha2',
        body: null,
        content: null,
        sent_from_device: 'ALICEPHONE',
      });
      expect(secretsIn(records)).toEqual([]);
    });

    it('answers "end-to-end encrypted" when every message in range is ciphertext, and "no records" when none was sent', async () => {
      expect(await connector().produce('content', '@dana:example.org', LATE_OCTOBER)).toMatchObject({ status: 'end_to_end_encrypted' });
      expect(await connector().produce('content', '@Carol:example.org', LATE_OCTOBER)).toMatchObject({ status: 'no_records' });
    });

    it('gives devices last seen in range and says what Synapse does not hold', async () => {
      const devices = await rows(await connector().produce('device', '@alice:example.org', LATE_OCTOBER));
      expect(devices.map((device) => device.device_id)).toEqual(['ALICEWEB', 'ALICEPHONE']);
      expect(await connector().produce('location', '@alice:example.org', LATE_OCTOBER)).toMatchObject({ status: 'not_held' });
      expect(await connector().produce('payment', '@alice:example.org', LATE_OCTOBER)).toMatchObject({ status: 'not_held' });
    });
  },
);
