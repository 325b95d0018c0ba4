/**
 * Reads the rule packs (`rules/<pack>.yaml`) and the platform policy (`policy.yaml`) at start, and refuses to start on
 * any that does not validate, naming the file and the place in it, or whose conditions name a fact the facts model does
 * not have.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { compileRules } from '../core/review/compile.ts';
import { policySchema, rulePackSchema, type Policy, type RulePack } from '../core/review/rule-pack.ts';

function readYaml<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not readable YAML (${(error as Error).message.split('\n')[0]})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: invalid at ${issue?.path.join('.') || 'the top'}: ${issue?.message ?? 'unknown problem'}`);
  }
  const data = parsed.data as { rules: RulePack['rules'] };
  try {
    // Every condition is checked against the facts schema now, so a fact path that does not exist stops the start.
    compileRules(data.rules);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  return parsed.data;
}

export function loadRulePacks(directory: string): RulePack[] {
  const files = readdirSync(directory)
    .filter((name) => name.endsWith('.yaml'))
    .sort();
  const packs = files.map((name) => readYaml(path.join(directory, name), rulePackSchema));
  const seen = new Set<string>();
  for (const [index, pack] of packs.entries()) {
    if (seen.has(pack.pack)) throw new Error(`${files[index]}: pack ${pack.pack} is defined twice`);
    if (`${pack.pack}.yaml` !== files[index]) throw new Error(`${files[index]}: a pack named ${pack.pack} must be in ${pack.pack}.yaml`);
    seen.add(pack.pack);
  }
  return packs;
}

export const loadPolicy = (file: string): Policy => readYaml(file, policySchema);
