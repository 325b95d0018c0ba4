/**
 * The connector for any platform whose data sits in PostgreSQL: the platform's engineers write, in a YAML file, the
 * query that resolves each kind of identifier and the query that produces each category. Queries name their
 * parameters (`:value`, `:account`, `:from`, `:to`), which are always bound, never spliced into the text. A file is
 * refused at start when a production query does not bind `:account` (it could read other people's data), when a
 * range-bounded category does not bind `:from` and `:to`, or when it holds more than one statement.
 */
import { sql, type RawBuilder } from 'kysely';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { PlatformConnector, ProduceOutcome } from '../../core/connector.ts';
import { DATA_CATEGORIES, IDENTIFIER_KINDS, type DataCategory } from '../../core/request.ts';
import { readRows, streamRows, type PlatformDatabase, type Row } from '../shared/cursor.ts';

const DAY = 86_400_000;
const PARAMETERS = ['value', 'account', 'from', 'to'] as const;
type Parameter = (typeof PARAMETERS)[number];

type Piece = { readonly text: string } | { readonly parameter: Parameter };

/**
 * The query split into text and named parameters. Quoted strings, quoted identifiers, dollar-quoted bodies and
 * comments are passed over, and `::type` casts are not parameters.
 */
export function splitQuery(query: string): Piece[] {
  const pieces: Piece[] = [];
  let text = '';
  let i = 0;
  const skipTo = (end: string, from: number) => {
    const at = query.indexOf(end, from);
    return at === -1 ? query.length : at + end.length;
  };
  while (i < query.length) {
    const c = query[i];
    const rest = query.slice(i);
    let next = i + 1;
    if (c === "'") {
      next = i + 1;
      while (next < query.length && !(query[next] === "'" && query[next + 1] !== "'")) next += query[next] === "'" ? 2 : 1;
      next += 1;
    } else if (c === '"') next = skipTo('"', i + 1);
    else if (rest.startsWith('--')) next = skipTo('\n', i);
    else if (rest.startsWith('/*')) next = skipTo('*/', i + 2);
    else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(rest)?.[0];
      if (tag) next = skipTo(tag, i + tag.length);
    } else if (rest.startsWith('::')) next = i + 2;
    else if (c === ':') {
      const name = /^:([A-Za-z_][A-Za-z0-9_]*)/.exec(rest)?.[1];
      if (name) {
        if (!(PARAMETERS as readonly string[]).includes(name))
          throw new Error(`unknown parameter :${name} (use ${PARAMETERS.map((p) => `:${p}`).join(', ')})`);
        pieces.push({ text }, { parameter: name as Parameter });
        text = '';
        i += name.length + 1;
        continue;
      }
    } else if (c === ';' && query.slice(i + 1).trim() !== '') throw new Error('holds more than one statement');
    text += query.slice(i, next);
    i = next;
  }
  pieces.push({ text: text.replace(/;\s*$/, '') });
  return pieces.filter((piece) => !('text' in piece) || piece.text !== '');
}

const parametersOf = (pieces: readonly Piece[]) => new Set(pieces.flatMap((piece) => ('parameter' in piece ? [piece.parameter] : [])));

function bind(pieces: readonly Piece[], values: Partial<Record<Parameter, string>>): RawBuilder<Row> {
  return sql<Row>`${sql.join(
    pieces.map((piece) => ('text' in piece ? sql.raw(piece.text) : sql.val(values[piece.parameter] ?? null))),
    sql.raw(''),
  )}`;
}

const reason = z.string().trim().min(1).max(500);
const categorySchema = z.union([
  z.strictObject({ query: z.string().min(1), retention_days: z.number().int().positive().optional() }),
  z.strictObject({ not_held: reason }),
  z.strictObject({ end_to_end_encrypted: reason }),
]);

const fileSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).default('sql'),
  resolve: z.partialRecord(z.enum(IDENTIFIER_KINDS), z.string().min(1)),
  produce: z.partialRecord(z.enum(DATA_CATEGORIES), categorySchema),
  /** The query that gives an account's e-mail address (`email`), for the notice its user is sent. */
  contact: z.string().min(1).optional(),
});

