/**
 * bench/review: the review engine on the shipped rule packs and policy, in one run:
 *   - one request with 10,000 targets (with 10,000 other open targets to check duplicates against), 30 times;
 *   - re-evaluating 10,000 queued requests of every kind and jurisdiction, 5 times;
 *   - the floor: one pass over the same inputs that only reads each target (trimming and lower-casing it), so the
 *     engine's time can be read as a multiple of the cost of touching the data at all.
 * Prints a JSON summary and writes it to bench/results/review.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { reviewRequest, type ReviewRequest } from '../../src/core/review/engine.ts';
import type { DataCategory, InstrumentType, RequestKind } from '../../src/core/request.ts';
import { loadPolicy, loadRulePacks } from '../../src/rules/rule-files.ts';

const root = path.resolve(import.meta.dirname, '../..');
const packs = loadRulePacks(path.join(root, 'rules'));
const policy = loadPolicy(path.join(root, 'policy.yaml'));
const now = new Date('2026-11-20T12:00:00Z');

let seed = 42;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

const JURISDICTIONS = ['KR', 'US', 'DE', 'FR', 'GB', 'IN', 'COE', 'JP', 'IE'];
const KINDS: RequestKind[] = ['disclosure', 'disclosure', 'disclosure', 'preservation', 'emergency', 'removal', 'prospective'];
const INSTRUMENTS: InstrumentType[] = ['letter', 'subpoena', 'court_order', 'search_warrant', 'interception_order', 'production_order'];
const CATEGORIES: DataCategory[] = ['subscriber', 'traffic', 'content', 'location', 'device', 'payment'];
const SUMMARIES = [
  'Investment fraud.',
  'A false rumour about the President.',
  'All members of the group chat.',
  'Threats to kill a witness.',
  'The reporter who published it.',
];

function makeRequest(targets: number): ReviewRequest {
  const kind = pick(KINDS);
  return {
    kind,
    jurisdiction: pick(JURISDICTIONS),
    caseReference: random() < 0.9 ? 'C-1' : null,
    summary: pick(SUMMARIES),
    legalProcess: {
      instrumentType: pick(INSTRUMENTS),
      issuerType: pick(['court', 'prosecutor', 'police', null] as const),
      issuingAuthority: 'Court',
      documents: random() < 0.9 ? 1 : 0,
    },
    categories: CATEGORIES.filter(() => random() < 0.4)
      .concat(['subscriber'])
      .filter((value, index, all) => all.indexOf(value) === index),
    targets: Array.from({ length: targets }, (_, i) => ({
      kind: 'user_id' as const,
      value: `u${Math.floor(random() * 1e9)}-${i}`,
      note: null,
    })),
    dateRange: { from: new Date(now.getTime() - Math.floor(random() * 400) * 86_400_000).toISOString(), to: now.toISOString() },
    offence: { description: 'x', maximumPenaltyYears: pick([1, 2, 5, 10]) },
    nonDisclosure: { ordered: random() < 0.3 },
    emergency: kind === 'emergency' ? { dangerDescription: pick(['risk to life', 'urgent']) } : null,
    receivedAt: new Date(now.getTime() - Math.floor(random() * 120) * 86_400_000).toISOString(),
  };
}

const floorPass = (requests: readonly ReviewRequest[]) => {
  let total = 0;
  for (const request of requests) for (const target of request.targets) total += target.value.trim().toLowerCase().length;
  return total;
};

function time(run: () => unknown, repeat: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < repeat; i += 1) {
    const start = process.hrtime.bigint();
    run();
    out.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return out.sort((a, b) => a - b);
}
const median = (values: number[]) => values[Math.floor(values.length / 2)] ?? 0;
const round = (value: number) => Math.round(value * 10) / 10;

// One request, 10,000 targets, half of them named by other open requests.
const big = makeRequest(10_000);
const duplicates = new Map<string, string[]>();
big.targets.forEach((target, index) => {
  if (index % 2 === 0) duplicates.set(target.value.toLowerCase(), ['WR-2026-000001']);
});
for (let i = 0; i < 10_000; i += 1) duplicates.set(`other-${i}`, ['WR-2026-000002']);
const bigRuns = time(() => reviewRequest(big, { packs, policy, now, duplicates }), 30);
const bigFloor = time(() => floorPass([big]), 30);

// 10,000 queued requests, 1 to 5 targets each.
const queue = Array.from({ length: 10_000 }, () => makeRequest(1 + Math.floor(random() * 5)));
let findings = 0;
const queueRuns = time(() => {
  findings = 0;
  for (const request of queue) findings += reviewRequest(request, { packs, policy, now }).length;
}, 5);
const queueFloor = time(() => floorPass(queue), 5);

const result = {
  date: new Date().toISOString().slice(0, 10),
  node: process.version,
  rules: packs.reduce((sum, pack) => sum + pack.rules.length, 0) + policy.rules.length,
  oneRequest10kTargets: {
    medianMs: round(median(bigRuns)),
    maxMs: round(bigRuns.at(-1) ?? 0),
    floorMedianMs: round(median(bigFloor)),
    targetMs: 200,
  },
  queue10kRequests: {
    medianMs: round(median(queueRuns)),
    maxMs: round(queueRuns.at(-1) ?? 0),
    findings,
    floorMedianMs: round(median(queueFloor)),
    targetMs: 5000,
  },
};
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(path.join(root, 'bench/results/review.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
