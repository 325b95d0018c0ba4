/**
 * Builds the package for an approved request: resolve each approved target, stream each approved category within the
 * approved range through the scoped connector, write and sign the bag, then deliver. Run by the `request.produce` job;
 * safe to run again: a completed production is never rebuilt, a failed one is rebuilt under the same id, and of two
 * attempts running at once (a job taken for dead while it still ran) only the later one completes.
 *
 * Where a preservation of the same agency sealed a copy of a target's records covering the approved range, the records
 * come from that copy: what was preserved is what is produced, even after the platform's own retention dropped it.
 *
 * A prospective order is produced in parts: each covers the window of its authorised period since the last one, and
 * schedules the next; the part that reaches the end of the period delivers the request, so it stops by itself.
 */
import { SYSTEM_ACTOR } from '../core/actor.ts';
import {
  approvedItems,
  scopedConnector,
  ScopeViolation,
  type ApprovedItem,
  type PlatformConnector,
  type ProduceOutcome,
} from '../core/connector.ts';
import { csvLine } from '../core/bag.ts';
import { normalizeIdentifier } from '../core/identifiers.ts';
import type { DateRange, DecisionRecord, ProductionOutcome, ProductionRecord, RequestRecord } from '../core/model.ts';
import type { BagSectionInput, Clock, EvidenceStore, FileStore, PreservedCopy, Repositories, Transactor } from '../core/ports.ts';
import { timeColumnOf } from '../core/preservation.ts';
import type { DataCategory } from '../core/request.ts';
import { deliveryReceipt, type ReceiptDeps } from './audit-log.ts';
import { applyTransition } from './common.ts';

export const COLLECT_TOPIC = 'prospective.collect';

export interface RunProductionDeps extends Omit<ReceiptDeps, 'store'> {
  readonly store: Transactor<
    Pick<
      Repositories,
      'requests' | 'decisions' | 'productions' | 'organisations' | 'preservations' | 'schedule' | 'audit' | 'outbox' | 'auditTree'
    >
  >;
  readonly connector: PlatformConnector;
  readonly evidence: EvidenceStore;
  readonly files: Pick<FileStore, 'open'>;
  readonly clock: Clock;
  /** How long the package stays downloadable. */
  readonly availableDays: number;
  /** How often a prospective order delivers what appeared since its last part. */
  readonly prospectiveIntervalMinutes: number;
}

/** An iterable that counts what passes through it; `undefined` when it holds nothing at all. */
async function counted(records: AsyncIterable<Readonly<Record<string, unknown>>>, counter: { records: number }) {
  const iterator = records[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return undefined;
  return (async function* () {
    let finished = false;
    try {
      counter.records += 1;
      yield first.value;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        counter.records += 1;
        yield next.value;
      }
      finished = true;
    } finally {
      // A reader that stops early (a failed write) gives the source back, so its connection is released.
      if (!finished) await iterator.return?.();
    }
  })();
}

/** The JSON Lines of a stored file, one record per line. */
export async function* jsonLines(source: AsyncIterable<Uint8Array>): AsyncIterable<Record<string, unknown>> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of source) {
    buffered += decoder.decode(chunk, { stream: true });
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.length > 0) yield JSON.parse(line) as Record<string, unknown>;
      newline = buffered.indexOf('\n');
    }
  }
  buffered += decoder.decode();
  if (buffered.length > 0) yield JSON.parse(buffered) as Record<string, unknown>;
}

const covers = (outer: DateRange, inner: DateRange) =>
  Date.parse(outer.from) <= Date.parse(inner.from) && Date.parse(outer.to) >= Date.parse(inner.to);

/**
 * The connector, reading from a sealed copy of this agency's preservations where one covers what is asked: records
 * cut to the asked range by their time column (subscriber data has none and is taken whole). A copy that cannot be
 * cut to a narrower range is not used, so nothing outside the approved range leaves.
 */
