/**
 * Compiles rule conditions to CEL programs, once per pack, checked against the facts schema: an expression that names
 * a fact the model does not have (`target.rol`), compares a string with a number, or does not give a boolean is
 * refused with the rule and the reason. CEL (https://github.com/google/cel-spec) is evaluated by
 * @marcbachmann/cel-js: no I/O, no loops, no side effects, so packs stay data (docs/adr/0070-cel-for-rule-conditions.md).
 */
import { Environment } from '@marcbachmann/cel-js';
import { z } from 'zod';
import { factsSchema, type Facts } from './facts.ts';
import type { Condition, Rule } from './rule-pack.ts';

const HOUR = 3_600_000;

type CelSchema = string | { [key: string]: CelSchema };

/** The CEL type of a JSON Schema node: strings, numbers (as double), booleans, lists of strings, nested objects. */
function celType(node: Record<string, unknown>): CelSchema {
  if (Array.isArray(node.anyOf)) {
    const types = new Set((node.anyOf as Array<Record<string, unknown>>).map((item) => JSON.stringify(celType(item))));
    if (types.size === 1) return celType((node.anyOf as Array<Record<string, unknown>>)[0] ?? {});
    return 'dyn';
  }
  if (node.const !== undefined) return typeof node.const === 'string' ? 'string' : 'dyn';
  switch (node.type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'double';
    case 'boolean':
      return 'bool';
    case 'array': {
      const item = celType((node.items ?? {}) as Record<string, unknown>);
      return typeof item === 'string' ? `list<${item}>` : 'list<map<string, dyn>>';
    }
    case 'object': {
      const properties = (node.properties ?? {}) as Record<string, Record<string, unknown>>;
      return Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, celType(value)]));
    }
    default:
      return 'dyn';
  }
}

let environment: Environment | undefined;
let evaluator: Environment | undefined;
/** The one CEL environment: a variable per top-level fact, and two pure functions on instants. */
export function celEnvironment(): Environment {
  if (environment) return environment;
  const schema = celType(z.toJSONSchema(factsSchema, { io: 'input' }) as Record<string, unknown>);
  if (typeof schema === 'string') throw new Error('the facts schema is not an object');
  const env = new Environment({ homogeneousAggregateLiterals: false });
  for (const [name, type] of Object.entries(schema)) {
    if (typeof type === 'string') env.registerVariable(name, type);
    else env.registerVariable({ name, schema: type });
  }
  registerFunctions(env);
  environment = env;
  return env;
}

