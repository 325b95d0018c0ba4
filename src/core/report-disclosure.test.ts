/**
 * The public transparency report, stated as a property: for any set of requests, in every period anyone may read and
 * in each format (the JSON object and its CSV), no figure is about fewer requests than the threshold, no published
 * total minus its published parts is either, and every exact figure is true. The checker works from the generated
 * requests themselves, not from the report's own sums.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OTHER, publicReport } from './report-disclosure.ts';
import { isPublished, parsePeriodId, publishedPeriods } from './report-periods.ts';
import type { InstrumentType, RequestKind } from './request.ts';
import {
  countText,
  koreanCategoryOf,
  reportCsv,
  type Count,
  type FactGroup,
  type ReportFacts,
  type ReportRow,
  type TransparencyReport,
} from './transparency.ts';

type Outcome = 'withData' | 'answered' | 'rejected' | 'withdrawn' | 'pending';
interface Generated {
  readonly jurisdiction: string;
  readonly kind: RequestKind;
  readonly instrument: InstrumentType;
  /** Months since 2025-01. */
  readonly monthIndex: number;
  readonly outcome: Outcome;
  readonly narrowed: boolean;
  readonly nonDisclosure: boolean;
  readonly refused: boolean;
  readonly targets: number;
  readonly notified: number;
  readonly removal: 'removed' | 'restricted' | 'kept' | null;
  readonly items: number;
}

const INSTRUMENTS: readonly InstrumentType[] = [
  'search_warrant',
  'communication_confirmation_permit',
  'interception_order',
  'letter',
  'court_order',
  'subpoena',
];

const request: fc.Arbitrary<Generated> = fc
  .record({
    jurisdiction: fc.constantFrom('KR', 'KR', 'KR', 'US', 'US', 'DE', 'FR', 'JP'),
    kind: fc.constantFrom<RequestKind>('disclosure', 'disclosure', 'disclosure', 'emergency', 'preservation', 'removal', 'prospective'),
    instrument: fc.constantFrom(...INSTRUMENTS),
    monthIndex: fc.integer({ min: 0, max: 19 }),
    outcome: fc.constantFrom<Outcome>('withData', 'withData', 'answered', 'rejected', 'withdrawn', 'pending'),
    narrowed: fc.boolean(),
    nonDisclosure: fc.boolean(),
    refused: fc.boolean(),
    targets: fc.integer({ min: 1, max: 4 }),
    notified: fc.integer({ min: 0, max: 4 }),
    removal: fc.constantFrom(null, 'removed', 'restricted', 'kept'),
    items: fc.integer({ min: 0, max: 5 }),
  })
  .map((r): Generated => ({
    ...r,
    narrowed: r.narrowed && (r.outcome === 'withData' || r.outcome === 'answered'),
    refused: r.refused && r.outcome === 'rejected',
    notified: Math.min(r.notified, r.targets),
    removal: r.kind === 'removal' ? r.removal : null,
    items: r.kind === 'removal' && r.removal ? r.items : 0,
  }));

const monthOf = (r: Generated) => {
  const year = 2025 + Math.floor(r.monthIndex / 12);
  return `${year}-${String((r.monthIndex % 12) + 1).padStart(2, '0')}`;
};
const inPeriod = (r: Generated, period: { from: string; to: string }) => {
  const at = `${monthOf(r)}-15T12:00:00.000Z`;
  return at >= period.from && at < period.to;
};
const processed = (r: Generated) => r.outcome === 'withData' || r.outcome === 'answered';

