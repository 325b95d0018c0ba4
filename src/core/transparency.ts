/**
 * The transparency report, worked out from per-request facts (migration 0021) and audit events: per country (the
 * jurisdiction whose law a request invokes) and kind — requests, accounts specified, the share with some data produced,
 * rejected and narrowed, emergency, preservation and removal orders with what was done, non-disclosure orders, users
 * notified, requests refused while their requester was unconfirmed; the four Korean categories that Kakao and Naver
 * publish; and the series a chart needs. Small counts can be banded, as many published reports do. Pure.
 */
import { csvLine } from './bag.ts';
import type { TreeHeadJson } from './audit-log.ts';
import { REQUEST_KINDS, type InstrumentType, type RequestKind } from './request.ts';

/** One group of requests sharing country, kind, instrument and the month they came in, with what is counted of them. */
export interface FactGroup {
  readonly jurisdiction: string;
  readonly kind: RequestKind;
  readonly instrumentType: InstrumentType;
  /** YYYY-MM, UTC. */
  readonly month: string;
  readonly requests: number;
  readonly accountsSpecified: number;
  /** Requests whose production held at least one record. */
  readonly withData: number;
  /** Requests approved in whole or in part. */
  readonly processed: number;
  /** Accounts specified by the requests approved in whole or in part. */
  readonly processedAccounts: number;
  readonly rejected: number;
  /** Approved in part only: the rest of what was asked for was refused. */
  readonly narrowed: number;
  readonly nonDisclosure: number;
  /** Rejected while verification held them: the requester could not be confirmed (suspected forged or hijacked). */
  readonly refusedUnverified: number;
  readonly withdrawn: number;
  /** Still open. */
  readonly pending: number;
}

export interface ReportFacts {
  readonly groups: readonly FactGroup[];
  /** Distinct (request, target) pairs notified, per country and kind (`notice.sent` events). */
  readonly notices: ReadonlyArray<{
    readonly jurisdiction: string;
    readonly kind: RequestKind;
    readonly usersNotified: number;
    /** The requests those users were notified of: the number of requests the figure is about. */
    readonly requestsNotified: number;
  }>;
  /** Removal orders by the last action taken on each (`removal.actioned` events). */
  readonly removals: ReadonlyArray<{
    readonly jurisdiction: string;
    readonly action: RemovalAction;
    readonly orders: number;
    readonly items: number;
  }>;
}

export const REMOVAL_ACTIONS = ['removed', 'restricted', 'kept'] as const;
export type RemovalAction = (typeof REMOVAL_ACTIONS)[number];

/**
 * A count as published: exact, a band when it is small and banding is on, or null when the public report withholds
 * it (it would let a reader work out a figure about fewer requests than the threshold).
 */
export type Count = number | { readonly min: number; readonly max: number } | null;

export interface ReportRow {
  readonly country: string;
  /** A kind, all kinds, or `other`: the kinds (or countries) too small to show alone, merged (public report). */
  readonly kind: RequestKind | 'all' | 'other';
  readonly requests: Count;
  readonly accountsSpecified: Count;
  readonly withSomeData: Count;
  /** Of all requests: the share with some data produced (0–1), or null when it rests on a banded count. */
  readonly withSomeDataShare: number | null;
  readonly rejected: Count;
  readonly narrowed: Count;
  readonly emergency: Count;
  readonly preservation: Count;
  readonly removalOrders: Count;
  readonly removalActions: { readonly removed: Count; readonly restricted: Count; readonly kept: Count; readonly items: Count };
  readonly nonDisclosure: Count;
  readonly nonDisclosureShare: number | null;
  readonly usersNotified: Count;
  readonly refusedAsSuspicious: Count;
  readonly withdrawn: Count;
  readonly pending: Count;
}

