/**
 * `npm run eval:intake`: how well extraction reads real notices, field by field (precision and recall), on the
 * development set of real government notices (`../shared/data/requests-dev/`, read where it lies, never copied) and
 * on Writ's own sets (`test/fixtures/intake-eval/`, and `intake-heldout/`, never tuned on). Each text goes through the same path as a message from the
 * mailbox: wrapped as an email, read by the reader (line endings, mojibake), extracted by the extractor.
 *
 *   npm run eval:intake [-- --json results.json] [-- --set <folder>] [-- --verbose]
 *   npm run eval:intake -- --explain <notice.txt>   (zones, candidates with their roles and why, fields)
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { DraftFields } from '../src/core/intake.ts';
import { explain, extractFields } from '../src/intake/extract.ts';
import { mailReader } from '../src/intake/reader.ts';

const root = path.resolve(import.meta.dirname, '..');

/** The shared development set: `../shared` beside the checkout, or further up (a worktree sits one level deeper). */
function sharedSet(): string | undefined {
  if (process.env.WRIT_INTAKE_EVAL_SHARED) return process.env.WRIT_INTAKE_EVAL_SHARED;
  let folder = root;
  for (let up = 0; up < 4; up += 1) {
    folder = path.dirname(folder);
    const candidate = path.join(folder, 'shared', 'data', 'requests-dev');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

type Kind = 'scalar' | 'fuzzy' | 'list' | 'fuzzy-list' | 'boolean' | 'range';
interface FieldSpec {
  readonly name: string;
  readonly kind: Kind;
  readonly key: (answer: Answer) => unknown;
  readonly predicted: (fields: DraftFields) => unknown;
}
type Answer = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const REDACTED = /^\[(private|redacted|invalid|removed|withheld)\]$/i;
/** A key drawn from a stored excerpt marks what the excerpt cannot show: such a value is not scored either way. */
const UNSCORED = 'NOT_IN_EXCERPT';
const norm = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  if (REDACTED.test(text)) return '[redacted]';
  // "[redacted]@example-mail.com": an identifier whose name the publisher redacted matches a key that writes only
  // the mark.
  if (/^\[(private|redacted|invalid|removed|withheld)\]@/i.test(text)) return '[redacted]';
  return text.toLowerCase();
};
const kindOf = (value: unknown): string | null => {
  if (typeof value !== 'string') return null;
  if (/removal|takedown/i.test(value)) return 'removal';
  if (/preserv/i.test(value)) return 'preservation';
  if (/emergency/i.test(value)) return 'emergency';
  // A subpoena, a warrant or a court's disclosure order asks for data: the kind is disclosure, the instrument says which.
  if (/disclos|data|production|subpoena|warrant|order/i.test(value)) return 'disclosure';
  return value;
};
/**
 * Keys name data categories in their own words ("IP addresses", "name of the user"); Writ's categories are a closed
 * set. Each key entry maps to the category its words name (an entry naming none is kept as written, and so can only
 * be missed).
 */
const CATEGORY_WORDS: ReadonlyArray<readonly [string, RegExp]> = [
  ['traffic', /\bIP\b|log|session|connection|times?\b|traffic|metadata/i],
  ['content', /content|message|communication|post/i],
  ['location', /location|GPS|cell[- ]site/i],
  ['payment', /financial|payment|billing|bank|credit/i],
  ['device', /device|IMEI|hardware/i],
  ['subscriber', /subscriber|name|e-?mail|phone|telephone|address|account|registration|registered/i],
];
const categoriesOf = (entries: unknown): unknown => {
  if (!Array.isArray(entries)) return entries;
  const mapped = entries.map((entry) => {
    if (typeof entry !== 'string' || entry === UNSCORED) return entry;
    if (/^(subscriber|traffic|content|location|device|payment)$/.test(entry)) return entry;
    return CATEGORY_WORDS.find(([, words]) => words.test(entry))?.[0] ?? entry;
  });
  return [...new Set(mapped)];
};
const phone = (value: unknown) => {
  const text = String(value);
  if (REDACTED.test(text)) return '[redacted]';
  return parsePhoneNumberFromString(text, 'US')?.number ?? text.replace(/[^\d+]/g, '');
};
const url = (value: unknown) =>
  String(value)
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/^www\./i, '')
    .replace(/\/+$/, '')
    .replace(/^[^/]+/, (host) => host.toLowerCase());