/** What the database's facts query gives for these requests (the same grouping, done plainly). */
function factsOf(requests: readonly Generated[]): ReportFacts {
  const groups = new Map<string, FactGroup>();
  for (const r of requests) {
    const key = [r.jurisdiction, r.kind, r.instrument, monthOf(r)].join('|');
    const group = groups.get(key) ?? {
      jurisdiction: r.jurisdiction,
      kind: r.kind,
      instrumentType: r.instrument,
      month: monthOf(r),
      requests: 0,
      accountsSpecified: 0,
      withData: 0,
      processed: 0,
      processedAccounts: 0,
      rejected: 0,
      narrowed: 0,
      nonDisclosure: 0,
      refusedUnverified: 0,
      withdrawn: 0,
      pending: 0,
    };
    const g = group as unknown as Record<string, number>;
    g.requests! += 1;
    g.accountsSpecified! += r.targets;
    if (r.outcome === 'withData') g.withData! += 1;
    if (processed(r)) {
      g.processed! += 1;
      g.processedAccounts! += r.targets;
    }
    if (r.outcome === 'rejected') g.rejected! += 1;
    if (r.narrowed) g.narrowed! += 1;
    if (r.nonDisclosure) g.nonDisclosure! += 1;
    if (r.refused) g.refusedUnverified! += 1;
    if (r.outcome === 'withdrawn') g.withdrawn! += 1;
    if (r.outcome === 'pending') g.pending! += 1;
    groups.set(key, group);
  }
  const notices = new Map<string, { jurisdiction: string; kind: RequestKind; usersNotified: number; requestsNotified: number }>();
  const removals = new Map<string, { jurisdiction: string; action: 'removed' | 'restricted' | 'kept'; orders: number; items: number }>();
  for (const r of requests) {
    if (r.notified > 0) {
      const entry = notices.get(`${r.jurisdiction}|${r.kind}`) ?? {
        jurisdiction: r.jurisdiction,
        kind: r.kind,
        usersNotified: 0,
        requestsNotified: 0,
      };
      entry.usersNotified += r.notified;
      entry.requestsNotified += 1;
      notices.set(`${r.jurisdiction}|${r.kind}`, entry);
    }
    if (r.removal) {
      const entry = removals.get(`${r.jurisdiction}|${r.removal}`) ?? {
        jurisdiction: r.jurisdiction,
        action: r.removal,
        orders: 0,
        items: 0,
      };
      entry.orders += 1;
      entry.items += r.items;
      removals.set(`${r.jurisdiction}|${r.removal}`, entry);
    }
  }
  return { groups: [...groups.values()], notices: [...notices.values()], removals: [...removals.values()] };
}

/** Each published figure of a row: which requests it counts (or sums over), and what it sums. */
const FIGURES: ReadonlyArray<{
  name: string;
  get: (row: ReportRow) => Count;
  about: (r: Generated) => boolean;
  sum?: (r: Generated) => number;
}> = [
  { name: 'requests', get: (row) => row.requests, about: () => true },
  { name: 'accountsSpecified', get: (row) => row.accountsSpecified, about: () => true, sum: (r) => r.targets },
  { name: 'withSomeData', get: (row) => row.withSomeData, about: (r) => r.outcome === 'withData' },
  { name: 'rejected', get: (row) => row.rejected, about: (r) => r.outcome === 'rejected' },
  { name: 'narrowed', get: (row) => row.narrowed, about: (r) => r.narrowed },
  { name: 'emergency', get: (row) => row.emergency, about: (r) => r.kind === 'emergency' },
  { name: 'preservation', get: (row) => row.preservation, about: (r) => r.kind === 'preservation' },
  { name: 'removalOrders', get: (row) => row.removalOrders, about: (r) => r.kind === 'removal' },
  { name: 'removed', get: (row) => row.removalActions.removed, about: (r) => r.removal === 'removed' },
  { name: 'restricted', get: (row) => row.removalActions.restricted, about: (r) => r.removal === 'restricted' },
  { name: 'kept', get: (row) => row.removalActions.kept, about: (r) => r.removal === 'kept' },
  { name: 'items', get: (row) => row.removalActions.items, about: (r) => r.removal !== null, sum: (r) => r.items },
  { name: 'nonDisclosure', get: (row) => row.nonDisclosure, about: (r) => r.nonDisclosure },
  { name: 'usersNotified', get: (row) => row.usersNotified, about: (r) => r.notified > 0, sum: (r) => r.notified },
  { name: 'refusedAsSuspicious', get: (row) => row.refusedAsSuspicious, about: (r) => r.refused },
  { name: 'withdrawn', get: (row) => row.withdrawn, about: (r) => r.outcome === 'withdrawn' },
  { name: 'pending', get: (row) => row.pending, about: (r) => r.outcome === 'pending' },
];

