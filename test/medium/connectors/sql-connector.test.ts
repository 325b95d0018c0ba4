/** The sql connector, read through the documented example file, against a small forum on PGlite and PostgreSQL. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSqlConnectorConfig, splitQuery, sqlConnector } from '../../../src/connectors/sql/sql.connector.ts';
import type { PlatformConnector, ProduceOutcome } from '../../../src/core/connector.ts';
import { normalizeIdentifier } from '../../../src/core/identifiers.ts';
import { describeOnEachPlatformDatabase, fixtureSql } from '../../support/platform-databases.ts';

const EXAMPLE = readFileSync(path.resolve(import.meta.dirname, '../../../docs/examples/sql-connector.yaml'), 'utf8');
const NOW = new Date('2026-11-01T00:00:00Z');
const OCTOBER = { from: '2026-10-01T00:00:00.000Z', to: '2026-10-31T23:59:59.999Z' };

async function rows(outcome: ProduceOutcome): Promise<Array<Record<string, unknown>>> {
  expect(outcome.status).toBe('records');
  const out: Array<Record<string, unknown>> = [];
  if (outcome.status === 'records') for await (const record of outcome.records) out.push({ ...record });
  return out;
}

describe('sql connector file', () => {
  const withProduce = (query: string) => `resolve: {}\nproduce:\n  traffic:\n    query: "${query}"\n`;

  it('refuses a production query that does not bind :account, :from or :to', () => {
    expect(() => parseSqlConnectorConfig(withProduce('SELECT * FROM logins WHERE at BETWEEN :from AND :to'))).toThrow(
      'produce.traffic must bind :account',
    );
    expect(() => parseSqlConnectorConfig(withProduce('SELECT * FROM logins WHERE member_id = :account'))).toThrow('must bind :from');
  });

  it('refuses two statements, unknown parameters, unknown categories and broken YAML', () => {
    expect(() =>
      parseSqlConnectorConfig(withProduce('SELECT 1 FROM t WHERE a = :account AND b BETWEEN :from AND :to; DROP TABLE t')),
    ).toThrow('more than one statement');
    expect(() => parseSqlConnectorConfig(withProduce('SELECT :account, :from, :to, :secret'))).toThrow('unknown parameter :secret');
    expect(() => parseSqlConnectorConfig('resolve: {}\nproduce:\n  photos:\n    not_held: no\n')).toThrow(
      'at produce: Unrecognized key: "photos"',
    );
    expect(() => parseSqlConnectorConfig('resolve: [')).toThrow('not valid YAML');
  });

  it('finds parameters only outside strings, quoted names, comments and casts', () => {
    const pieces = splitQuery(`SELECT ':from', ":to" -- :value\n/* :to */ FROM t WHERE id = :account::bigint AND x = $q$:from$q$;`);
    expect(pieces.filter((piece) => 'parameter' in piece)).toEqual([{ parameter: 'account' }]);
    expect(pieces.map((piece) => ('text' in piece ? piece.text : `<${piece.parameter}>`)).join('')).toBe(
      `SELECT ':from', ":to" -- :value\n/* :to */ FROM t WHERE id = <account>::bigint AND x = $q$:from$q$`,
    );
  });
});

describeOnEachPlatformDatabase(
  'sql connector',
  () => fixtureSql('sql/forum.sql'),
  (fixture) => {
    const connector = (): PlatformConnector => sqlConnector(fixture().db, parseSqlConnectorConfig(EXAMPLE), { now: () => NOW });

    it.each([
      ['email', 'JISOO@example.KR'],
      ['phone', '010-5555-1234'],
      ['username', '@Jisoo'],
      ['user_id', '7'],
      ['ip', '198.51.100.4'],
    ] as const)('resolves %s %s with the configured query', async (kind, value) => {
      expect(await connector().resolve(normalizeIdentifier(kind, value, 'KR'))).toEqual({
        status: 'found',
        accounts: [{ id: '7', label: 'Jisoo' }],
      });
    });

    it('reaches a member at the address the contact query gives, for their notice, and cannot act on content', async () => {
      expect(await connector().contact?.('7')).toEqual({ email: 'jisoo@example.kr' });
      expect(await connector().contact?.('999')).toBeUndefined();
      expect(connector().act).toBeUndefined();
      expect(() => parseSqlConnectorConfig('resolve: {}\nproduce: {}\ncontact: SELECT email FROM members\n')).toThrow(
        'contact must bind :account',
      );
    });

    it('binds identifiers as values: a quote in one finds nothing and breaks nothing', async () => {
      expect(await connector().resolve(normalizeIdentifier('email', "x' OR '1'='1"))).toMatchObject({ status: 'not_found' });
      expect(await connector().resolve(normalizeIdentifier('other', 'anything'))).toMatchObject({ status: 'not_found' });
    });

    it('produces each configured category within the range, and only the account asked for', async () => {
      expect(await rows(await connector().produce('subscriber', '7', OCTOBER))).toEqual([
        {
          account_id: '7',
          handle: 'Jisoo',
          email: 'jisoo@example.kr',
          phone: '+821055551234',
          created_at: '2026-03-01T09:00:00.000Z',
          signup_ip: '203.0.113.10',
        },
      ]);
      const logins = await rows(await connector().produce('traffic', '7', { from: '2026-10-15T00:00:00Z', to: OCTOBER.to }));
      expect(logins).toEqual([{ at: '2026-10-20T08:00:00.000Z', ip: '198.51.100.4', user_agent: 'Safari; it\'s "quoted", with a comma' }]);
      expect((await rows(await connector().produce('content', '7', OCTOBER))).map((post) => post.body)).toEqual(['Selling a bike']);
    });

    it('answers "outside retention", "no records", "not held" as configured', async () => {
      expect(await connector().produce('traffic', '7', { from: '2026-05-01T00:00:00Z', to: '2026-05-31T00:00:00Z' })).toMatchObject({
        status: 'outside_retention',
        detail: 'The platform keeps traffic data 90 days.',
      });
      expect(await connector().produce('content', '7', { from: '2026-10-12T00:00:00Z', to: OCTOBER.to })).toMatchObject({
        status: 'no_records',
      });
      expect(await connector().produce('location', '7', OCTOBER)).toEqual({
        status: 'not_held',
        detail: 'The forum does not record location.',
      });
      expect(await connector().produce('payment', '7', OCTOBER)).toMatchObject({ status: 'not_held' });
    });
  },
);