const STOP = new Set([
  'the',
  'of',
  'and',
  'for',
  'in',
  'on',
  'to',
  'de',
  'del',
  'la',
  'el',
  'los',
  'las',
  'y',
  'a',
  'an',
  'our',
  'incl',
  'para',
]);
function tokens(text: string): string[] {
  return (text.toLowerCase().match(/[\p{Script=Han}\p{Script=Hangul}]|[\p{L}\p{N}]+/gu) ?? []).filter((token) => !STOP.has(token));
}
/** Two descriptions of one thing: most words of the shorter in the longer, and no number of the shorter missing. */
function similar(a: unknown, b: unknown): boolean {
  const [x, y] = [norm(a), norm(b)];
  if (x === null || y === null) return false;
  if (x === y) return true;
  const [ta, tb] = [new Set(tokens(x)), new Set(tokens(y))];
  if (ta.size === 0 || tb.size === 0) return false;
  const [small, large] = ta.size <= tb.size ? [ta, tb] : [tb, ta];
  const shared = [...small].filter((token) => large.has(token)).length;
  const numbers = [...small].filter((token) => /^\d+$/.test(token));
  return shared / small.size >= 0.6 && numbers.every((number) => large.has(number));
}

const value = <T>(entry: { value: T } | null | undefined): T | null => entry?.value ?? null;
const values = <T>(entries: ReadonlyArray<{ value: T }>): T[] => entries.map((entry) => entry.value);

const FIELDS: readonly FieldSpec[] = [
  { name: 'kind', kind: 'scalar', key: (a) => kindOf(a.request_type), predicted: (f) => value(f.kind) },
  { name: 'requesting_agency', kind: 'fuzzy', key: (a) => a.requesting_agency, predicted: (f) => value(f.requestingAgency) },
  { name: 'requesting_unit', kind: 'fuzzy', key: (a) => a.requesting_unit, predicted: (f) => value(f.requestingUnit) },
  { name: 'officer.name', kind: 'fuzzy', key: (a) => a.officer?.name, predicted: (f) => value(f.officerName) },
  { name: 'officer.title', kind: 'fuzzy', key: (a) => a.officer?.title, predicted: (f) => value(f.officerTitle) },
  { name: 'contact.email', kind: 'scalar', key: (a) => a.contact?.email, predicted: (f) => value(f.contactEmail) },
  {
    name: 'contact.phone',
    kind: 'scalar',
    key: (a) => (a.contact?.phone ? phone(a.contact.phone) : null),
    predicted: (f) => value(f.contactPhone),
  },
  { name: 'contact.address', kind: 'fuzzy', key: (a) => a.contact?.address, predicted: (f) => value(f.contactAddress) },
  { name: 'case_number', kind: 'scalar', key: (a) => a.case_number, predicted: (f) => value(f.caseNumber) },
  { name: 'reference_numbers', kind: 'list', key: (a) => a.reference_numbers ?? [], predicted: (f) => values(f.referenceNumbers) },
  { name: 'legal_basis', kind: 'fuzzy-list', key: (a) => a.legal_basis ?? [], predicted: (f) => values(f.legalBasis) },
  { name: 'jurisdiction.country', kind: 'scalar', key: (a) => a.jurisdiction?.country, predicted: (f) => value(f.jurisdictionCountry) },
  {
    name: 'jurisdiction.subdivision',
    kind: 'scalar',
    key: (a) => a.jurisdiction?.subdivision,
    predicted: (f) => value(f.jurisdictionSubdivision),
  },
  { name: 'jurisdiction.court', kind: 'fuzzy', key: (a) => a.jurisdiction?.court, predicted: (f) => value(f.court) },
  { name: 'targets.usernames', kind: 'list', key: (a) => a.targets?.usernames ?? [], predicted: (f) => values(f.targets.usernames) },
  { name: 'targets.emails', kind: 'list', key: (a) => a.targets?.emails ?? [], predicted: (f) => values(f.targets.emails) },
  {
    name: 'targets.phone_numbers',
    kind: 'list',
    key: (a) => (a.targets?.phone_numbers ?? []).map(phone),
    predicted: (f) => values(f.targets.phone_numbers),
  },
  { name: 'targets.urls', kind: 'list', key: (a) => (a.targets?.urls ?? []).map(url), predicted: (f) => values(f.targets.urls).map(url) },
  { name: 'targets.user_ids', kind: 'list', key: (a) => a.targets?.user_ids ?? [], predicted: (f) => values(f.targets.user_ids) },
  {
    name: 'targets.ip_addresses',
    kind: 'list',
    key: (a) =>
      (a.targets?.ip_addresses ?? []).map((entry: unknown) => (typeof entry === 'object' && entry ? (entry as { ip: string }).ip : entry)),
    predicted: (f) => values(f.targets.ip_addresses),
  },
  { name: 'date_range', kind: 'range', key: (a) => a.date_range, predicted: (f) => value(f.dateRange) },
  { name: 'data_categories', kind: 'list', key: (a) => categoriesOf(a.data_categories ?? []), predicted: (f) => values(f.dataCategories) },
  { name: 'is_emergency', kind: 'boolean', key: (a) => a.is_emergency, predicted: (f) => f.isEmergency.value },
  { name: 'urgency_claimed', kind: 'boolean', key: (a) => a.urgency_claimed, predicted: (f) => f.urgencyClaimed.value },
  { name: 'request_date', kind: 'scalar', key: (a) => a.request_date, predicted: (f) => value(f.requestDate) },
  {
    name: 'response_deadline',
    kind: 'scalar',
    // A deadline the key writes as a span of time ("24 hours", "as soon as possible") needs the Date header, which a
    // bare text has not: such a key is not scored.
    key: (a) =>
      a.response_deadline
        ? /^\d{4}-\d{2}-\d{2}/.test(String(a.response_deadline))
          ? String(a.response_deadline).slice(0, 10)
          : UNSCORED
        : null,
    predicted: (f) => value(f.deadline)?.slice(0, 10) ?? null,
  },
  { name: 'nondisclosure_requested', kind: 'boolean', key: (a) => a.nondisclosure_requested, predicted: (f) => value(f.nonDisclosure) },
];

