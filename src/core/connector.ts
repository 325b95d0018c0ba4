/**
 * The platform side of a production. A connector resolves identifiers to accounts and streams one category of one
 * account's records within a range; it answers "not held", "end-to-end encrypted", "outside retention", "no records"
 * and "no such account" as different answers, never as an empty file. `scopedConnector` is the one place that keeps a
 * production inside what was approved.
 */
import type { NormalizedIdentifier } from './identifiers.ts';
import type { DateRange, DecisionRecord, RequestRecord } from './model.ts';
import type { EncodedRecords } from './ports.ts';
import type { DataCategory } from './request.ts';

export interface PlatformAccount {
  readonly id: string;
  /** How the platform names the account (a username), for the reviewer and the package. */
  readonly label: string;
}

export type ResolveOutcome =
  | { readonly status: 'found'; readonly accounts: readonly PlatformAccount[] }
  | { readonly status: 'not_found'; readonly tried: NormalizedIdentifier };

export type Unavailable = 'not_held' | 'end_to_end_encrypted' | 'outside_retention' | 'no_records';

export type ProduceOutcome =
  | {
      readonly status: 'records';
      readonly columns: readonly string[];
      readonly records: AsyncIterable<Readonly<Record<string, unknown>>>;
      /**
       * The same records encoded by the platform's database, when it can (PostgreSQL `COPY`): much faster than
       * encoding each record here. Opening it reads the platform; `records` is then not read.
       */
      readonly encoded?: () => Promise<EncodedRecords>;
    }
  | { readonly status: Unavailable; readonly detail: string };

/** What a removal order asks of one item of content. */
export type RemovalAction = 'removed' | 'restricted' | 'kept';

/**
 * What the platform did with one item of content. `not_supported`: this connector cannot act on the platform (it reads
 * it only), so the desk must act there by hand; a distinct answer, never a silent success.
 */
export type ActOutcome =
  | { readonly status: 'done'; readonly contentId: string; readonly authorAccountId: string | null; readonly detail: string }
  | { readonly status: 'not_found'; readonly detail: string }
  | { readonly status: 'not_supported'; readonly detail: string };

export interface PlatformConnector {
  readonly name: string;
  resolve(identifier: NormalizedIdentifier): Promise<ResolveOutcome>;
  produce(category: DataCategory, accountId: string, range: DateRange): Promise<ProduceOutcome>;
  /** Where the platform reaches the person behind an account, to notify them; undefined when it holds no address. */
  contact?(accountId: string): Promise<{ readonly email: string } | undefined>;
  /**
   * Acts on one item of content named by URL or id: removes it, withholds it in `countries`, or (kept) only finds it.
   * Safe to repeat: acting again on content already acted on changes nothing more.
   */
  act?(
    action: RemovalAction,
    content: NormalizedIdentifier,
    options: { readonly countries: readonly string[]; readonly reference: string },
  ): Promise<ActOutcome>;
}

export interface ApprovedItem {
  readonly targetId: string;
  readonly category: DataCategory;
  readonly range: DateRange;
}

/**
 * What a decision lets a production read: each approved target × category, with the narrower range the desk set or
 * else the range asked for. A pair without any range is not producible (nothing bounds it) and is left out.
 */
export function approvedItems(
  request: Pick<RequestRecord, 'dateRange'>,
  decision: Pick<DecisionRecord, 'outcome' | 'items'>,
): ApprovedItem[] {
  if (decision.outcome === 'rejected') return [];
  return decision.items.flatMap((item) => {
    const range = item.dateRange ?? request.dateRange;
    return item.approved && range ? [{ targetId: item.targetId, category: item.category, range }] : [];
  });
}

export class ScopeViolation extends Error {
  override readonly name = 'ScopeViolation';
}

const within = (inner: DateRange, outer: DateRange) =>
  Date.parse(inner.from) >= Date.parse(outer.from) &&
  Date.parse(inner.to) <= Date.parse(outer.to) &&
  Date.parse(inner.from) <= Date.parse(inner.to);

/**
 * A connector that can only read the approved scope: an approved target × category, an account that target resolved
 * to, and a range inside the approved one. Anything else throws before the platform is touched.
 */
export function scopedConnector(connector: PlatformConnector, items: readonly ApprovedItem[]) {
  const resolved = new Map<string, Set<string>>();
  const approved = new Map(items.map((item) => [`${item.targetId}/${item.category}`, item]));
  const targets = new Set(items.map((item) => item.targetId));
  return {
    async resolve(targetId: string, identifier: NormalizedIdentifier): Promise<ResolveOutcome> {
      if (!targets.has(targetId)) throw new ScopeViolation('This target is not approved for production.');
      const outcome = await connector.resolve(identifier);
      if (outcome.status === 'found') resolved.set(targetId, new Set(outcome.accounts.map((account) => account.id)));
      return outcome;
    },
    async produce(targetId: string, category: DataCategory, accountId: string, range: DateRange): Promise<ProduceOutcome> {
      const item = approved.get(`${targetId}/${category}`);
      if (!item) throw new ScopeViolation(`${category} data of this target is not approved.`);
      if (!resolved.get(targetId)?.has(accountId)) throw new ScopeViolation('This account is not one the target resolved to.');
      if (!within(range, item.range)) throw new ScopeViolation('The range is outside the approved range.');
      return connector.produce(category, accountId, range);
    },
  };
}