function registerFunctions(env: Environment) {
  env.registerFunction('hours(string, string): double', (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / HOUR);
  env.registerFunction('days(string, string): double', (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / (24 * HOUR));
}

/**
 * The environment programs run in: the same variables, untyped. Every expression was type-checked against the facts
 * schema first; running it untyped spares converting each fact object on every evaluation (about a third faster).
 */
function evaluationEnvironment(): Environment {
  if (evaluator) return evaluator;
  const env = new Environment({ homogeneousAggregateLiterals: false });
  for (const name of Object.keys(factsSchema.shape)) env.registerVariable(name, 'dyn');
  registerFunctions(env);
  evaluator = env;
  return env;
}

/** A condition as one CEL expression. */
export function conditionSource(condition: Condition): string {
  if (typeof condition === 'string') return condition.trim();
  if ('all' in condition) return condition.all.map((item) => `(${conditionSource(item)})`).join(' && ');
  if ('any' in condition) return condition.any.map((item) => `(${conditionSource(item)})`).join(' || ');
  return `!(${conditionSource(condition.not)})`;
}

type Program = (facts: Facts) => unknown;

export interface CompiledRule {
  readonly rule: Rule;
  readonly test: Program;
  /** The clauses that read only request-level facts, evaluated once per request before any cell. */
  readonly requestTest?: Program;
  /** The clauses that read the target or the category (all of `test` when it is not an `all`). */
  readonly cellTest?: Program;
  readonly exception?: Program;
  /** For `explain`: each clause of a top-level `all`, in order, to name the first that did not hold. */
  readonly clauses: ReadonlyArray<{ readonly source: string; readonly test: Program }>;
  /** Which parts of a cell the rule reads: decides whether it is evaluated once, per category, or per target. */
  readonly readsTarget: boolean;
  readonly readsCategory: boolean;
  /**
   * The clocks the rule watches: `hours(<fact>, at) > N` (or `>=`, or `days(...)`) passes when `at` reaches the fact's
   * instant plus N hours. The re-review schedule wakes at each such instant.
   */
  readonly clocks: ReadonlyArray<{ readonly fact: string; readonly hours: number }>;
  /**
   * Plain JavaScript pre-checks of the simplest clauses of a top-level `all` (see `guardOf`): when one says false, the
   * clause cannot hold, so neither can the rule, and its CEL program need not run. When it says true, CEL decides.
   */
  readonly requestGuard?: Guard;
  readonly cellGuard?: Guard;
  /**
   * When every request-level (or every cell) clause has one of those forms: true only when they surely all hold (the
   * facts have the types the schema gives them), so their CEL program need not run either.
   */
  readonly requestSure?: Guard;
  readonly cellSure?: Guard;
}

/** False only when the clause it was made from cannot hold for these facts. */
export type Guard = (facts: Facts) => boolean;

// `category`, or a field of a fact group (`request.kind`): never `true`, `false` or a comprehension's variable.
const PATH = String.raw`(category|[a-z]+\.[A-Za-z]+)`;
const LITERAL = String.raw`(?:'([^'\\]*)'|"([^"\\]*)")`;
const LITERALS = String.raw`\[\s*((?:'[^'\\]*'|"[^"\\]*")(?:\s*,\s*(?:'[^'\\]*'|"[^"\\]*"))*)\s*,?\s*\]`;
const GUARD_FORMS: ReadonlyArray<{ readonly pattern: RegExp; readonly make: (path: string, text: string) => (value: unknown) => boolean }> =
  [
    { pattern: new RegExp(`^${PATH}\\s*==\\s*${LITERAL}$`), make: (_, text) => (value) => value === text },
    { pattern: new RegExp(`^${PATH}\\s*!=\\s*${LITERAL}$`), make: (_, text) => (value) => value !== text },
    { pattern: new RegExp(`^${PATH}\\s+in\\s+${LITERALS}$`), make: (_, text) => inList(text, true) },
    { pattern: new RegExp(`^!\\(\\s*${PATH}\\s+in\\s+${LITERALS}\\s*\\)$`), make: (_, text) => inList(text, false) },
    { pattern: new RegExp(`^${PATH}$`), make: () => (value) => value === true },
    { pattern: new RegExp(`^!\\s*${PATH}$`), make: () => (value) => value !== true },
  ];
// `'x' in list` and `!('x' in list)`: the path comes second.
const MEMBER = new RegExp(`^${LITERAL}\\s+in\\s+${PATH}$`);
const NOT_MEMBER = new RegExp(`^!\\(\\s*${LITERAL}\\s+in\\s+${PATH}\\s*\\)$`);

function inList(text: string, wanted: boolean): (value: unknown) => boolean {
  const items = new Set([...text.matchAll(/'([^'\\]*)'|"([^"\\]*)"/g)].map((match) => match[1] ?? match[2] ?? ''));
  return (value) => typeof value !== 'string' || items.has(value) === wanted;
}

const read = (path: string): ((facts: Facts) => unknown) => {
  const [group, key] = path.split('.') as [string, string | undefined];
  return key === undefined
    ? (facts) => (facts as unknown as Record<string, unknown>)[group]
    : (facts) => ((facts as unknown as Record<string, Record<string, unknown> | undefined>)[group] ?? {})[key];
};

/**
 * A guard for one clause, when it has one of the simplest forms (`a.b == 'x'`, `a.b != 'x'`, `a.b in ['x', 'y']`,
 * `!(a.b in [...])`, `a.b`, `!a.b`, `'x' in a.b`, `!('x' in a.b)`). Each is false only where CEL could not give true:
 * a value of another type or a missing one makes CEL give false or an error, and an error does not hold either.
 */
export function guardOf(source: string): Guard | undefined {
  const text = source.trim();
  for (const { pattern, make } of GUARD_FORMS) {
    const match = pattern.exec(text);
    if (!match?.[1]) continue;
    const get = read(match[1]);
    const test = make(match[1], match[2] ?? match[3] ?? '');
    return (facts) => test(get(facts));
  }
  for (const [pattern, wanted] of [
    [MEMBER, true],
    [NOT_MEMBER, false],
  ] as const) {
    const member = pattern.exec(text);
    if (!member?.[3]) continue;
    const item = member[1] ?? member[2] ?? '';
    const get = read(member[3]);
    return (facts) => {
      const list = get(facts);
      return Array.isArray(list) ? list.includes(item) === wanted : true;
    };
  }
  return undefined;
}

const SURE_FORMS: ReadonlyArray<{ readonly pattern: RegExp; readonly make: (text: string) => (value: unknown) => boolean }> = [
  { pattern: new RegExp(`^${PATH}\\s*==\\s*${LITERAL}$`), make: (text) => (value) => typeof value === 'string' && value === text },
  { pattern: new RegExp(`^${PATH}\\s*!=\\s*${LITERAL}$`), make: (text) => (value) => typeof value === 'string' && value !== text },
  { pattern: new RegExp(`^${PATH}\\s+in\\s+${LITERALS}$`), make: (text) => sureInList(text, true) },
  { pattern: new RegExp(`^!\\(\\s*${PATH}\\s+in\\s+${LITERALS}\\s*\\)$`), make: (text) => sureInList(text, false) },
  { pattern: new RegExp(`^${PATH}$`), make: () => (value) => value === true },
  { pattern: new RegExp(`^!\\s*${PATH}$`), make: () => (value) => value === false },
];

function sureInList(text: string, wanted: boolean): (value: unknown) => boolean {
  const items = new Set([...text.matchAll(/'([^'\\]*)'|"([^"\\]*)"/g)].map((match) => match[1] ?? match[2] ?? ''));
  return (value) => typeof value === 'string' && items.has(value) === wanted;
}

/** For a clause `guardOf` has a guard for: true only when the clause surely holds, its facts being of their schema types. */
export function sureOf(source: string): Guard | undefined {
  const text = source.trim();
  for (const { pattern, make } of SURE_FORMS) {
    const match = pattern.exec(text);
    if (!match?.[1]) continue;
    const get = read(match[1]);
    const test = make(match[2] ?? match[3] ?? '');
    return (facts) => test(get(facts));
  }
  for (const [pattern, wanted] of [
    [MEMBER, true],
    [NOT_MEMBER, false],
  ] as const) {
    const member = pattern.exec(text);
    if (!member?.[3]) continue;
    const item = member[1] ?? member[2] ?? '';
    const get = read(member[3]);
    return (facts) => {
      const list = get(facts);
      return Array.isArray(list) && list.every((each) => typeof each === 'string') && list.includes(item) === wanted;
    };
  }
  return undefined;
}

function allOf(guards: Guard[]): Guard | undefined {
  if (guards.length === 0) return undefined;
  if (guards.length === 1) return guards[0];
  return (facts) => {
    for (const guard of guards) if (!guard(facts)) return false;
    return true;
  };
}

const CLOCK = /\b(hours|days)\(\s*([a-z]+\.[A-Za-z]+)\s*,\s*at\s*\)\s*>=?\s*(\d+(?:\.\d+)?)/g;
/** The clocks an expression watches (see `CompiledRule.clocks`). */
export function clocksOf(source: string): Array<{ fact: string; hours: number }> {
  return [...source.matchAll(CLOCK)].map((match) => ({
    fact: match[2] ?? '',
    hours: Number(match[3]) * (match[1] === 'days' ? 24 : 1),
  }));
}

const STRING_LITERAL = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g;
const reads = (source: string, names: readonly string[]) => {
  const code = source.replace(STRING_LITERAL, '""');
  return names.some((name) => new RegExp(`(?<![.\\w])${name}\\b`).test(code));
};

function program(source: string, where: string): Program {
  const env = celEnvironment();
  const checked = env.check(source);
  if (!checked.valid) throw new Error(`${where}: ${checked.error?.message.split('\n')[0] ?? 'not a valid expression'}`);
  if (checked.type !== 'bool') throw new Error(`${where}: gives ${checked.type}, not a boolean`);
  const parsed = evaluationEnvironment().parse(source);
  return (facts) => parsed(facts as unknown as Record<string, unknown>);
}

/** Compiles one rule, or throws naming the rule and what is wrong with it. */
export function compileRule(rule: Rule): CompiledRule {
  const source = conditionSource(rule.if);
  const exception = rule.unless ? conditionSource(rule.unless) : undefined;
  const all = typeof rule.if === 'object' && 'all' in rule.if ? rule.if.all : [rule.if];
  const clauses = all.map((clause, index) => {
    const text = conditionSource(clause);
    return { source: text, test: program(text, `rule ${rule.id}, if (clause ${index + 1})`) };
  });
  const whole = `${source}${exception ? ` ${exception}` : ''}`;
  const perCell = (text: string) => reads(text, ['target', 'category', 'data']);
  const requestClauses = clauses.filter((clause) => !perCell(clause.source)).map((clause) => `(${clause.source})`);
  const cellClauses = clauses.filter((clause) => perCell(clause.source)).map((clause) => `(${clause.source})`);
  const guards = (cell: boolean) =>
    allOf(
      clauses.flatMap((clause) => (perCell(clause.source) === cell ? [guardOf(clause.source)].filter((guard) => guard !== undefined) : [])),
    );
  const requestGuard = guards(false);
  const cellGuard = guards(true);
  const sure = (cell: boolean) => {
    const chosen = clauses.filter((clause) => perCell(clause.source) === cell).map((clause) => sureOf(clause.source));
    return chosen.length > 0 && chosen.every((each) => each !== undefined) ? allOf(chosen) : undefined;
  };
  const requestSure = sure(false);
  const cellSure = sure(true);
  return {
    rule,
    test: program(source, `rule ${rule.id}, if`),
    ...(requestClauses.length ? { requestTest: program(requestClauses.join(' && '), `rule ${rule.id}, if`) } : {}),
    ...(cellClauses.length ? { cellTest: program(cellClauses.join(' && '), `rule ${rule.id}, if`) } : {}),
    ...(exception ? { exception: program(exception, `rule ${rule.id}, unless`) } : {}),
    clauses,
    clocks: clocksOf(whole),
    readsTarget: reads(whole, ['target']),
    readsCategory: reads(whole, ['category', 'data']),
    ...(requestGuard ? { requestGuard } : {}),
    ...(cellGuard ? { cellGuard } : {}),
    ...(requestSure ? { requestSure } : {}),
    ...(cellSure ? { cellSure } : {}),
  };
}

const compiledPacks = new WeakMap<readonly Rule[], CompiledRule[]>();
/** The compiled rules of a pack, compiled once per rule list. */
export function compileRules(rules: readonly Rule[]): CompiledRule[] {
  let found = compiledPacks.get(rules);
  if (!found) compiledPacks.set(rules, (found = rules.map(compileRule)));
  return found;
}

/** Whether a program holds; an error (a fact the request lacks) counts as not holding, and is reported. */
export function holds(test: Program, facts: Facts): { value: boolean; error?: string } {
  try {
    return { value: test(facts) === true };
  } catch (error) {
    return { value: false, error: (error as Error).message.split('\n')[0] ?? 'error' };
  }
}