interface Checked {
  readonly value: Count;
  /** The requests the figure is about. */
  readonly about: readonly Generated[];
  /** What the figure must be when exact. */
  readonly truth: number;
  readonly isSum: boolean;
}

/** A figure checked on its own: exact only when about none or at least k requests (and then true); else banded or withheld. */
function checkFigure(figure: Checked, k: number, where: string) {
  const size = figure.about.length;
  if (typeof figure.value === 'number') {
    expect(size === 0 || size >= k, `${where}: an exact figure about ${size} requests`).toBe(true);
    expect(figure.value, `${where}: exact and true`).toBe(figure.truth);
  } else if (figure.value !== null) {
    expect(figure.isSum, `${where}: a sum is never banded`).toBe(false);
    expect(size >= 1 && size < k, `${where}: a band over ${size} requests`).toBe(true);
    expect(figure.value).toEqual({ min: 1, max: k - 1 });
  }
}

/** A total minus its exact parts, as a reader works it out: about none or at least k requests. */
function checkDifference(parent: Checked, parts: readonly Checked[], k: number, where: string) {
  if (typeof parent.value !== 'number') return;
  const shown = new Set(parts.filter((part) => typeof part.value === 'number').flatMap((part) => part.about));
  const hidden = parent.about.filter((r) => !shown.has(r)).length;
  expect(hidden === 0 || hidden >= k, `${where}: the total minus its parts is about ${hidden} requests`).toBe(true);
}