function preservedFirst(
  connector: PlatformConnector,
  copies: (accountId: string, category: DataCategory) => Promise<PreservedCopy[]>,
  files: Pick<FileStore, 'open'>,
  used: Map<string, PreservedCopy>,
): PlatformConnector {
  return {
    ...connector,
    name: connector.name,
    resolve: (identifier) => connector.resolve(identifier),
    async produce(category, accountId, range): Promise<ProduceOutcome> {
      for (const copy of await copies(accountId, category)) {
        if (!copy.sha256 || !covers(copy.range, range)) continue;
        const column = timeColumnOf(category, copy.columns);
        const exact = copy.range.from === range.from && copy.range.to === range.to;
        if (category !== 'subscriber' && !column && !exact) continue;
        const from = Date.parse(range.from);
        const to = Date.parse(range.to);
        const sha256 = copy.sha256;
        const records = (async function* () {
          for await (const record of jsonLines(files.open(sha256))) {
            const at = column ? Date.parse(String(record[column])) : Number.NaN;
            if (column && (Number.isNaN(at) || at < from || at > to)) continue;
            yield record;
          }
        })();
        used.set(`${accountId}/${category}`, copy);
        return { status: 'records', columns: copy.columns, records };
      }
      return connector.produce(category, accountId, range);
    },
  };
}

const safeFolderPart = (label: string) => label.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);

/** Moves the request from `producing` to `delivered` inside the caller's transaction; a no-op in any other state. */
async function deliverIn(
  repositories: Pick<Repositories, 'requests' | 'audit' | 'outbox'>,
  requestId: string,
): Promise<RequestRecord | undefined> {
  const request = await repositories.requests.find({ kind: 'desk' }, requestId);
  return request?.state === 'producing' ? applyTransition(repositories, SYSTEM_ACTOR, request, 'deliver') : request;
}

async function decisionOf(deps: RunProductionDeps, request: RequestRecord): Promise<DecisionRecord | undefined> {
  return (await deps.store.read.decisions.list(request.id)).filter((item) => item.outcome !== 'rejected').at(-1);
}

export async function runProduction(
  deps: RunProductionDeps,
  input: { requestId: string; part?: unknown },
): Promise<RequestRecord | undefined> {
  const request = await deps.store.read.requests.find({ kind: 'desk' }, input.requestId);
  if (request?.state !== 'producing') return undefined;
  const decision = await decisionOf(deps, request);
  if (!decision) return undefined;
  if (request.kind === 'prospective') {
    const part = typeof input.part === 'number' && Number.isInteger(input.part) && input.part >= 0 ? input.part : 0;
    return runProspectivePart(deps, request, decision, part);
  }
  const production = await deps.store.transaction((repositories) => repositories.productions.claim(request.id, decision.id));
  if (production.state === 'completed') return deps.store.transaction((repositories) => deliverIn(repositories, request.id));
  const built = await buildPackage(deps, request, decision, production, approvedItems(request, decision));
  if (!built) return undefined;
  const delivered = await deps.store.transaction(async (repositories) => {
    const completed = await completeIn(repositories, deps, request, production, built);
    // Another attempt of the same production completed it: that one delivers.
    if (!completed) return repositories.requests.find({ kind: 'desk' }, request.id);
    return deliverIn(repositories, request.id);
  });
  await receiptFor(deps, request, production);
  return delivered;
}

/**
 * The delivery's receipt: its event placed under a freshly signed tree head, with the inclusion proof. Should this fail
 * (the delivery is committed already), the receipt is made when the production is next read or downloaded.
 */
async function receiptFor(deps: RunProductionDeps, request: RequestRecord, production: ProductionRecord): Promise<void> {
  await deliveryReceipt(deps, { productionId: production.id, requestId: request.id }).catch(() => undefined);
}

interface Built {
  readonly written: { tagManifestSha256: string; keyFingerprint: string; payloadBytes: number };
  readonly outcomes: ProductionOutcome[];
  readonly copiesUsed: PreservedCopy[];
}