interface Score {
  tp: number;
  fp: number;
  fn: number;
}
const empty = (): Score => ({ tp: 0, fp: 0, fn: 0 });

function scoreField(spec: FieldSpec, key: unknown, predicted: unknown): Score & { detail?: string } {
  const score = empty();
  if (key === UNSCORED) return score;
  const match = spec.kind === 'fuzzy' || spec.kind === 'fuzzy-list' ? similar : (a: unknown, b: unknown) => norm(a) === norm(b);
  if (spec.kind === 'list' || spec.kind === 'fuzzy-list') {
    if (Array.isArray(key) && key.includes(UNSCORED)) return score;
    const keys = ((key as unknown[]) ?? []).filter((entry) => entry !== null);
    const left = [...((predicted as unknown[]) ?? [])];
    for (const expected of keys) {
      const index = left.findIndex((candidate) => match(candidate, expected));
      if (index >= 0) {
        score.tp += 1;
        left.splice(index, 1);
      } else score.fn += 1;
    }
    score.fp += left.length;
    return score;
  }
  if (spec.kind === 'range') {
    const expected = key as { start: string | null; end: string | null } | null;
    const got = predicted as { start: string | null; end: string | null } | null;
    const hasKey = expected && (expected.start || expected.end);
    if (!hasKey) return got ? { ...score, fp: 1 } : score;
    if (!got) return { ...score, fn: 1 };
    return got.start === expected.start && got.end === expected.end ? { ...score, tp: 1 } : { tp: 0, fp: 1, fn: 1 };
  }
  const hasKey = key !== null && key !== undefined;
  const hasPrediction = predicted !== null && predicted !== undefined;
  if (!hasKey) return hasPrediction ? { ...score, fp: 1 } : score;
  if (!hasPrediction) return { ...score, fn: 1 };
  return match(predicted, key) ? { ...score, tp: 1 } : { tp: 0, fp: 1, fn: 1 };
}

function wrap(text: Buffer): Buffer {
  const body = text.toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    `From: sender@unknown.invalid\r\nSubject: \r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}\r\n`,
  );
}