function checkReport(report: TransparencyReport, requests: readonly Generated[], k: number) {
  expect(report.audience).toBe('public');
  const figure = (value: Count, set: readonly Generated[], f: (typeof FIGURES)[number]): Checked => {
    const about = set.filter(f.about);
    return { value, about, truth: f.sum ? about.reduce((total, r) => total + f.sum!(r), 0) : about.length, isSum: f.sum !== undefined };
  };
  const named = new Set(report.countries.map((row) => row.country).filter((country) => country !== OTHER));
  const countrySet = (country: string) =>
    requests.filter((r) => (country === OTHER ? !named.has(r.jurisdiction) : r.jurisdiction === country));
  const rowsWithSets: Array<{ row: ReportRow; set: readonly Generated[]; where: string }> = [
    { row: report.totals, set: requests, where: 'totals' },
  ];
  if (report.countries.length === 0) expect(requests.length === 0 || requests.length < k).toBe(true);
  for (const country of report.countries) {
    const set = countrySet(country.country);
    expect(set.length >= k, `country ${country.country} is a row of ${set.length} requests`).toBe(true);
    rowsWithSets.push({ row: country, set, where: `country ${country.country}` });
    const kinds = report.rows.filter((row) => row.country === country.country);
    const namedKinds = new Set(kinds.map((row) => row.kind).filter((kind) => kind !== OTHER));
    const kindSets = kinds.map((row) => ({
      row,
      set: set.filter((r) => (row.kind === OTHER ? !namedKinds.has(r.kind) : r.kind === row.kind)),
      where: `${country.country}/${row.kind}`,
    }));
    for (const entry of kindSets) expect(entry.set.length >= k, `${entry.where} is a row of ${entry.set.length} requests`).toBe(true);
    rowsWithSets.push(...kindSets);
    // A country against its kinds, figure by figure.
    for (const f of FIGURES) {
      checkDifference(
        figure(f.get(country), set, f),
        kindSets.map((entry) => figure(f.get(entry.row), entry.set, f)),
        k,
        `${country.country} ${f.name} vs its kinds`,
      );
    }
  }
  // Totals against the countries, figure by figure.
  for (const f of FIGURES) {
    checkDifference(
      figure(f.get(report.totals), requests, f),
      report.countries.map((row) => figure(f.get(row), countrySet(row.country), f)),
      k,
      `totals ${f.name} vs countries`,
    );
  }
  const byName = new Map(FIGURES.map((f) => [f.name, f]));
  for (const { row, set, where } of rowsWithSets) {
    for (const f of FIGURES) checkFigure(figure(f.get(row), set, f), k, `${where} ${f.name}`);
    const requestsFigure = figure(row.requests, set, byName.get('requests')!);
    // A count against its complement, and the requests against their outcomes.
    for (const f of FIGURES.filter((entry) => !entry.sum && entry.name !== 'requests')) {
      checkDifference(requestsFigure, [figure(f.get(row), set, f)], k, `${where} requests vs ${f.name}`);
    }
    const outcomes = ['withSomeData', 'rejected', 'withdrawn', 'pending'].map((name) =>
      figure(byName.get(name)!.get(row), set, byName.get(name)!),
    );
    const answered =
      row === report.totals
        ? [
            {
              value: report.series.byOutcome.find((entry) => entry.outcome === 'answered_without_data')!.requests,
              about: set.filter((r) => r.outcome === 'answered'),
              truth: set.filter((r) => r.outcome === 'answered').length,
              isSum: false,
            },
          ]
        : [];
    for (const entry of answered) checkFigure(entry, k, 'answered without data');
    checkDifference(requestsFigure, [...outcomes, ...answered], k, `${where} requests vs outcomes`);
    checkDifference(
      requestsFigure,
      ['emergency', 'preservation', 'removalOrders'].map((name) => figure(byName.get(name)!.get(row), set, byName.get(name)!)),
      k,
      `${where} requests vs kinds`,
    );
  }
  // The months of the period.
  const months = report.series.overTime.map((entry) => {
    const set = requests.filter((r) => monthOf(r) === entry.month);
    return {
      requests: figure(entry.requests, set, byName.get('requests')!),
      withSomeData: figure(entry.withSomeData, set, byName.get('withSomeData')!),
      rejected: figure(entry.rejected, set, byName.get('rejected')!),
    };
  });
  for (const field of ['requests', 'withSomeData', 'rejected'] as const) {
    for (const month of months) checkFigure(month[field], k, `month ${field}`);
    checkDifference(
      figure(report.totals[field], requests, byName.get(field)!),
      months.map((month) => month[field]),
      k,
      `totals ${field} vs months`,
    );
  }
  for (const month of months) {
    checkDifference(month.requests, [month.withSomeData], k, 'month requests vs produced');
    checkDifference(month.requests, [month.rejected], k, 'month requests vs rejected');
  }
  // The Korean categories, against Korea's row.
  const korea = requests.filter((r) => r.jurisdiction === 'KR');
  const categories = report.korea.map((row) => {
    const set = korea.filter((r) => koreanCategoryOf(r.instrument) === row.category);
    const done = set.filter(processed);
    const requestsFigure: Checked = { value: row.requests, about: set, truth: set.length, isSum: false };
    const processedFigure: Checked = { value: row.processed, about: done, truth: done.length, isSum: false };
    checkFigure(requestsFigure, k, `korea ${row.category} requests`);
    checkFigure(processedFigure, k, `korea ${row.category} processed`);
    checkFigure(
      { value: row.accounts, about: done, truth: done.reduce((total, r) => total + r.targets, 0), isSum: true },
      k,
      `korea ${row.category} accounts`,
    );
    checkDifference(requestsFigure, [processedFigure], k, `korea ${row.category} requests vs processed`);
    return requestsFigure;
  });
  const kr = report.countries.find((row) => row.country === 'KR');
  if (kr)
    checkDifference({ value: kr.requests, about: korea, truth: korea.length, isSum: false }, categories, k, 'Korea vs its categories');
  else
    checkDifference(
      { value: report.totals.requests, about: requests, truth: requests.length, isSum: false },
      categories,
      k,
      'totals vs Korea',
    );
  // The charts say what the table says.
  expect(report.series.byCountry).toEqual(report.countries.map((row) => ({ country: row.country, requests: row.requests })));
  // The CSV holds no exact number the JSON withholds.
  const exact = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === 'number') exact.add(String(value));
    else if (value && typeof value === 'object') for (const inner of Object.values(value)) collect(inner);
  };
  collect({ totals: report.totals, countries: report.countries, rows: report.rows, korea: report.korea });
  for (const line of reportCsv(report).trim().split('\n').slice(1)) {
    for (const cell of line.trim().split(',').slice(4)) {
      if (/^\d+$/.test(cell)) expect(exact.has(cell), `CSV cell ${cell} in ${line}`).toBe(true);
      else expect(cell, line).toMatch(/^(|""|withheld|\d+-\d+|[01]\.\d{4})$/);
    }
  }
}

