/**
 * The public transparency report: no figure in it, nor any difference of its figures, is about fewer requests than
 * the threshold k (issue 17: halving ranges, 114 anonymous queries listed six requests one by one).
 *
 * - A country, or a kind within a country, with fewer than k requests is merged into a row "other"; when that row is
 *   still under k, the next smallest joins it, until it reaches k (or holds everything).
 * - Within a row of k or more requests, a count from 1 to k−1 is given as the band 1–(k−1); a sum (accounts, items,
 *   users notified) resting on fewer than k requests is withheld.
 * - A published total minus its published parts is a figure too: for each such relation (a total and its countries, a
 *   country and its kinds, a row's requests and its outcomes, a count and its complement, the months, the Korean
 *   categories) what stays hidden must be about none or at least k requests, and never one figure alone; otherwise the
 *   smallest exact part is withheld as well, until every relation holds (primary and complementary suppression, as
 *   statistics offices do it).
 *
 * With k ≤ 1 nothing is merged, banded or withheld. Pure.
 */
import type { TreeHeadJson } from './audit-log.ts';
import { REQUEST_KINDS, type RequestKind } from './request.ts';
import {
  aggregateFacts,
  DEFINITIONS,
  emptySum,
  KOREAN_CATEGORIES,
  monthsBetween,
  type Count,
  type KoreanRow,
  type ReportFacts,
  type ReportRow,
  type Sum,
  type TransparencyReport,
} from './transparency.ts';

/** The name of the row that holds the countries, or the kinds, too small to be shown alone. */
export const OTHER = 'other';

type State = 'exact' | 'band' | 'withheld';

interface Cell {
  readonly value: number;
  /** How many requests the figure is about. */
  readonly pop: number;
  /** A count of requests (may be banded), or a sum over them (withheld when small). */
  readonly isCount: boolean;
  state: State;
}

interface Relation {
  readonly parent: Cell;
  readonly children: readonly Cell[];
  /** Requests of the parent in no child: never published. */
  readonly rest: number;
}

const COUNT_FIELDS = [
  'requests',
  'withData',
  'rejected',
  'narrowed',
  'emergency',
  'preservation',
  'removal',
  'removed',
  'restricted',
  'kept',
  'nonDisclosure',
  'refusedUnverified',
  'withdrawn',
  'pending',
] as const;
const SUM_FIELDS = ['accountsSpecified', 'items', 'usersNotified'] as const;
type Field = (typeof COUNT_FIELDS)[number] | (typeof SUM_FIELDS)[number];
type RowCells = Record<Field, Cell>;

const popOf = (sum: Sum, field: Field): number => {
  if (field === 'accountsSpecified') return sum.requests;
  if (field === 'items') return sum.removed + sum.restricted + sum.kept;
  if (field === 'usersNotified') return sum.requestsNotified;
  return sum[field];
};

function newCell(value: number, pop: number, isCount: boolean, k: number, hidden: boolean): Cell {
  const state: State = pop === 0 ? 'exact' : hidden ? 'withheld' : pop >= k ? 'exact' : isCount ? 'band' : 'withheld';
  return { value, pop, isCount, state };
}

/** A row's cells. A row about fewer than k requests (the whole period, a month) shows only its banded size. */
function rowCells(sum: Sum, k: number): RowCells {
  const small = sum.requests > 0 && sum.requests < k;
  const cells = {} as RowCells;
  for (const field of COUNT_FIELDS) cells[field] = newCell(sum[field], popOf(sum, field), true, k, small && field !== 'requests');
  for (const field of SUM_FIELDS) cells[field] = newCell(sum[field], popOf(sum, field), false, k, small);
  return cells;
}

const add = (a: Sum, b: Sum): Sum => {
  const out = emptySum();
  for (const key of Object.keys(out) as Array<keyof Sum>) out[key] = a[key] + b[key];
  return out;
};

