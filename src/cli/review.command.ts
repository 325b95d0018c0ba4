/**
 * `writ review <request.json> [--at <instant>] [--explain]`: reviews a request written by hand and prints, as JSON, its
 * findings and the verdict per target × category with citations. The body is what `POST /api/v1/review` accepts
 * (docs/rules.md); the code is the same (core/review/dry-run.ts). Nothing is stored, no database is opened: only the
 * rule packs and the policy are read (WRIT_RULES_DIR, WRIT_POLICY_FILE). `-` reads the request from standard input.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { dryRunReview, reviewInputSchema } from '../core/review/dry-run.ts';
import { loadConfig } from '../config/config.ts';
import { loadPolicy, loadRulePacks } from '../rules/rule-files.ts';

const USAGE = 'Usage: writ review <request.json | -> [--at <instant>] [--explain]';

async function readInput(file: string): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function reviewCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { at: { type: 'string' }, explain: { type: 'boolean', default: false } },
  });
  const [file] = positionals;
  if (!file || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  let at: Date | undefined;
  if (values.at !== undefined) {
    const parsed = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).safeParse(values.at);
    if (!parsed.success) {
      console.error(`writ review: --at must be an instant (2026-11-20T12:00:00Z) or a day (2026-11-20)`);
      return 2;
    }
    at = new Date(parsed.data.length === 10 ? `${parsed.data}T00:00:00Z` : parsed.data);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readInput(file));
  } catch (error) {
    console.error(`writ review: ${file}: not readable JSON (${(error as Error).message.split('\n')[0]})`);
    return 2;
  }
  const parsed = reviewInputSchema.safeParse(raw);
  if (!parsed.success) {
    console.error(`writ review: ${file} is not a valid request:`);
    for (const issue of parsed.error.issues) console.error(`  ${issue.path.join('.') || '(top)'}: ${issue.message}`);
    return 2;
  }
  const config = loadConfig(process.env);
  const shipped = path.resolve(import.meta.dirname, '../..');
  const rules = {
    packs: loadRulePacks(config.WRIT_RULES_DIR ?? path.join(shipped, 'rules')),
    policy: loadPolicy(config.WRIT_POLICY_FILE ?? path.join(shipped, 'policy.yaml')),
  };
  const result = dryRunReview(parsed.data, { ...rules, now: new Date() }, { ...(at ? { at } : {}), explain: values.explain });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return 0;
}