type Category = { kind: 'query'; pieces: Piece[]; retentionDays?: number } | { kind: 'not_held' | 'end_to_end_encrypted'; reason: string };

export interface SqlConnectorConfig {
  readonly name: string;
  readonly resolve: ReadonlyMap<string, Piece[]>;
  readonly produce: ReadonlyMap<DataCategory, Category>;
  readonly contact?: Piece[];
}

/** Reads and checks a connector file; throws an Error naming the first problem (never a value from the file). */
export function parseSqlConnectorConfig(text: string): SqlConnectorConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch {
    throw new Error('The sql connector file is not valid YAML.');
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`The sql connector file is invalid at ${issue?.path.join('.') || 'the top'}: ${issue?.message ?? 'unknown problem'}.`);
  }
  const checked = (where: string, query: string, needs: readonly Parameter[]) => {
    let pieces: Piece[];
    try {
      pieces = splitQuery(query);
    } catch (error) {
      throw new Error(`The sql connector query ${where} ${(error as Error).message}.`);
    }
    const used = parametersOf(pieces);
    for (const parameter of needs) if (!used.has(parameter)) throw new Error(`The sql connector query ${where} must bind :${parameter}.`);
    return pieces;
  };
  const resolve = new Map(
    Object.entries(parsed.data.resolve).map(([kind, query]) => [kind, checked(`resolve.${kind}`, query ?? '', ['value'])] as const),
  );
  const produce = new Map<DataCategory, Category>();
  for (const [category, entry] of Object.entries(parsed.data.produce) as Array<[DataCategory, z.infer<typeof categorySchema>]>) {
    if ('query' in entry) {
      const needs: Parameter[] = category === 'subscriber' ? ['account'] : ['account', 'from', 'to'];
      produce.set(category, {
        kind: 'query',
        pieces: checked(`produce.${category}`, entry.query, needs),
        ...(entry.retention_days ? { retentionDays: entry.retention_days } : {}),
      });
    } else if ('not_held' in entry) produce.set(category, { kind: 'not_held', reason: entry.not_held });
    else produce.set(category, { kind: 'end_to_end_encrypted', reason: entry.end_to_end_encrypted });
  }
  const contact = parsed.data.contact ? checked('contact', parsed.data.contact, ['account']) : undefined;
  return { name: parsed.data.name, resolve, produce, ...(contact ? { contact } : {}) };
}

export function sqlConnector(db: PlatformDatabase, config: SqlConnectorConfig, options: { now?: () => Date } = {}): PlatformConnector {
  const now = options.now ?? (() => new Date());
  const contactQuery = config.contact;
  return {
    name: config.name,
    ...(contactQuery
      ? {
          async contact(accountId: string) {
            const [row] = await readRows(db, bind(contactQuery, { account: accountId }), 1);
            const email = row?.email;
            return typeof email === 'string' && email.includes('@') ? { email } : undefined;
          },
        }
      : {}),
    async resolve(identifier) {
      const pieces = config.resolve.get(identifier.kind);
      if (!pieces) return { status: 'not_found', tried: identifier };
      const rows = await readRows(db, bind(pieces, { value: identifier.value }), 50);
      const accounts = rows
        .filter((row) => row.id !== null && row.id !== undefined)
        .map((row) => ({ id: String(row.id), label: String(row.label ?? row.id) }));
      return accounts.length > 0 ? { status: 'found', accounts } : { status: 'not_found', tried: identifier };
    },

    async produce(category, accountId, range): Promise<ProduceOutcome> {
      const entry = config.produce.get(category);
      if (!entry) return { status: 'not_held', detail: `The platform does not hold ${category} data.` };
      if (entry.kind !== 'query') return { status: entry.kind, detail: entry.reason };
      const query = bind(entry.pieces, { account: accountId, from: range.from, to: range.to });
      const [first] = await readRows(db, query, 1);
      if (!first) {
        return entry.retentionDays && Date.parse(range.to) < now().getTime() - entry.retentionDays * DAY
          ? { status: 'outside_retention', detail: `The platform keeps ${category} data ${entry.retentionDays} days.` }
          : { status: 'no_records', detail: `No ${category} records in the range.` };
      }
      return { status: 'records', columns: Object.keys(first), records: streamRows(db, query) };
    },
  };
}
