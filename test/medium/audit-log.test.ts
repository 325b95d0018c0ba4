/**
 * The audit log as a Merkle log, on both databases: events appended through the port are placed and signed; the proofs
 * the API serves verify here and in an independent implementation (test/support/rfc9162.py); and every way of
 * rewriting the log directly in the database (edit, delete, insert, reorder, truncate) is caught, naming the first
 * event that is not what was logged.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/core/actor.ts';
import { treeHeadFromJson, type TreeHead } from '../../src/core/audit-log.ts';
import { verifyConsistency, verifyInclusion } from '../../src/core/merkle.ts';
import type { Repositories, Transactor } from '../../src/core/ports.ts';
import { AUDIT_EVENTS_VIEW } from '../../src/db/audit-tree.repository.ts';
import { createRepositories } from '../../src/db/repositories.ts';
import type { Database } from '../../src/db/schema.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { proveConsistency, proveInclusion, sequenceAuditLog } from '../../src/services/audit-log.ts';
import { getRequest } from '../../src/services/get-request.ts';
import { verifyAuditLog, type LogVerification } from '../../src/services/verify-audit-log.ts';
import type { AppContext } from '../../src/server/context.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, submitted, type World } from '../support/factories.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'writ-audit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const unhex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

class Rollback extends Error {}

/** Runs `tamper` and the verifier in one transaction, then rolls it back: the log is as before for the next case. */
async function verifyTampered(
  context: AppContext,
  tamper: (trx: Kysely<Database>) => Promise<void>,
  heldHeads: readonly TreeHead[] = [],
): Promise<LogVerification> {
  let result: LogVerification | undefined;
  await context.database.db
    .transaction()
    .execute(async (trx) => {
      await tamper(trx);
      const repositories = createRepositories(trx);
      const store: Transactor<Repositories> = { read: repositories, transaction: (work) => work(repositories) };
      result = await verifyAuditLog({ ...context, store }, { heldHeads });
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return result!;
}

/** Moves leaves from `from` on by `by` (two steps, so the unique index never sees two rows at one place). */
async function shiftLeaves(trx: Kysely<Database>, from: number, by: number) {
  await sql`UPDATE audit_leaves SET position = -position - 1 WHERE position >= ${from}`.execute(trx);
  await sql`UPDATE audit_leaves SET position = -position - 1 + ${by} WHERE position < 0`.execute(trx);
}

/** The id of the event at a place. */
const idAt = (place: number) => sql`(SELECT entry_id FROM audit_leaves WHERE position = ${place})`;
async function entryAt(trx: Kysely<Database>, place: number): Promise<{ id: string; entry: string }> {
  const { rows } = await sql<{
    id: string;
    entry: string;
  }>`SELECT id::text AS id, entry FROM audit_entries WHERE id = ${idAt(place)}`.execute(trx);
  return rows[0]!;
}
/** Writes an entry straight into the table and gives it a place, as someone with the database could. */
async function putIn(trx: Kysely<Database>, entry: string, place: number) {
  const { rows } = await sql<{ id: string }>`INSERT INTO audit_entries (entry) VALUES (${entry}) RETURNING id::text AS id`.execute(trx);
  await sql`INSERT INTO audit_leaves (position, entry_id) VALUES (${place}, ${rows[0]!.id})`.execute(trx);
}

describeOnEachDatabase('the audit log', (db) => {
  let world: World;
  let app: App;
  let size = 0;

  beforeAll(async () => {
    const { context } = db();
    world = await buildWorld(context);
    app = await buildApp(context);
    // A log of many kinds of events, under several tree heads of uneven sizes.
    for (let round = 0; round < 4; round += 1) {
      const tracking = await submitted(context, world.officerA);
      await getRequest(context, world.reviewer, { reference: tracking });
      const request = await context.store.read.requests.find({ kind: 'desk' }, tracking);
      await context.store.transaction(async ({ audit }) => {
        for (let i = 0; i < round * 3 + 1; i += 1) {
          await audit.append(SYSTEM_ACTOR, {
            type: 'notice.sent',
            requestId: request!.id,
            data: { noticeId: `n-${round}-${i}`, targetId: `t-${i}` },
          });
        }
        await audit.append(world.counsel, { type: 'removal.actioned', requestId: request!.id, data: { action: 'removed', items: round } });
      });
      const { head } = await sequenceAuditLog(context, { wait: true });
      size = head!.size;
    }
  });
  afterAll(async () => {
    await app.close();
  });

  it('places every event and signs a head over them; the honest log verifies', async () => {
    const { context } = db();
    const count = await sql<{ n: string; placed: string }>`
      SELECT (SELECT count(*) FROM audit_events)::text AS n, (SELECT count(*) FROM audit_leaves)::text AS placed`.execute(
      context.database.db,
    );
    expect(Number(count.rows[0]!.n)).toBe(size);
    expect(Number(count.rows[0]!.placed)).toBe(size);
    const result = await verifyAuditLog(context);
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, size, unplaced: 0 });
    expect(result.treeHeads).toBeGreaterThanOrEqual(4);
    // Nothing new: no new head.
    expect((await sequenceAuditLog(context, { wait: true })).placed).toBe(0);
  });

  it('serves inclusion and consistency proofs that verify, in O(log n) hashes', async () => {
    const { context } = db();
    const heads = await context.store.read.auditTree.treeHeads({});
    for (const leafIndex of [0, 1, Math.floor(size / 2), size - 1]) {
      const proof = await proveInclusion(context, { leafIndex });
      expect(proof.proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(size)));
      expect(
        verifyInclusion(
          context.merkle,
          leafIndex,
          size,
          context.merkle.leaf(Buffer.from(proof.entry)),
          proof.proof.map(unhex),
          unhex(proof.treeHead.rootHash),
        ),
      ).toBe(true);
    }
    for (const first of heads.slice(0, -1)) {
      const proof = await proveConsistency(context, { first: first.size });
      expect(
        verifyConsistency(context.merkle, first.size, size, proof.proof.map(unhex), first.rootHash, unhex(proof.second.rootHash)),
      ).toBe(true);
    }
    // Over HTTP, without logging in.
    const latest = await app.inject({ method: 'GET', url: '/api/v1/audit/tree-heads/latest' });
    expect(latest.statusCode).toBe(200);
    expect(latest.json()).toMatchObject({ treeSize: size });
    const consistency = await app.inject({ method: 'GET', url: `/api/v1/audit/consistency?first=${heads[0]!.size}` });
    expect(consistency.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/audit/consistency?first=3' })).json()).toMatchObject({
      code: 'TREE_HEAD_NOT_FOUND',
    });
    expect((await app.inject({ method: 'GET', url: '/api/v1/audit/consistency?first=-1' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: `/api/v1/audit/events/0` })).statusCode).toBe(401);
  });

  it('agrees with an independent RFC 9162 implementation on every root and proof', async () => {
    const { context } = db();
    const { rows } = await sql<{ entry: string }>`
      SELECT e.entry FROM audit_leaves l JOIN audit_entries e ON e.id = l.entry_id ORDER BY l.position`.execute(context.database.db);
    const heads = await context.store.read.auditTree.treeHeads({});
    const inclusion = [];
    for (const head of heads) {
      for (const index of [0, head.size - 1, Math.floor(head.size / 3)]) {
        const proof = await proveInclusion(context, { leafIndex: index, treeSize: head.size });
        inclusion.push({ index, size: head.size, proof: proof.proof });
      }
    }
    const consistency = [];
    for (const [i, first] of heads.entries()) {
      for (const second of heads.slice(i)) {
        const proof = await proveConsistency(context, { first: first.size, second: second.size });
        consistency.push({ first: first.size, second: second.size, proof: proof.proof });
      }
    }
    const input = JSON.stringify({ entries: rows.map((row) => row.entry), heads: heads.map((head) => head.size), inclusion, consistency });
    const run = spawnSync('python3', ['test/support/rfc9162.py'], { input, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout) as {
      roots: Record<string, string>;
      inclusion: Array<{ samePath: boolean; verifies: boolean }>;
      consistency: Array<{ samePath: boolean; verifies: boolean }>;
    };
    expect(answer.roots).toEqual(Object.fromEntries(heads.map((head) => [String(head.size), Buffer.from(head.rootHash).toString('hex')])));
    expect(answer.inclusion.every((item) => item.samePath && item.verifies)).toBe(true);
    expect(answer.consistency.every((item) => item.samePath && item.verifies)).toBe(true);
    expect(answer.inclusion.length + answer.consistency.length).toBeGreaterThan(12);
  });

  it('signs heads that openssl verifies with the published key', async () => {
    const { context } = db();
    const head = (await app.inject({ method: 'GET', url: '/api/v1/audit/tree-heads/latest' })).json<{
      checkpoint: string;
      signature: string;
    }>();
    const pem = (await app.inject({ method: 'GET', url: '/.well-known/writ/signing-key.pem' })).body;
    const dir = mkdtempSync(path.join(scratch, `${db().kind}-`));
    writeFileSync(path.join(dir, 'checkpoint'), head.checkpoint);
    writeFileSync(path.join(dir, 'checkpoint.sig'), Buffer.from(head.signature, 'base64'));
    writeFileSync(path.join(dir, 'key.pem'), pem);
    const verify = (file: string) =>
      spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'key.pem', '-rawin', '-in', file, '-sigfile', 'checkpoint.sig'], {
        cwd: dir,
      }).status;
    expect(verify('checkpoint')).toBe(0);
    writeFileSync(path.join(dir, 'forged'), head.checkpoint.replace(/\n\d+\n/, `\n${size + 1}\n`));
    expect(verify('forged')).not.toBe(0);
    expect(context.logOrigin).toBe(head.checkpoint.split('\n')[0]);
  });

  describe('rewritten in the database', () => {
    const k = 5;

    it('an edited event: named', async () => {
      const result = await verifyTampered(db().context, async (trx) => {
        await sql`UPDATE audit_events SET entry = replace(entry, '"side":', '"sidе":') WHERE id = ${idAt(k)}`.execute(trx);
      });
      expect(result.ok).toBe(false);
      expect(result.problems[0]).toMatchObject({ leafIndex: k });
      expect(result.problems[0]!.message).toContain(`event ${k} is not the event logged at that place`);
    });

    it('an edited column: refused by the database itself; a column made editable, or a view that lies, is caught', async () => {
      const { context } = db();
      await expect(sql`UPDATE audit_events SET type = 'auth.logout' WHERE id = ${idAt(k)}`.execute(context.database.db)).rejects.toThrow();
      await expect(sql`UPDATE audit_entries SET fields = '{}' WHERE id = ${idAt(k)}`.execute(context.database.db)).rejects.toThrow();
      const editable = await verifyTampered(context, async (trx) => {
        await sql`ALTER TABLE audit_entries ALTER COLUMN fields DROP EXPRESSION`.execute(trx);
        await sql`UPDATE audit_entries SET fields = jsonb_set(fields, '{type}', '"auth.logout"') WHERE id = ${idAt(k)}`.execute(trx);
      });
      expect(editable.ok).toBe(false);
      expect(editable.problems.map((problem) => problem.message)).toContain(
        'audit_entries.fields is no longer generated from the entry: the events can say what the log does not',
      );
      const lying = await verifyTampered(context, async (trx) => {
        await sql
          .raw(
            `CREATE OR REPLACE VIEW audit_events AS ${AUDIT_EVENTS_VIEW.replace("fields ->> 'type' AS type", `CASE WHEN id = ${(await entryAt(trx, k)).id} THEN 'auth.logout' ELSE fields ->> 'type' END AS type`)}`,
          )
          .execute(trx);
      });
      expect(lying.problems.map((problem) => problem.message)).toContain(
        'the view audit_events no longer shows the entries as they are: the events can say what the log does not',
      );
    });

    it('a deleted event: named', async () => {
      // Its entry alone, or its entry and its place too.
      for (const placeToo of [false, true]) {
        const result = await verifyTampered(db().context, async (trx) => {
          const id = (await entryAt(trx, k)).id;
          await sql`DELETE FROM audit_events WHERE id = ${id}`.execute(trx);
          if (placeToo) await sql`DELETE FROM audit_leaves WHERE position = ${k}`.execute(trx);
        });
        expect(result.problems[0]).toMatchObject({ leafIndex: k, message: `event ${k} is missing: deleted from the log` });
      }
    });

    it('a deleted event with the later ones moved up to close the gap: named', async () => {
      const result = await verifyTampered(db().context, async (trx) => {
        await sql`DELETE FROM audit_entries WHERE id = ${idAt(k)}`.execute(trx);
        await sql`DELETE FROM audit_leaves WHERE position = ${k}`.execute(trx);
        await shiftLeaves(trx, k + 1, -1);
      });
      expect(result.problems[0]).toMatchObject({ leafIndex: k });
      expect(result.problems[0]!.message).toContain('is not the event logged at that place');
    });

    it('an event put in among the others: named', async () => {
      const result = await verifyTampered(db().context, async (trx) => {
        const forged = (await entryAt(trx, k)).entry;
        await shiftLeaves(trx, k, 1);
        await putIn(trx, forged.replace('"v":1', '"v":1 '), k);
      });
      expect(result.problems[0]).toMatchObject({ leafIndex: k });
    });

    it('an event put in after the last signed head: named', async () => {
      const result = await verifyTampered(db().context, async (trx) => {
        await putIn(trx, (await entryAt(trx, 0)).entry, size);
      });
      expect(result.problems[0]).toMatchObject({ leafIndex: size });
      expect(result.problems[0]!.message).toContain('no signed tree head covers them');
    });

    it('an event written around the log, never to be placed: caught', async () => {
      const result = await verifyTampered(db().context, async (trx) => {
        await sql`INSERT INTO audit_entries (entry) VALUES (${(await entryAt(trx, 0)).entry})`.execute(trx);
      });
      expect(result.problems.map((problem) => problem.message)).toContain(
        '1 events were written around the log: neither placed in the tree nor waiting to be',
      );
    });

    it('two events swapped: named at the first', async () => {
      const result = await verifyTampered(db().context, async (trx) => {
        await sql`UPDATE audit_leaves SET position = -1 WHERE position = ${k}`.execute(trx);
        await sql`UPDATE audit_leaves SET position = ${k} WHERE position = ${k + 1}`.execute(trx);
        await sql`UPDATE audit_leaves SET position = ${k + 1} WHERE position = -1`.execute(trx);
      });
      expect(result.problems[0]).toMatchObject({ leafIndex: k });
    });

    it('the end cut off: named where it was cut', async () => {
      const result = await verifyTampered(db().context, async (trx) => {
        await sql`DELETE FROM audit_entries WHERE id IN (SELECT entry_id FROM audit_leaves WHERE position >= ${size - 3})`.execute(trx);
        await sql`DELETE FROM audit_leaves WHERE position >= ${size - 3}`.execute(trx);
      });
      expect(result.problems[0]).toMatchObject({ leafIndex: size - 3 });
      expect(result.problems[0]!.message).toContain(`the log ends at ${size - 3} events, but a signed tree head covers ${size}`);
    });

    it('the end cut off with the heads and hashes that covered it: caught by a head held outside', async () => {
      const { context } = db();
      const held = treeHeadFromJson((await app.inject({ method: 'GET', url: '/api/v1/audit/tree-heads/latest' })).json())!;
      // Back to an earlier head, as if the events since had never been: the log alone then agrees with itself ...
      const cutAt = (await context.store.read.auditTree.treeHeads({})).at(-2)!.size;
      const cut = async (trx: Kysely<Database>) => {
        await sql`DELETE FROM audit_entries WHERE id IN (SELECT entry_id FROM audit_leaves WHERE position >= ${cutAt})`.execute(trx);
        await sql`DELETE FROM audit_leaves WHERE position >= ${cutAt}`.execute(trx);
        await sql`DELETE FROM audit_tree_heads WHERE tree_size > ${cutAt}`.execute(trx);
        await sql`DELETE FROM audit_tree_nodes WHERE (position + 1) * (2 ^ level) > ${cutAt}`.execute(trx);
      };
      expect((await verifyTampered(context, cut)).problems).toEqual([]);
      // ... but not with the head an agency or a reader of a report kept.
      const result = await verifyTampered(context, cut, [held]);
      expect(result.ok).toBe(false);
      expect(result.problems[0]).toMatchObject({ leafIndex: cutAt });
      expect(result.problems[0]!.message).toContain(`the log ends at ${cutAt} events, but a signed tree head covers ${size}`);
    });

    it('a head replaced by a forged one: its signature does not verify', async () => {
      const result = await verifyTampered(db().context, async (trx) => {
        await sql`UPDATE audit_tree_heads SET checkpoint = replace(checkpoint, 'Z', 'Z ') WHERE tree_size = ${size}`.execute(trx);
      });
      expect(result.problems.map((problem) => problem.message)).toContain(`the tree head of size ${size} does not carry a valid signature`);
    });
  });
});