/** Entries under k merged into OTHER, and more of the smallest until OTHER reaches k; the rest as they are. */
function mergeSmall(entries: ReadonlyArray<readonly [string, Sum]>, k: number): Array<{ key: string; sum: Sum; members: string[] }> {
  const sorted = [...entries].filter(([, sum]) => sum.requests > 0).sort(([a, x], [b, y]) => x.requests - y.requests || (a < b ? -1 : 1));
  const merged: Array<readonly [string, Sum]> = [];
  let rest = sorted;
  while (rest.length > 0) {
    const size = merged.reduce((total, [, sum]) => total + sum.requests, 0);
    const next = rest[0]!;
    if (next[1].requests < k || (size > 0 && size < k)) {
      merged.push(next);
      rest = rest.slice(1);
    } else break;
  }
  const shown = rest.map(([key, sum]) => ({ key, sum, members: [key] })).sort((a, b) => (a.key < b.key ? -1 : 1));
  if (merged.length > 0) {
    shown.push({ key: OTHER, sum: merged.reduce((total, [, sum]) => add(total, sum), emptySum()), members: merged.map(([key]) => key) });
  }
  return shown;
}

const hide = (cell: Cell) => {
  cell.state = 'withheld';
};

/** Makes one relation hold; true when it withheld something. */
function enforce(relation: Relation, k: number): boolean {
  const { parent, children, rest } = relation;
  const hidden = children.filter((child) => child.state !== 'exact' && child.pop > 0);
  const exact = children.filter((child) => child.state === 'exact' && child.pop > 0).sort((a, b) => a.pop - b.pop);
  const hiddenPop = rest + hidden.reduce((total, child) => total + child.pop, 0);
  const parentHidden = parent.state !== 'exact' && parent.pop > 0;
  const withholdOne = (): boolean => {
    const smallest = exact[0];
    if (smallest) {
      hide(smallest);
      return true;
    }
    if (parent.state === 'exact' && parent.pop > 0) {
      hide(parent);
      return true;
    }
    return false;
  };
  // Total minus its exact parts: about fewer than k requests.
  if (parent.state === 'exact' && hiddenPop > 0 && hiddenPop < k) return withholdOne();
  // One withheld figure alone in a relation is worked out from the others.
  const members = hidden.length + (rest > 0 ? 1 : 0) + (parentHidden ? 1 : 0);
  if (members === 1 && rest === 0) {
    const sole = parentHidden ? parent : hidden[0]!;
    if (sole.state === 'withheld') return withholdOne();
  }
  return false;
}

const published = (cell: Cell, k: number): Count =>
  cell.state === 'exact' ? cell.value : cell.state === 'band' ? { min: 1, max: Math.max(1, k - 1) } : null;

const shareOf = (part: Cell, whole: Cell): number | null =>
  part.state === 'exact' && whole.state === 'exact' && whole.value > 0 ? Math.round((part.value / whole.value) * 10_000) / 10_000 : null;

function presentRow(country: string, kind: RequestKind | typeof OTHER | 'all', cells: RowCells, k: number): ReportRow {
  const p = (field: Field) => published(cells[field], k);
  return {
    country,
    kind,
    requests: p('requests'),
    accountsSpecified: p('accountsSpecified'),
    withSomeData: p('withData'),
    withSomeDataShare: shareOf(cells.withData, cells.requests),
    rejected: p('rejected'),
    narrowed: p('narrowed'),
    emergency: p('emergency'),
    preservation: p('preservation'),
    removalOrders: p('removal'),
    removalActions: { removed: p('removed'), restricted: p('restricted'), kept: p('kept'), items: p('items') },
    nonDisclosure: p('nonDisclosure'),
    nonDisclosureShare: shareOf(cells.nonDisclosure, cells.requests),
    usersNotified: p('usersNotified'),
    refusedAsSuspicious: p('refusedUnverified'),
    withdrawn: p('withdrawn'),
    pending: p('pending'),
  };
}