/** Kakao's and Naver's four legal categories (korea-transparency data), by the instrument a Korean request invokes. */
export const KOREAN_CATEGORIES = [
  { category: 'seizure_warrant', ko: '압수수색영장', en: 'Search and seizure warrants', instruments: ['search_warrant'] },
  {
    category: 'comm_confirmation_data',
    ko: '통신사실확인자료',
    en: 'Communication confirmation data (logs, IP; court permission)',
    instruments: ['communication_confirmation_permit'],
  },
  {
    category: 'comm_restriction',
    ko: '통신제한조치',
    en: 'Interception (communication restriction measures)',
    instruments: ['interception_order'],
  },
  {
    category: 'comm_user_information',
    ko: '통신이용자정보 (통신자료)',
    en: 'Subscriber data (written request, TBA Art. 83(3))',
    instruments: ['letter'],
  },
] as const satisfies ReadonlyArray<{ category: string; ko: string; en: string; instruments: readonly InstrumentType[] }>;

export type KoreanCategory = (typeof KOREAN_CATEGORIES)[number]['category'];

export interface KoreanRow {
  readonly category: KoreanCategory;
  readonly ko: string;
  readonly en: string;
  readonly requests: Count;
  readonly processed: Count;
  /** Accounts specified by the processed requests (계정수). */
  readonly accounts: Count;
}

