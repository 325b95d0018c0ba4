import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approvedItems, scopedConnector, ScopeViolation, type PlatformConnector } from './connector.ts';
import { normalizeIdentifier } from './identifiers.ts';
import { DATA_CATEGORIES, type DataCategory } from './request.ts';

const RANGE = { from: '2026-09-01T00:00:00.000Z', to: '2026-10-01T00:00:00.000Z' };

function spy() {
  const calls: Array<[DataCategory, string, string, string]> = [];
  const connector: PlatformConnector = {
    name: 'spy',
    resolve: async (identifier) => ({ status: 'found', accounts: [{ id: `acct-${identifier.value}`, label: identifier.value }] }),
    produce: async (category, accountId, range) => {
      calls.push([category, accountId, range.from, range.to]);
      return { status: 'no_records', detail: 'none' };
    },
  };
  return { connector, calls };
}

describe('approvedItems', () => {
  it('keeps approved pairs with their narrower range, and nothing of a rejection', () => {
    const items = approvedItems(
      { dateRange: RANGE },
      {
        outcome: 'partially_approved',
        items: [
          { targetId: 't1', category: 'subscriber', approved: true },
          { targetId: 't1', category: 'content', approved: false },
          {
            targetId: 't2',
            category: 'traffic',
            approved: true,
            dateRange: { from: '2026-09-10T00:00:00.000Z', to: '2026-09-20T00:00:00.000Z' },
          },
        ],
      },
    );
    expect(items).toEqual([
      { targetId: 't1', category: 'subscriber', range: RANGE },
      { targetId: 't2', category: 'traffic', range: { from: '2026-09-10T00:00:00.000Z', to: '2026-09-20T00:00:00.000Z' } },
    ]);
    expect(
      approvedItems({ dateRange: RANGE }, { outcome: 'rejected', items: [{ targetId: 't1', category: 'subscriber', approved: true }] }),
    ).toEqual([]);
  });
});

describe('scopedConnector', () => {
  const items = [{ targetId: 't1', category: 'traffic' as const, range: RANGE }];

  it('passes an approved read through', async () => {
    const { connector, calls } = spy();
    const scoped = scopedConnector(connector, items);
    await scoped.resolve('t1', normalizeIdentifier('username', 'minjun.kim'));
    await scoped.produce('t1', 'traffic', 'acct-minjun.kim', RANGE);
    expect(calls).toEqual([['traffic', 'acct-minjun.kim', RANGE.from, RANGE.to]]);
  });

  it('never calls the connector outside the approved targets × categories × range × resolved accounts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('t1', 't2'),
        fc.constantFrom(...DATA_CATEGORIES),
        fc.constantFrom('acct-minjun.kim', 'acct-someone.else'),
        fc.integer({ min: -40, max: 40 }),
        fc.integer({ min: -40, max: 40 }),
        async (targetId, category, accountId, startShift, endShift) => {
          const { connector, calls } = spy();
          const scoped = scopedConnector(connector, items);
          await scoped.resolve('t1', normalizeIdentifier('username', 'minjun.kim'));
          const range = {
            from: new Date(Date.parse(RANGE.from) + startShift * 86_400_000).toISOString(),
            to: new Date(Date.parse(RANGE.to) + endShift * 86_400_000).toISOString(),
          };
          const allowed =
            targetId === 't1' &&
            category === 'traffic' &&
            accountId === 'acct-minjun.kim' &&
            startShift >= 0 &&
            endShift <= 0 &&
            Date.parse(range.from) <= Date.parse(range.to);
          const attempt = scoped.produce(targetId, category, accountId, range);
          if (allowed) {
            await attempt;
            expect(calls).toHaveLength(1);
          } else {
            await expect(attempt).rejects.toBeInstanceOf(ScopeViolation);
            expect(calls).toHaveLength(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses to resolve a target that is not approved', async () => {
    const { connector } = spy();
    await expect(scopedConnector(connector, items).resolve('t9', normalizeIdentifier('username', 'x'))).rejects.toBeInstanceOf(
      ScopeViolation,
    );
  });
});