async function evaluate(folder: string, verbose: boolean, prefix = '') {
  const reader = mailReader();
  const totals = new Map<string, Score>(FIELDS.map((spec) => [spec.name, empty()]));
  // Per field: notices where the prediction is exactly right (both absent counts as right), and notices scored.
  const accuracy = new Map<string, { right: number; scored: number }>(FIELDS.map((spec) => [spec.name, { right: 0, scored: 0 }]));
  const documents = readdirSync(folder)
    .filter((name) => name.endsWith('.answer.json') && name.startsWith(prefix))
    .sort();
  const misses: string[] = [];
  for (const file of documents) {
    const answer: Answer = JSON.parse(readFileSync(path.join(folder, file), 'utf8'));
    const textFile = path.join(folder, answer._meta?.text_file ?? file.replace('.answer.json', '.txt'));
    const read = await reader.read(wrap(readFileSync(textFile)));
    const fields = extractFields(read.reading, {});
    for (const spec of FIELDS) {
      const score = scoreField(spec, spec.key(answer), spec.predicted(fields));
      const total = totals.get(spec.name)!;
      const key = spec.key(answer);
      if (key !== UNSCORED && !(Array.isArray(key) && key.includes(UNSCORED))) {
        const entry = accuracy.get(spec.name)!;
        entry.scored += 1;
        if (score.fp === 0 && score.fn === 0) entry.right += 1;
      }
      total.tp += score.tp;
      total.fp += score.fp;
      total.fn += score.fn;
      if (verbose && (score.fp > 0 || score.fn > 0)) {
        misses.push(
          `${file.replace('.answer.json', '')} ${spec.name}: expected ${JSON.stringify(spec.key(answer))}, got ${JSON.stringify(spec.predicted(fields))}`,
        );
      }
    }
  }
  return { documents: documents.length, totals, accuracy, misses };
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
const percent = (value: number | null) => (value === null ? '   –  ' : `${(value * 100).toFixed(1).padStart(5)}%`);

const f1 = (precision: number | null, recall: number | null) =>
  precision === null || recall === null || precision + recall === 0 ? null : (2 * precision * recall) / (precision + recall);
/** Fields whose accuracy per notice is reported: the ones a desk checks first. */
const ACCURACY_FIELDS = ['kind', 'requesting_agency', 'case_number', 'request_date', 'response_deadline', 'date_range', 'data_categories'];

function table(name: string, result: Awaited<ReturnType<typeof evaluate>>): Record<string, unknown> {
  const row = (label: string, score: Score) => {
    const precision = ratio(score.tp, score.tp + score.fp);
    const recall = ratio(score.tp, score.tp + score.fn);
    return {
      line: `${label.padEnd(26)} ${String(score.tp).padStart(4)} ${String(score.fp).padStart(4)} ${String(score.fn).padStart(4)}     ${percent(precision)}  ${percent(recall)}  ${percent(f1(precision, recall))}`,
      precision,
      recall,
      f1: f1(precision, recall),
    };
  };
  const lines = [`\n${name} (${result.documents} notices)`, `${'field'.padEnd(26)}   tp   fp   fn  precision  recall      F1`];
  const overall = empty();
  const targets = empty();
  const fields: Record<string, unknown> = {};
  for (const [field, score] of result.totals) {
    overall.tp += score.tp;
    overall.fp += score.fp;
    overall.fn += score.fn;
    if (field.startsWith('targets.')) {
      targets.tp += score.tp;
      targets.fp += score.fp;
      targets.fn += score.fn;
    }
    const { line, precision, recall } = row(field, score);
    fields[field] = { ...score, precision, recall, f1: f1(precision, recall) };
    lines.push(line);
  }
  const targetRow = row('targets (all kinds)', targets);
  lines.push(targetRow.line);
  const all = row('all fields (micro)', overall);
  lines.push(all.line);
  const accuracy: Record<string, unknown> = {};
  const parts: string[] = [];
  for (const field of ACCURACY_FIELDS) {
    const entry = result.accuracy.get(field)!;
    accuracy[field] = { ...entry, accuracy: ratio(entry.right, entry.scored) };
    parts.push(`${field} ${entry.right}/${entry.scored}`);
  }
  lines.push(`right per notice: ${parts.join(', ')}`);
  console.log(lines.join('\n'));
  return {
    documents: result.documents,
    fields,
    targets: { ...targets, precision: targetRow.precision, recall: targetRow.recall, f1: targetRow.f1 },
    accuracy,
    overall: { ...overall, precision: all.precision, recall: all.recall, f1: all.f1 },
  };
}

const { values: options } = parseArgs({
  options: {
    json: { type: 'string' },
    set: { type: 'string', multiple: true },
    verbose: { type: 'boolean' },
    explain: { type: 'string' },
  },
  strict: true,
});
if (options.explain) {
  // The notice read as the mailbox would read it, then every stage's work.
  const read = await mailReader().read(wrap(readFileSync(options.explain)));
  console.log(explain(read.reading, {}));
  process.exit(0);
}
// The shared folder holds two sets scored apart: GT01–GT06, developed against, and DV01–DV15, added later with other
// countries, languages and layouts (court decisions, reports of notices), whose first run is recorded in docs/intake.md.
const sets: Array<[string, string | undefined, string?]> = options.set?.length
  ? options.set.map((folder) => [path.basename(folder), folder])
  : [
      ['development set GT (shared/data/requests-dev)', sharedSet(), 'GT'],
      ['development set DV (shared/data/requests-dev)', sharedSet(), 'DV'],
      ['own set (test/fixtures/intake-eval)', path.join(root, 'test', 'fixtures', 'intake-eval')],
      ['held-out set (test/fixtures/intake-heldout)', path.join(root, 'test', 'fixtures', 'intake-heldout')],
    ];
const report: Record<string, unknown> = {};
for (const [name, folder, prefix] of sets) {
  if (!folder || !existsSync(folder)) {
    console.log(`\n${name}: not found (set WRIT_INTAKE_EVAL_SHARED to its folder).`);
    continue;
  }
  const result = await evaluate(folder, options.verbose === true, prefix);
  report[name] = table(name, result);
  if (options.verbose && result.misses.length > 0) console.log(`\n  misses:\n  ${result.misses.join('\n  ')}`);
}
if (options.json) writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