/** The relations a reader can form inside one row: its requests against their outcomes, kinds and complements. */
function rowRelations(cells: RowCells, answered: Cell | undefined): Relation[] {
  const requests = cells.requests;
  const outcomes = [cells.withData, cells.rejected, cells.withdrawn, cells.pending];
  const outcomeRest = Math.max(0, requests.pop - outcomes.reduce((total, cell) => total + cell.pop, 0));
  const kinds = [cells.emergency, cells.preservation, cells.removal];
  const acted = [cells.removed, cells.restricted, cells.kept];
  const relations: Relation[] = [
    answered
      ? { parent: requests, children: [...outcomes, answered], rest: Math.max(0, outcomeRest - answered.pop) }
      : { parent: requests, children: outcomes, rest: outcomeRest },
    { parent: requests, children: kinds, rest: Math.max(0, requests.pop - kinds.reduce((total, cell) => total + cell.pop, 0)) },
    { parent: cells.removal, children: acted, rest: Math.max(0, cells.removal.pop - acted.reduce((total, cell) => total + cell.pop, 0)) },
    { parent: cells.rejected, children: [cells.refusedUnverified], rest: Math.max(0, cells.rejected.pop - cells.refusedUnverified.pop) },
  ];
  for (const field of [
    'withData',
    'rejected',
    'narrowed',
    'emergency',
    'preservation',
    'removal',
    'nonDisclosure',
    'refusedUnverified',
    'withdrawn',
    'pending',
  ] as const) {
    relations.push({ parent: requests, children: [cells[field]], rest: Math.max(0, requests.pop - cells[field].pop) });
  }
  for (const field of ['removed', 'restricted', 'kept'] as const) {
    relations.push({ parent: cells.removal, children: [cells[field]], rest: Math.max(0, cells.removal.pop - cells[field].pop) });
  }
  return relations;
}

/** Parent = sum of the children, field by field (the children cover the parent's requests). */
function hierarchy(parent: RowCells, children: readonly RowCells[]): Relation[] {
  return [...COUNT_FIELDS, ...SUM_FIELDS].map((field) => ({
    parent: parent[field],
    children: children.map((child) => child[field]),
    rest: Math.max(0, parent[field].pop - children.reduce((total, child) => total + child[field].pop, 0)),
  }));
}

/**
 * The public report for a published period: rows merged, counts banded and figures withheld so that nothing in it, nor
 * any total minus its parts, is about fewer than `threshold` requests.
 */