describe('the public transparency report', () => {
  it('gives no figure about fewer requests than the threshold, in any published period and format, whatever the requests', () => {
    fc.assert(
      fc.property(
        fc.array(request, { minLength: 0, maxLength: 160 }),
        fc.constantFrom(3, 5, 10),
        fc.integer({ min: 0, max: 60 }),
        fc.boolean(),
        (requests, k, afterDays, includeOpen) => {
          const now = new Date('2026-07-20T00:00:00Z');
          const rules = { afterDays, includeOpen };
          const { halfYears, months } = publishedPeriods(new Date('2025-01-01T00:00:00Z'), now, rules);
          expect(halfYears.length + months.length).toBeGreaterThan(0);
          for (const id of [...halfYears, ...months]) {
            const period = parsePeriodId(id)!;
            const mine = requests.filter((r) => inPeriod(r, period));
            const report = publicReport(factsOf(mine), { period, computedAt: now.toISOString(), threshold: k, treeHead: null });
            checkReport(report, mine, k);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('withholds the one request a total minus its parts would give away', () => {
    const base: Generated = {
      jurisdiction: 'KR',
      kind: 'disclosure',
      instrument: 'search_warrant',
      monthIndex: 2,
      outcome: 'withData',
      narrowed: false,
      nonDisclosure: false,
      refused: false,
      targets: 1,
      notified: 0,
      removal: null,
      items: 0,
    };
    // Twelve Korean disclosures and one American emergency with a gag: the emergency must not show up anywhere.
    const requests = [
      ...Array.from({ length: 12 }, () => base),
      { ...base, jurisdiction: 'US', kind: 'emergency' as const, nonDisclosure: true, outcome: 'pending' as const },
    ];
    const period = parsePeriodId('2025-H1')!;
    const report = publicReport(factsOf(requests), { period, computedAt: period.to, threshold: 10, treeHead: null });
    checkReport(report, requests, 10);
    expect(report.countries.map((row) => row.country)).toEqual([OTHER]);
    expect(report.totals.requests).toBe(13);
    expect(report.totals.emergency).toEqual({ min: 1, max: 9 });
    expect(report.totals.nonDisclosure).toEqual({ min: 1, max: 9 });
    // 13 requests, 12 with data: the one without is not told apart by its outcome.
    expect(report.totals.withSomeData).toBeNull();
    expect(JSON.stringify(report)).not.toContain('"US"');
  });

  it('publishes a period once it has been over for the waiting time, one in progress only when the platform opts in', () => {
    const now = new Date('2026-07-20T00:00:00Z');
    const closed = { afterDays: 30, includeOpen: false };
    expect(isPublished(parsePeriodId('2026-H1')!, now, closed)).toBe(false);
    expect(isPublished(parsePeriodId('2026-H1')!, now, { afterDays: 19, includeOpen: false })).toBe(true);
    expect(isPublished(parsePeriodId('2026-05')!, now, closed)).toBe(true);
    expect(isPublished(parsePeriodId('2026-06')!, now, closed)).toBe(false);
    expect(isPublished(parsePeriodId('2026-07')!, now, closed)).toBe(false);
    expect(isPublished(parsePeriodId('2026-07')!, now, { afterDays: 30, includeOpen: true })).toBe(true);
    expect(isPublished(parsePeriodId('2026-08')!, now, { afterDays: 30, includeOpen: true })).toBe(false);
    expect(publishedPeriods(new Date('2025-10-01T00:00:00Z'), now, closed)).toEqual({
      halfYears: ['2025-H2'],
      months: ['2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05'],
    });
    for (const bad of ['2026-H3', '2026-13', '2026-00', '2026', '2026-1', 'x', '2026-05-01'])
      expect(parsePeriodId(bad), bad).toBeUndefined();
    expect(countText(null)).toBe('withheld');
  });
});