export const OUTCOMES = ['data_produced', 'answered_without_data', 'rejected', 'withdrawn', 'pending'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface TransparencyReport {
  readonly format: 'writ-transparency-report/1';
  /**
   * public: what anyone may read (a published period, small cells merged, banded or withheld); internal: the
   * operator's report from `writ report --internal`, exact unless banding is asked for, never to be published as is.
   */
  readonly audience: 'public' | 'internal';
  readonly period: { readonly from: string; readonly to: string; readonly label: string | null };
  readonly computedAt: string;
  readonly banding: { readonly below: number };
  /** The audit log's signed tree head the numbers were computed under. */
  readonly treeHead: TreeHeadJson | null;
  readonly totals: ReportRow;
  /** One per country, all kinds together. */
  readonly countries: readonly ReportRow[];
  /** One per country and kind. */
  readonly rows: readonly ReportRow[];
  readonly korea: readonly KoreanRow[];
  readonly series: {
    readonly overTime: ReadonlyArray<{
      readonly month: string;
      readonly requests: Count;
      readonly withSomeData: Count;
      readonly rejected: Count;
    }>;
    readonly byCountry: ReadonlyArray<{ readonly country: string; readonly requests: Count }>;
    readonly byOutcome: ReadonlyArray<{ readonly outcome: Outcome; readonly requests: Count }>;
  };
  readonly definitions: Readonly<Record<string, string>>;
}

export const DEFINITIONS: Readonly<Record<string, string>> = {
  country: 'The jurisdiction whose law the request invokes (ISO 3166 code, or EU / CoE for their instruments).',
  requests: 'Requests received in the period (by the time each was received, UTC).',
  accountsSpecified: 'Targets the requests named (usernames, emails, phone numbers, ...), as the agency wrote them.',
  withSomeData: 'Requests whose production held at least one record.',
  rejected: 'Requests refused in whole.',
  narrowed: 'Requests approved in part only (the rest refused): challenged and narrowed.',
  emergency: 'Emergency requests (danger to life or limb, legal process to follow).',
  preservation: 'Preservation requests.',
  removalOrders: 'Content removal orders; removalActions: the last action taken on each (removed, restricted, kept) and items acted on.',
  nonDisclosure: 'Requests that came with an order not to tell the user.',
  usersNotified: 'Accounts whose holder was notified of the request.',
  refusedAsSuspicious: 'Requests refused while verification held them because their sender could not be confirmed (forged or suspicious).',
  withdrawn: 'Requests the agency withdrew.',
  pending: 'Requests still open when the report was computed.',
  korea:
    'Requests under Korean law in the four categories Korean platforms publish: requests, processed (approved in whole or in part), accounts (specified by the processed requests).',
  banding: 'With banding on, a count from 1 to below−1 is given as that band, and a share resting on it is left out.',
  withheld:
    'In the public report, a country or kind with fewer requests than the threshold is merged into "other"; a figure that would let a reader work out something about fewer requests than that (from a total and its parts) is withheld (null, "withheld" in the CSV).',
};

export function band(value: number, below: number): number | { readonly min: number; readonly max: number } {
  return below > 1 && value > 0 && value < below ? { min: 1, max: below - 1 } : value;
}

const share = (part: number, whole: number, below: number): number | null => {
  if (whole === 0) return null;
  if (typeof band(part, below) !== 'number' || typeof band(whole, below) !== 'number') return null;
  return Math.round((part / whole) * 10_000) / 10_000;
};

/** Raw sums over a set of requests (not for publication as they are). */
export interface Sum {
  requests: number;
  accountsSpecified: number;
  withData: number;
  processed: number;
  processedAccounts: number;
  rejected: number;
  narrowed: number;
  nonDisclosure: number;
  refusedUnverified: number;
  withdrawn: number;
  pending: number;
  emergency: number;
  preservation: number;
  removal: number;
  usersNotified: number;
  requestsNotified: number;
  removed: number;
  restricted: number;
  kept: number;
  items: number;
}

export const emptySum = (): Sum => ({
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
  emergency: 0,
  preservation: 0,
  removal: 0,
  usersNotified: 0,
  requestsNotified: 0,
  removed: 0,
  restricted: 0,
  kept: 0,
  items: 0,
});

export function addGroup(sum: Sum, group: FactGroup) {
  sum.requests += group.requests;
  sum.accountsSpecified += group.accountsSpecified;
  sum.withData += group.withData;
  sum.processed += group.processed;
  sum.processedAccounts += group.processedAccounts;
  sum.rejected += group.rejected;
  sum.narrowed += group.narrowed;
  sum.nonDisclosure += group.nonDisclosure;
  sum.refusedUnverified += group.refusedUnverified;
  sum.withdrawn += group.withdrawn;
  sum.pending += group.pending;
  if (group.kind === 'emergency') sum.emergency += group.requests;
  if (group.kind === 'preservation') sum.preservation += group.requests;
  if (group.kind === 'removal') sum.removal += group.requests;
}

function rowOf(country: string, kind: RequestKind | 'all', sum: Sum, below: number): ReportRow {
  const b = (value: number) => band(value, below);
  return {
    country,
    kind,
    requests: b(sum.requests),
    accountsSpecified: b(sum.accountsSpecified),
    withSomeData: b(sum.withData),
    withSomeDataShare: share(sum.withData, sum.requests, below),
    rejected: b(sum.rejected),
    narrowed: b(sum.narrowed),
    emergency: b(sum.emergency),
    preservation: b(sum.preservation),
    removalOrders: b(sum.removal),
    removalActions: { removed: b(sum.removed), restricted: b(sum.restricted), kept: b(sum.kept), items: b(sum.items) },
    nonDisclosure: b(sum.nonDisclosure),
    nonDisclosureShare: share(sum.nonDisclosure, sum.requests, below),
    usersNotified: b(sum.usersNotified),
    refusedAsSuspicious: b(sum.refusedUnverified),
    withdrawn: b(sum.withdrawn),
    pending: b(sum.pending),
  };
}

const byKey = <T>(map: Map<string, T>, key: string, make: () => T): T => {
  let found = map.get(key);
  if (!found) {
    found = make();
    map.set(key, found);
  }
  return found;
};

/** The raw sums a report is made of: the whole period, per country, per country and kind, per month, per Korean category. */
export interface Aggregates {
  readonly total: Sum;
  readonly perCountry: ReadonlyMap<string, Sum>;
  /** Keyed `country\u0000kind`. */
  readonly perRow: ReadonlyMap<string, Sum>;
  readonly perMonth: ReadonlyMap<string, { requests: number; withData: number; rejected: number }>;
  readonly korea: ReadonlyMap<string, { requests: number; processed: number; accounts: number }>;
}

/** Adds up the facts of a period. */
export function aggregateFacts(facts: ReportFacts): Aggregates {
  const total = emptySum();
  const perCountry = new Map<string, Sum>();
  const perRow = new Map<string, Sum>();
  const perMonth = new Map<string, { requests: number; withData: number; rejected: number }>();
  const korea = new Map<string, { requests: number; processed: number; accounts: number }>();
  for (const group of facts.groups) {
    addGroup(total, group);
    addGroup(byKey(perCountry, group.jurisdiction, emptySum), group);
    addGroup(byKey(perRow, `${group.jurisdiction}\u0000${group.kind}`, emptySum), group);
    const month = byKey(perMonth, group.month, () => ({ requests: 0, withData: 0, rejected: 0 }));
    month.requests += group.requests;
    month.withData += group.withData;
    month.rejected += group.rejected;
    const category = group.jurisdiction === 'KR' ? koreanCategoryOf(group.instrumentType) : undefined;
    if (category) {
      const row = byKey(korea, category, () => ({ requests: 0, processed: 0, accounts: 0 }));
      row.requests += group.requests;
      row.processed += group.processed;
      row.accounts += group.processedAccounts;
    }
  }
  for (const notice of facts.notices) {
    for (const sum of [total, perCountry.get(notice.jurisdiction), perRow.get(`${notice.jurisdiction}\u0000${notice.kind}`)]) {
      if (!sum) continue;
      sum.usersNotified += notice.usersNotified;
      sum.requestsNotified += notice.requestsNotified;
    }
  }
  for (const removal of facts.removals) {
    for (const sum of [total, perCountry.get(removal.jurisdiction), perRow.get(`${removal.jurisdiction}\u0000removal`)]) {
      if (!sum) continue;
      sum[removal.action] += removal.orders;
      sum.items += removal.items;
    }
  }
  return { total, perCountry, perRow, perMonth, korea };
}

/**
 * The operator's report for a period from the facts of the requests received in it: exact, or with small counts
 * banded when asked. Not for the public as it is: see `publicReport` (report-disclosure.ts).
 */
export function buildReport(
  facts: ReportFacts,
  options: {
    period: { from: string; to: string; label: string | null };
    computedAt: string;
    bandBelow: number;
    treeHead: TreeHeadJson | null;
  },
): TransparencyReport {
  const below = options.bandBelow;
  const { total, perCountry, perRow, perMonth, korea } = aggregateFacts(facts);
  const countries = [...perCountry.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const rows = [...perRow.entries()]
    .map(([key, sum]) => {
      const [country, kind] = key.split('\u0000') as [string, RequestKind];
      return { country, kind, sum };
    })
    .sort((a, b) =>
      a.country === b.country ? REQUEST_KINDS.indexOf(a.kind) - REQUEST_KINDS.indexOf(b.kind) : a.country < b.country ? -1 : 1,
    );
  const answeredWithoutData = total.requests - total.withData - total.rejected - total.withdrawn - total.pending;
  return {
    format: 'writ-transparency-report/1',
    audience: 'internal',
    period: options.period,
    computedAt: options.computedAt,
    banding: { below },
    treeHead: options.treeHead,
    totals: rowOf('all', 'all', total, below),
    countries: countries.map(([country, sum]) => rowOf(country, 'all', sum, below)),
    rows: rows.map((row) => rowOf(row.country, row.kind, row.sum, below)),
    korea: KOREAN_CATEGORIES.map((entry) => {
      const row = korea.get(entry.category) ?? { requests: 0, processed: 0, accounts: 0 };
      return {
        category: entry.category,
        ko: entry.ko,
        en: entry.en,
        requests: band(row.requests, below),
        processed: band(row.processed, below),
        accounts: band(row.accounts, below),
      };
    }),
    series: {
      overTime: monthsBetween(options.period.from, options.period.to).map((month) => {
        const found = perMonth.get(month) ?? { requests: 0, withData: 0, rejected: 0 };
        return {
          month,
          requests: band(found.requests, below),
          withSomeData: band(found.withData, below),
          rejected: band(found.rejected, below),
        };
      }),
      byCountry: countries.map(([country, sum]) => ({ country, requests: band(sum.requests, below) })),
      byOutcome: [
        { outcome: 'data_produced', requests: band(total.withData, below) },
        { outcome: 'answered_without_data', requests: band(Math.max(0, answeredWithoutData), below) },
        { outcome: 'rejected', requests: band(total.rejected, below) },
        { outcome: 'withdrawn', requests: band(total.withdrawn, below) },
        { outcome: 'pending', requests: band(total.pending, below) },
      ],
    },
    definitions: DEFINITIONS,
  };
}

export function koreanCategoryOf(instrument: InstrumentType): KoreanCategory | undefined {
  return KOREAN_CATEGORIES.find((entry) => (entry.instruments as readonly InstrumentType[]).includes(instrument))?.category;
}

/** Every month (YYYY-MM, UTC) that [from, to) touches, at most 600. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  const start = new Date(from);
  const end = Date.parse(to);
  for (let at = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1); at < end && months.length < 600;) {
    const date = new Date(at);
    months.push(`${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`);
    at = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  }
  return months;
}

/** A half-year ("2025-H2") as the range [from, to) in UTC. */
export function halfYear(label: string): { from: string; to: string; label: string } | undefined {
  const match = /^(\d{4})-H([12])$/.exec(label);
  if (!match) return undefined;
  const year = Number(match[1]);
  return match[2] === '1'
    ? { from: `${year}-01-01T00:00:00.000Z`, to: `${year}-07-01T00:00:00.000Z`, label }
    : { from: `${year}-07-01T00:00:00.000Z`, to: `${year + 1}-01-01T00:00:00.000Z`, label };
}

/** The half-year an instant falls in. */
export function halfYearOf(at: Date): string {
  return `${at.getUTCFullYear()}-H${at.getUTCMonth() < 6 ? 1 : 2}`;
}

export const countText = (count: Count): string =>
  count === null ? 'withheld' : typeof count === 'number' ? String(count) : `${count.min}-${count.max}`;
const shareText = (value: number | null): string => (value === null ? '' : value.toFixed(4));

export const CSV_COLUMNS = [
  'section',
  'country',
  'kind',
  'category',
  'requests',
  'accounts_specified',
  'with_some_data',
  'with_some_data_share',
  'rejected',
  'narrowed',
  'emergency',
  'preservation',
  'removal_orders',
  'removed',
  'restricted',
  'kept',
  'removal_items',
  'non_disclosure',
  'non_disclosure_share',
  'users_notified',
  'refused_as_suspicious',
  'withdrawn',
  'pending',
  'processed',
  'processed_accounts',
] as const;

/** The report as CSV: the total, each country, each country and kind, then the Korean categories. */
export function reportCsv(report: TransparencyReport): string {
  const line = (section: string, row: ReportRow) =>
    csvLine([
      section,
      row.country,
      row.kind,
      '',
      countText(row.requests),
      countText(row.accountsSpecified),
      countText(row.withSomeData),
      shareText(row.withSomeDataShare),
      countText(row.rejected),
      countText(row.narrowed),
      countText(row.emergency),
      countText(row.preservation),
      countText(row.removalOrders),
      countText(row.removalActions.removed),
      countText(row.removalActions.restricted),
      countText(row.removalActions.kept),
      countText(row.removalActions.items),
      countText(row.nonDisclosure),
      shareText(row.nonDisclosureShare),
      countText(row.usersNotified),
      countText(row.refusedAsSuspicious),
      countText(row.withdrawn),
      countText(row.pending),
      '',
      '',
    ]);
  return [
    csvLine(CSV_COLUMNS),
    line('total', report.totals),
    ...report.countries.map((row) => line('country', row)),
    ...report.rows.map((row) => line('country_kind', row)),
    ...report.korea.map((row) =>
      csvLine([
        'korea',
        'KR',
        'all',
        `${row.category} ${row.ko}`,
        countText(row.requests),
        ...Array.from({ length: CSV_COLUMNS.length - 7 }, () => ''),
        countText(row.processed),
        countText(row.accounts),
      ]),
    ),
  ].join('');
}
