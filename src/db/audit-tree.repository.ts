/** The audit log's Merkle tree in PostgreSQL (migration 0020): placed events, subtree hashes, signed tree heads. */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { TreeHead } from '../core/audit-log.ts';
import { nodeKeyOf, type NodeKey } from '../core/merkle.ts';
import type { AuditTree, LeafBatch, LoggedEvent } from '../core/ports.ts';
import type { AuditTreeHeadsTable, Database } from './schema.ts';

// Any constant every process agrees on: one sequencer at a time, across processes.
const SEQUENCER_LOCK = 7_377_412;
const SCAN_BATCH = 20_000;
const LEAF_PREFIX = Buffer.from([0x00]);

const toHead = (row: Selectable<AuditTreeHeadsTable>): TreeHead => ({
  size: Number(row.tree_size),
  rootHash: new Uint8Array(row.root_hash),
  signedAt: row.signed_at.toISOString(),
  checkpoint: row.checkpoint,
  signature: new Uint8Array(row.signature),
  keyFingerprint: row.key_fingerprint,
});

const toEvent = (row: { id: string; leaf_index: string | null; entry: string }): LoggedEvent => ({
  id: String(row.id),
  leafIndex: row.leaf_index === null ? null : Number(row.leaf_index),
  entry: row.entry,
});

/** The columns of audit_events that must stay generated from `entry` for the log to mean anything. */
const DERIVED_COLUMNS = ['version', 'type', 'occurred_at', 'actor_user_id', 'actor_organisation_id', 'via', 'request_id', 'data'];

export function auditTreeRepository(db: Kysely<Database>): AuditTree {
  return {
    async lockSequencer(wait) {
      if (wait) {
        await sql`SELECT pg_advisory_xact_lock(${SEQUENCER_LOCK})`.execute(db);
        return true;
      }
      const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(${SEQUENCER_LOCK}) AS locked`.execute(db);
      return rows[0]?.locked === true;
    },
    async unsequenced(limit) {
      const rows = await db
        .selectFrom('audit_events')
        .select(['id', 'leaf_index', 'entry'])
        .where('leaf_index', 'is', null)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toEvent);
    },
    async unsequencedCount() {
      const row = await db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('leaf_index', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async place(leaves, nodes) {
      if (leaves.length > 0) {
        await sql`
          UPDATE audit_events SET leaf_index = placed.leaf_index
          FROM unnest(${leaves.map((leaf) => leaf.id)}::bigint[], ${leaves.map((leaf) => leaf.index)}::bigint[]) AS placed (id, leaf_index)
          WHERE audit_events.id = placed.id AND audit_events.leaf_index IS NULL
        `.execute(db);
      }
      if (nodes.length > 0) {
        await sql`
          INSERT INTO audit_tree_nodes (level, position, hash)
          SELECT * FROM unnest(
            ${nodes.map((node) => node.level)}::smallint[],
            ${nodes.map((node) => node.index)}::bigint[],
            ${nodes.map((node) => Buffer.from(node.hash))}::bytea[]
          )
        `.execute(db);
      }
    },
    async nodes(keys) {
      const found = new Map<string, Uint8Array>();
      if (keys.length === 0) return found;
      const { rows } = await sql<{ level: number; position: string; hash: Uint8Array }>`
        SELECT n.level, n.position, n.hash FROM audit_tree_nodes n
        JOIN unnest(${keys.map((key) => key.level)}::smallint[], ${keys.map((key) => key.index)}::bigint[]) AS k (level, position)
          ON n.level = k.level AND n.position = k.position
      `.execute(db);
      for (const row of rows) found.set(nodeKeyOf({ level: row.level, index: Number(row.position) }), new Uint8Array(row.hash));
      return found;
    },
    async addTreeHead(head) {
      await db
        .insertInto('audit_tree_heads')
        .values({
          tree_size: head.size,
          root_hash: Buffer.from(head.rootHash),
          signed_at: head.signedAt,
          checkpoint: head.checkpoint,
          signature: Buffer.from(head.signature),
          key_fingerprint: head.keyFingerprint,
        })
        .execute();
    },
    async latestTreeHead() {
      const row = await db.selectFrom('audit_tree_heads').selectAll().orderBy('tree_size', 'desc').limit(1).executeTakeFirst();
      return row ? toHead(row) : undefined;
    },
    async treeHead(size) {
      const row = await db
        .selectFrom('audit_tree_heads')
        .selectAll()
        .where('tree_size', '=', String(size) as never)
        .executeTakeFirst();
      return row ? toHead(row) : undefined;
    },
    async treeHeads(query) {
      let select = db.selectFrom('audit_tree_heads').selectAll().orderBy('tree_size');
      if (query.fromSize !== undefined) select = select.where('tree_size', '>=', String(query.fromSize) as never);
      if (query.limit !== undefined) select = select.limit(query.limit);
      return (await select.execute()).map(toHead);
    },
    async leaf(index) {
      const row = await db
        .selectFrom('audit_events')
        .select(['id', 'leaf_index', 'entry'])
        .where('leaf_index', '=', String(index) as never)
        .executeTakeFirst();
      return row ? toEvent(row) : undefined;
    },
    async findEvent(query) {
      const row = await db
        .selectFrom('audit_events')
        .select(['id', 'leaf_index', 'entry'])
        .where('request_id', '=', query.requestId)
        .where('type', '=', query.type)
        .where(sql<boolean>`data ->> ${query.field} = ${query.value}`)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toEvent(row) : undefined;
    },
    async *scan(): AsyncIterable<LeafBatch> {
      let from = 0;
      for (;;) {
        const { rows } = await sql<{ leaf_index: string; entry: string }>`
          SELECT leaf_index, entry FROM audit_events WHERE leaf_index >= ${from} ORDER BY leaf_index LIMIT ${SCAN_BATCH}
        `.execute(db);
        if (rows.length === 0) return;
        yield {
          indexes: rows.map((row) => Number(row.leaf_index)),
          prefixedEntries: rows.map((row) => Buffer.concat([LEAF_PREFIX, Buffer.from(row.entry, 'utf8')])),
        };
        from = Number(rows.at(-1)!.leaf_index) + 1;
      }
    },
    async storedLeafHashes(from, to) {
      const rows = await db
        .selectFrom('audit_tree_nodes')
        .select(['position', 'hash'])
        .where('level', '=', 0)
        .where('position', '>=', String(from) as never)
        .where('position', '<', String(to) as never)
        .execute();
      return new Map(rows.map((row) => [Number(row.position), new Uint8Array(row.hash)]));
    },
    async schemaProblems() {
      const { rows } = await sql<{ column_name: string; is_generated: string }>`
        SELECT column_name, is_generated FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'audit_events'
      `.execute(db);
      const generated = new Map(rows.map((row) => [row.column_name, row.is_generated === 'ALWAYS']));
      return DERIVED_COLUMNS.filter((name) => generated.get(name) !== true).map(
        (name) => `audit_events.${name} is no longer generated from the entry: it can say what the log does not`,
      );
    },
  };
}

export type { NodeKey };
