/**
 * Builds the package for an approved request: resolve each approved target, stream each approved category within the
 * approved range through the scoped connector, write and sign the bag, then deliver. Run by the `request.produce` job;
 * safe to run again: a completed production is never rebuilt, a failed one is rebuilt under the same id.
 */
import { SYSTEM_ACTOR } from '../core/actor.ts';
import { approvedItems, scopedConnector, ScopeViolation, type PlatformConnector } from '../core/connector.ts';
import { csvLine } from '../core/bag.ts';
import { normalizeIdentifier } from '../core/identifiers.ts';
import type { ProductionOutcome, RequestRecord } from '../core/model.ts';
import type { BagSectionInput, Clock, EvidenceStore, Repositories, Transactor } from '../core/ports.ts';
import { deliveryReceipt, type ReceiptDeps } from './audit-log.ts';
import { applyTransition } from './common.ts';

export interface RunProductionDeps extends Omit<ReceiptDeps, 'store'> {
  readonly store: Transactor<
    Pick<Repositories, 'requests' | 'decisions' | 'productions' | 'organisations' | 'audit' | 'outbox' | 'auditTree'>
  >;
  readonly connector: PlatformConnector;
  readonly evidence: EvidenceStore;
  readonly clock: Clock;
  /** How long the package stays downloadable. */
  readonly availableDays: number;
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

const safeFolderPart = (label: string) => label.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);

/** Moves the request from `producing` to `delivered` inside the caller's transaction; a no-op in any other state. */
async function deliverIn(
  repositories: Pick<Repositories, 'requests' | 'audit' | 'outbox'>,
  requestId: string,
): Promise<RequestRecord | undefined> {
  const request = await repositories.requests.find({ kind: 'desk' }, requestId);
  return request?.state === 'producing' ? applyTransition(repositories, SYSTEM_ACTOR, request, 'deliver') : request;
}

export async function runProduction(deps: RunProductionDeps, input: { requestId: string }): Promise<RequestRecord | undefined> {
  const request = await deps.store.read.requests.find({ kind: 'desk' }, input.requestId);
  if (request?.state !== 'producing') return undefined;
  const decision = (await deps.store.read.decisions.list(request.id)).filter((item) => item.outcome !== 'rejected').at(-1);
  if (!decision) return undefined;
  const production = await deps.store.transaction((repositories) => repositories.productions.claim(request.id, decision.id));
  if (production.state === 'completed') return deps.store.transaction((repositories) => deliverIn(repositories, request.id));

  try {
    const items = approvedItems(request, decision);
    const scoped = scopedConnector(deps.connector, items);
    const targets = (await deps.store.read.requests.targets(request.id)).filter((target) =>
      items.some((item) => item.targetId === target.id),
    );
    const outcomes: Array<ProductionOutcome & { counter?: { records: number } }> = [];
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
            if (produced.encoded) {
              // Encoded by the platform's database: the writer stores the bytes and counts the records.
              const encoded = await produced.encoded();
              outcomes.push({ ...entry, status: 'produced', records: 0, detail: `data/${folder}/${name}.csv and .jsonl`, counter });
              yield { folder, name, encoded, counter };
              continue;
            }
            const records = await counted(produced.records, counter);
            if (!records) {
              outcomes.push({ ...entry, status: 'no_records', records: 0, detail: 'No records in the approved range.' });
              continue;
            }
            outcomes.push({ ...entry, status: 'produced', records: 0, detail: `data/${folder}/${name}.csv and .jsonl`, counter });
            yield { folder, name, columns: produced.columns, records };
          }
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
        [
          'Legal-Process',
          [request.legalProcess.instrumentType, request.legalProcess.issuingAuthority, request.legalProcess.reference]
            .filter(Boolean)
            .join(', '),
        ],
        ['Request-Kind', request.kind],
        ['Approved-Scope', items.map((item) => `${item.category} ${item.range.from}..${item.range.to}`).join('; ')],
        ['Decision', decided],
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
    const done = finalOutcomes();
    const now = deps.clock.now();
    const delivered = await deps.store.transaction(async (repositories) => {
      await repositories.productions.complete(production.id, {
        ...written,
        outcomes: done,
        availableUntil: new Date(now.getTime() + deps.availableDays * 86_400_000),
        at: now,
      });
      await repositories.audit.append(SYSTEM_ACTOR, {
        type: 'production.completed',
        requestId: request.id,
        data: {
          productionId: production.id,
          tagManifestSha256: written.tagManifestSha256,
          keyFingerprint: written.keyFingerprint,
          records: done.reduce((sum, outcome) => sum + outcome.records, 0),
        },
      });
      return deliverIn(repositories, request.id);
    });
    // The delivery's receipt: its event placed under a freshly signed tree head, with the inclusion proof. Should this
    // fail (the delivery is committed already), the receipt is made when the production is next read or downloaded.
    await deliveryReceipt(deps, { productionId: production.id, requestId: request.id }).catch(() => undefined);
    return delivered;
  } catch (error) {
    // The reason is shown to the desk: the error's class, and its message only when it is ours (no query parameters).
    const reason = error instanceof ScopeViolation ? error.message : `${(error as Error).name ?? 'Error'} while producing`;
    await deps.store.transaction(async (repositories) => {
      await repositories.productions.fail(production.id, reason);
      await repositories.audit.append(SYSTEM_ACTOR, {
        type: 'production.failed',
        requestId: request.id,
        data: { productionId: production.id, reason },
      });
    });
    throw error;
  }
}
