/**
 * `writ audit verify`: the whole audit log against every tree head it signed (and heads you hold), naming the first bad
 * event; or, offline, a delivery receipt, or a proof the API served against a tree head you hold.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { TreeHead } from '../core/audit-log.ts';
import { loadConfig } from '../config/config.ts';
import { checkProof, checkReceiptFile, checkTreeHead, publicKeysIn, type OfflineCheck } from '../evidence/receipt-verifier.ts';
import { loadSigningKeys } from '../evidence/signing-key.ts';
import { sequenceAuditLog } from '../services/audit-log.ts';
import { verifyAuditLog } from '../services/verify-audit-log.ts';
import { createContext } from '../server/context.ts';

const USAGE = `Usage:
  writ audit verify [--tree-head <head.json>]...
        The whole log, on this installation's database: every event against every signed tree head, and against
        heads you hold (from a receipt, a report, GET /api/v1/audit/tree-heads/latest). Names the first bad event.
  writ audit verify --receipt <writ-receipt-….json> [--fingerprint sha256:<hex>]...
        Offline: a delivery receipt's inclusion proof and tree head signature.
  writ audit verify --proof <proof.json> --tree-head <head.json> --key <signing-key.pem>
        Offline: a proof the API served (an event's inclusion proof, or a consistency proof) against a head you hold.`;

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new Error(`${file}: not a JSON file that can be read`);
  }
}

function print(check: OfflineCheck): number {
  if (check.ok) {
    console.log(`OK: ${check.summary}.`);
    return 0;
  }
  console.error('FAILED');
  for (const problem of check.problems) console.error(`  ${problem}`);
  return 1;
}

export async function auditCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify') {
    console.error(USAGE);
    return 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      'tree-head': { type: 'string', multiple: true },
      receipt: { type: 'string' },
      proof: { type: 'string' },
      key: { type: 'string', multiple: true },
      fingerprint: { type: 'string', multiple: true },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) {
    console.error(USAGE);
    return 2;
  }
  try {
    if (values.receipt) return print(await checkReceiptFile(values.receipt, { trustedFingerprints: values.fingerprint }));
    if (values.proof) {
      const [held] = values['tree-head'] ?? [];
      if (!held || !values.key) {
        console.error(USAGE);
        return 2;
      }
      const keys = new Map<string, string>();
      for (const file of values.key)
        for (const [fingerprint, pem] of publicKeysIn(await readFile(file, 'utf8'))) keys.set(fingerprint, pem);
      return print(checkProof(await readJson(values.proof), await readJson(held), keys));
    }
  } catch (error) {
    console.error(`writ audit verify: ${(error as Error).message}`);
    return 2;
  }

  const config = loadConfig();
  const context = await createContext(config);
  try {
    const keys = new Map((await loadSigningKeys(context.keysDir)).map((key) => [key.fingerprint, key.publicKeyPem]));
    const held: TreeHead[] = [];
    for (const file of values['tree-head'] ?? []) {
      const checked = checkTreeHead(await readJson(file), keys);
      if (!checked.head) {
        console.error(`${file}: ${checked.problems.join('; ')}`);
        return 2;
      }
      held.push(checked.head);
    }
    // Events committed a moment ago are placed first, so the check covers everything there is.
    await sequenceAuditLog(context, { wait: true }).catch(() => undefined);
    const result = await verifyAuditLog(context, { heldHeads: held });
    if (result.ok) {
      console.log(
        `OK: ${result.size} events, each where it was logged, under ${result.treeHeads} signed tree heads${held.length > 0 ? ` and the ${held.length} you hold` : ''}.`,
      );
      if (result.latest)
        console.log(`Latest tree head: size ${result.latest.treeSize}, root ${result.latest.rootHash}, signed ${result.latest.signedAt}.`);
      if (held.length === 0) {
        console.log(
          'A log rewritten together with its own heads can only be caught against a head held outside: pass one with --tree-head.',
        );
      }
      return 0;
    }
    const [first] = result.problems;
    console.error(`FAILED: the audit log is not what was logged.`);
    if (first?.leafIndex !== undefined) {
      const event = first.event ? ` (event id ${first.event.id}, ${first.event.type} at ${first.event.at})` : '';
      console.error(`First bad event: ${first.leafIndex}${event}`);
    }
    for (const problem of result.problems)
      console.error(`  ${problem.leafIndex !== undefined ? `[${problem.leafIndex}] ` : ''}${problem.message}`);
    return 1;
  } finally {
    await context.close();
  }
}