/** Records a finished build, if this attempt is the one that counts; false when another attempt got there first. */
async function completeIn(
  repositories: Pick<Repositories, 'productions' | 'audit'>,
  deps: RunProductionDeps,
  request: RequestRecord,
  production: ProductionRecord,
  built: Built,
): Promise<boolean> {
  const now = deps.clock.now();
  const completed = await repositories.productions.complete(production.id, {
    ...built.written,
    outcomes: built.outcomes,
    availableUntil: new Date(now.getTime() + deps.availableDays * 86_400_000),
    at: now,
    attempt: production.attempts,
  });
  if (!completed) return false;
  await repositories.audit.append(SYSTEM_ACTOR, {
    type: 'production.completed',
    requestId: request.id,
    data: {
      productionId: production.id,
      tagManifestSha256: built.written.tagManifestSha256,
      keyFingerprint: built.written.keyFingerprint,
      records: built.outcomes.reduce((sum, outcome) => sum + outcome.records, 0),
    },
  });
  for (const preservationId of new Set(built.copiesUsed.map((copy) => copy.preservationId))) {
    await repositories.audit.append(SYSTEM_ACTOR, {
      type: 'preservation.copy_used',
      requestId: request.id,
      data: { preservationId, productionId: production.id },
    });
  }
  return true;
}

/** Streams the approved items into a signed bag; undefined when the attempt failed (recorded, and thrown again). */
async function buildPackage(
  deps: RunProductionDeps,
  request: RequestRecord,
  decision: DecisionRecord,
  production: ProductionRecord,
  items: readonly ApprovedItem[],
): Promise<Built> {
  const outcomes: Array<ProductionOutcome & { counter?: { records: number } }> = [];
  const progress = reportProgress(deps, production, items.length, () =>
    outcomes.reduce((sum, outcome) => sum + (outcome.counter?.records ?? outcome.records), 0),
  );
  try {
    const used = new Map<string, PreservedCopy>();
    const source = preservedFirst(
      deps.connector,
      (accountId, category) => deps.store.read.preservations.copiesFor(request.agencyId, accountId, category),
      deps.files,
      used,
    );
    const scoped = scopedConnector(source, items);
    const targets = (await deps.store.read.requests.targets(request.id)).filter((target) =>
      items.some((item) => item.targetId === target.id),
    );
    const { jurisdiction } = request;
    // Sections are produced one at a time as the bag writer asks for them, so at most one read of the platform is open.
    async function* sections(): AsyncIterable<BagSectionInput> {
      for (const target of targets) {
        const identifier = normalizeIdentifier(target.kind, target.value, jurisdiction);
        const resolved = await scoped.resolve(target.id, identifier);
        const folder = `target-${target.position + 1}`;
        for (const item of items.filter((candidate) => candidate.targetId === target.id)) {
          const base = { targetId: target.id, target: target.value, category: item.category };
          if (resolved.status === 'not_found') {
            const form = identifier.value === identifier.original ? '' : ` (looked up as "${identifier.value}")`;
            outcomes.push({
              ...base,
              status: 'not_found',
              accounts: [],
              records: 0,
              detail: `No account matches this ${identifier.kind}${form}.`,
            });
            progress.stepDone();
            continue;
          }
          for (const account of resolved.accounts) {
            const produced = await scoped.produce(target.id, item.category, account.id, item.range);
            const entry = { ...base, accounts: [account.label] };
            if (produced.status !== 'records') {
              outcomes.push({ ...entry, status: produced.status, records: 0, detail: produced.detail });
              continue;
            }
            const counter = { records: 0 };
            const name = resolved.accounts.length > 1 ? `${item.category}-${safeFolderPart(account.label)}` : item.category;
            const copy = used.get(`${account.id}/${item.category}`);
            const from = copy ? ` (from the copy preserved under ${copy.trackingNumber})` : '';
            if (produced.encoded && !copy) {
              // Encoded by the platform's database: the writer stores the bytes and counts the records.
              const encoded = await produced.encoded();
              outcomes.push({ ...entry, status: 'produced', records: 0, detail: `data/${folder}/${name}.csv and .jsonl`, counter });
              yield { folder, name, encoded, counter };
              continue;
            }
            const records = await counted(produced.records, counter);
            if (!records) {
              outcomes.push({ ...entry, status: 'no_records', records: 0, detail: `No records in the approved range${from}.` });
              continue;
            }
            outcomes.push({ ...entry, status: 'produced', records: 0, detail: `data/${folder}/${name}.csv and .jsonl${from}`, counter });
            yield { folder, name, columns: produced.columns, records };
          }
          progress.stepDone();
        }
      }
    }
    const platform = await deps.store.read.organisations.platform();
    const finalOutcomes = (): ProductionOutcome[] =>
      outcomes.map(({ counter, ...outcome }) => ({ ...outcome, records: counter?.records ?? outcome.records }));
    const legalProcess = [request.legalProcess.instrumentType, request.legalProcess.issuingAuthority, request.legalProcess.reference]
      .filter(Boolean)
      .join(', ');
    const decided = `${decision.outcome} by ${decision.decidedByName} at ${decision.createdAt}`;
    const window = production.window
      ? [['Prospective-Window', `part ${production.part}, ${production.window.from}..${production.window.to}`] as const]
      : [];
    const written = await deps.evidence.write(production.id, {
      sections: sections(),
      certificate: {
        platform: platform?.name ?? 'Platform',
        system: `${deps.connector.name} connector`,
        trackingNumber: request.trackingNumber,
        agency: request.agencyName,
        legalProcess,
        decision: decided,
      },
      info: [
        ['Source-Organization', platform?.name ?? 'Platform'],
        ['Source-System', `${deps.connector.name} connector`],
        ['External-Identifier', request.trackingNumber],
        ['Internal-Sender-Identifier', production.id],
        ['Requesting-Agency', request.agencyName],
        ['Legal-Process', legalProcess],
        ['Request-Kind', request.kind],
        ['Approved-Scope', items.map((item) => `${item.category} ${item.range.from}..${item.range.to}`).join('; ')],
        ['Decision', decided],
        ...window,
      ],
      tagFiles: () => [
        {
          path: 'outcomes.csv',
          content: Buffer.from(
            csvLine(['target', 'category', 'status', 'accounts', 'records', 'detail']) +
              finalOutcomes()
                .map((outcome) =>
                  csvLine([outcome.target, outcome.category, outcome.status, outcome.accounts.join(' '), outcome.records, outcome.detail]),
                )
                .join(''),
          ),
        },
      ],
    });
    return { written, outcomes: finalOutcomes(), copiesUsed: [...used.values()] };
  } catch (error) {
    // The reason is shown to the desk: the error's class, and its message only when it is ours (no query parameters).
    const reason = error instanceof ScopeViolation ? error.message : `${(error as Error).name ?? 'Error'} while producing`;
    await deps.store.transaction(async (repositories) => {
      await repositories.productions.fail(production.id, reason, production.attempts);
      await repositories.audit.append(SYSTEM_ACTOR, {
        type: 'production.failed',
        requestId: request.id,
        data: { productionId: production.id, reason },
      });
    });
    throw error;
  } finally {
    await progress.stop();
  }
}