export function publicReport(
  facts: ReportFacts,
  options: {
    period: { from: string; to: string; label: string | null };
    computedAt: string;
    threshold: number;
    treeHead: TreeHeadJson | null;
  },
): TransparencyReport {
  const k = Math.max(0, options.threshold);
  const aggregates = aggregateFacts(facts);
  const relations: Relation[] = [];
  const totals = rowCells(aggregates.total, k);
  const totalSmall = aggregates.total.requests > 0 && aggregates.total.requests < k;

  // Countries, then the kinds of each: merged where small.
  const countryRows = totalSmall ? [] : mergeSmall([...aggregates.perCountry.entries()], k);
  const countries = countryRows.map((row) => ({ ...row, cells: rowCells(row.sum, k) }));
  const kindRows = countries.map((country) => {
    const perKind = new Map<RequestKind, Sum>();
    for (const member of country.members) {
      for (const kind of REQUEST_KINDS) {
        const sum = aggregates.perRow.get(`${member}\u0000${kind}`);
        if (sum) perKind.set(kind, add(perKind.get(kind) ?? emptySum(), sum));
      }
    }
    const rows = mergeSmall([...perKind.entries()], k)
      .map((row) => ({ country: country.key, kind: row.key as RequestKind | typeof OTHER, cells: rowCells(row.sum, k) }))
      .sort((a, b) => order(a.kind) - order(b.kind));
    relations.push(
      ...hierarchy(
        country.cells,
        rows.map((row) => row.cells),
      ),
    );
    for (const row of rows) relations.push(...rowRelations(row.cells, undefined));
    return rows;
  });
  relations.push(
    ...hierarchy(
      totals,
      countries.map((country) => country.cells),
    ),
  );
  for (const country of countries) relations.push(...rowRelations(country.cells, undefined));

  // The outcomes chart adds "answered without data" to what the totals row shows.
  const total = aggregates.total;
  const answeredValue = Math.max(0, total.requests - total.withData - total.rejected - total.withdrawn - total.pending);
  const answered = newCell(answeredValue, answeredValue, true, k, totalSmall);
  relations.push(...rowRelations(totals, answered));

  // Months: fixed cells of the period, each with its own requests, produced and rejected.
  const months = monthsBetween(options.period.from, options.period.to).map((month) => {
    const found = aggregates.perMonth.get(month) ?? { requests: 0, withData: 0, rejected: 0 };
    const small = found.requests > 0 && found.requests < k;
    return {
      month,
      requests: newCell(found.requests, found.requests, true, k, false),
      withData: newCell(found.withData, found.withData, true, k, small),
      rejected: newCell(found.rejected, found.rejected, true, k, small),
    };
  });
  for (const field of ['requests', 'withData', 'rejected'] as const) {
    const parent = totals[field];
    relations.push({
      parent,
      children: months.map((month) => month[field]),
      rest: Math.max(0, parent.pop - months.reduce((sum, month) => sum + month[field].pop, 0)),
    });
  }
  for (const month of months) {
    for (const field of ['withData', 'rejected'] as const) {
      relations.push({ parent: month.requests, children: [month[field]], rest: Math.max(0, month.requests.pop - month[field].pop) });
    }
  }

  // The Korean categories, only under a row of Korea's own (within "other" they would tell Korea's size).
  const korea = countries.find((country) => country.key === 'KR');
  const categories = KOREAN_CATEGORIES.map((entry) => {
    const found = aggregates.korea.get(entry.category) ?? { requests: 0, processed: 0, accounts: 0 };
    const small = found.requests > 0 && found.requests < k;
    return {
      entry,
      requests: newCell(found.requests, found.requests, true, k, !korea),
      processed: newCell(found.processed, found.processed, true, k, !korea || small),
      accounts: newCell(found.accounts, found.processed, false, k, !korea || small),
    };
  });
  if (korea) {
    const parent = korea.cells.requests;
    relations.push({
      parent,
      children: categories.map((row) => row.requests),
      rest: Math.max(0, parent.pop - categories.reduce((sum, row) => sum + row.requests.pop, 0)),
    });
    for (const row of categories)
      relations.push({ parent: row.requests, children: [row.processed], rest: Math.max(0, row.requests.pop - row.processed.pop) });
  }

  // Withholding only ever grows, so this ends.
  for (let changed = true; changed;) {
    changed = false;
    for (const relation of relations) if (enforce(relation, k)) changed = true;
  }

  const countryReport = countries.map((country) => presentRow(country.key, 'all', country.cells, k));
  return {
    format: 'writ-transparency-report/1',
    audience: 'public',
    period: options.period,
    computedAt: options.computedAt,
    banding: { below: k },
    treeHead: options.treeHead,
    totals: presentRow('all', 'all', totals, k),
    countries: countryReport,
    rows: kindRows.flat().map((row) => presentRow(row.country, row.kind, row.cells, k)),
    korea: categories.map((row): KoreanRow => ({
      category: row.entry.category,
      ko: row.entry.ko,
      en: row.entry.en,
      requests: published(row.requests, k),
      processed: published(row.processed, k),
      accounts: published(row.accounts, k),
    })),
    series: {
      overTime: months.map((month) => ({
        month: month.month,
        requests: published(month.requests, k),
        withSomeData: published(month.withData, k),
        rejected: published(month.rejected, k),
      })),
      byCountry: countryReport.map((row) => ({ country: row.country, requests: row.requests })),
      byOutcome: [
        { outcome: 'data_produced', requests: published(totals.withData, k) },
        { outcome: 'answered_without_data', requests: published(answered, k) },
        { outcome: 'rejected', requests: published(totals.rejected, k) },
        { outcome: 'withdrawn', requests: published(totals.withdrawn, k) },
        { outcome: 'pending', requests: published(totals.pending, k) },
      ],
    },
    definitions: DEFINITIONS,
  };
}

const order = (kind: RequestKind | typeof OTHER) => (kind === OTHER ? REQUEST_KINDS.length : REQUEST_KINDS.indexOf(kind));