/** How often a running production reports how far it has got, between the steps it finishes. */
const PROGRESS_EVERY_MS = 2_000;

/**
 * Reports a build's progress for the desk and the officer to follow: at the start, at each approved target × category
 * it finishes, and every few seconds in between (records written so far). A report that cannot be written is skipped:
 * it never fails the production.
 */
function reportProgress(deps: RunProductionDeps, production: ProductionRecord, steps: number, records: () => number) {
  let stepsDone = 0;
  let writing = Promise.resolve();
  const write = () => {
    const progress = { steps, stepsDone, records: records(), at: deps.clock.now().toISOString() };
    writing = writing
      .then(() =>
        deps.store.transaction((repositories) => repositories.productions.setProgress(production.id, production.attempts, progress)),
      )
      .catch(() => undefined);
  };
  const timer = setInterval(write, PROGRESS_EVERY_MS);
  timer.unref();
  write();
  return {
    stepDone() {
      stepsDone += 1;
      write();
    },
    async stop() {
      clearInterval(timer);
      await writing;
    },
  };
}

/** The authorised period of a prospective order: from the earliest approved start to the latest approved end. */
function periodOf(items: readonly ApprovedItem[]): DateRange | undefined {
  if (items.length === 0) return undefined;
  const from = Math.min(...items.map((item) => Date.parse(item.range.from)));
  const to = Math.max(...items.map((item) => Date.parse(item.range.to)));
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** The approved items cut to a window; items the window does not reach are left out. */
function within(items: readonly ApprovedItem[], window: DateRange): ApprovedItem[] {
  return items.flatMap((item) => {
    const from = Math.max(Date.parse(item.range.from), Date.parse(window.from));
    const to = Math.min(Date.parse(item.range.to), Date.parse(window.to));
    return from <= to ? [{ ...item, range: { from: new Date(from).toISOString(), to: new Date(to).toISOString() } }] : [];
  });
}

/**
 * One part of a prospective order. Part N covers the time since part N-1 ended (part 0: since the period began) up to
 * now, or the period's end; its window is fixed when it is first claimed, so a rerun delivers the same records.
 */
async function runProspectivePart(
  deps: RunProductionDeps,
  request: RequestRecord,
  decision: DecisionRecord,
  part: number,
): Promise<RequestRecord | undefined> {
  const items = approvedItems(request, decision);
  const period = periodOf(items);
  if (!period) return undefined;
  const parts = await deps.store.read.productions.parts(request.id);
  const existing = parts.find((candidate) => candidate.part === part && candidate.decisionId === decision.id);
  const previous = parts.find((candidate) => candidate.part === part - 1 && candidate.decisionId === decision.id);
  if (part > 0 && previous?.state !== 'completed') return undefined;
  const now = deps.clock.now();
  if (existing?.state === 'completed') {
    return deps.store.transaction((repositories) => followUp(repositories, deps, request, existing, period));
  }
  let window = existing?.window;
  if (!window) {
    const start = previous?.window ? Date.parse(previous.window.to) + 1 : Date.parse(period.from);
    if (now.getTime() < start) {
      // The period has not begun: the first part waits for it.
      await deps.store.transaction((repositories) => scheduleCollection(repositories, request, part, new Date(start)));
      return request;
    }
    window = { from: new Date(start).toISOString(), to: new Date(Math.min(now.getTime(), Date.parse(period.to))).toISOString() };
  }
  const claimed = window;
  const production = await deps.store.transaction((repositories) =>
    repositories.productions.claim(request.id, decision.id, { number: part, from: new Date(claimed.from), to: new Date(claimed.to) }),
  );
  if (production.state === 'completed')
    return deps.store.transaction((repositories) => followUp(repositories, deps, request, production, period));
  const built = await buildPackage(deps, request, decision, production, within(items, claimed));
  const delivered = await deps.store.transaction(async (repositories) => {
    if (!(await completeIn(repositories, deps, request, production, built)))
      return repositories.requests.find({ kind: 'desk' }, request.id);
    await repositories.audit.append(SYSTEM_ACTOR, {
      type: 'prospective.delivered',
      requestId: request.id,
      data: {
        productionId: production.id,
        part,
        windowFrom: claimed.from,
        windowTo: claimed.to,
        records: built.outcomes.reduce((sum, outcome) => sum + outcome.records, 0),
      },
    });
    return followUp(repositories, deps, request, { ...production, window: claimed }, period);
  });
  await receiptFor(deps, request, production);
  return delivered;
}

async function scheduleCollection(repositories: Pick<Repositories, 'schedule'>, request: RequestRecord, part: number, at: Date) {
  await repositories.schedule.put({
    key: `prospective:${request.id}:${part}`,
    topic: COLLECT_TOPIC,
    requestId: request.id,
    dueAt: at,
    payload: { part },
  });
}

/** After a part: the next one at the next interval (or the period's end), or, at the end, delivery. */
async function followUp(
  repositories: Pick<Repositories, 'requests' | 'schedule' | 'audit' | 'outbox'>,
  deps: RunProductionDeps,
  request: RequestRecord,
  production: ProductionRecord,
  period: DateRange,
): Promise<RequestRecord | undefined> {
  const end = Date.parse(period.to);
  if (production.window && Date.parse(production.window.to) >= end) return deliverIn(repositories, request.id);
  const next = Math.min(deps.clock.now().getTime() + deps.prospectiveIntervalMinutes * 60_000, end);
  await scheduleCollection(repositories, request, production.part + 1, new Date(next));
  return repositories.requests.find({ kind: 'desk' }, request.id);
}
