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

/**
 * The view the app reads events through, exactly as migration 0020 made it. The verifier makes a temporary view of
 * this same text and compares PostgreSQL's own rendering of both, so a view changed to show what the entries do not
 * say is caught, whatever the server version prints.
 */
export const AUDIT_EVENTS_VIEW = `SELECT id, entry, (fields ->> 'v')::integer AS version, fields ->> 'type' AS type,
  writ_utc(fields ->> 'at') AS occurred_at, (fields ->> 'actorUserId')::uuid AS actor_user_id,
  (fields ->> 'actorOrganisationId')::uuid AS actor_organisation_id, fields ->> 'via' AS via,
  (fields ->> 'requestId')::uuid AS request_id, coalesce(fields -> 'data', '{}'::jsonb) AS data
  FROM audit_entries`;

export function auditTreeRepository(db: Kysely<Database>): AuditTree {
  const rowByRow = async (from: number): Promise<LeafBatch> => {
    const { rows } = await sql<{ leaf_index: string; entry: string }>`
      SELECT l.position AS leaf_index, e.entry FROM audit_leaves l JOIN audit_entries e ON e.id = l.entry_id
      WHERE l.position >= ${from} AND l.position < ${from + SCAN_BATCH} ORDER BY l.position
    `.execute(db);
    return {
      indexes: rows.map((row) => Number(row.leaf_index)),
      prefixedEntries: rows.map((row) => Buffer.concat([LEAF_PREFIX, Buffer.from(row.entry, 'utf8')])),
    };
  };
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
      const { rows } = await sql<{ id: string; entry: string | null }>`
        SELECT u.id, e.entry FROM audit_unplaced u LEFT JOIN audit_entries e ON e.id = u.id ORDER BY u.id LIMIT ${limit}
      `.execute(db);
      // An event removed before it was placed is gone, as one never written: its place in the queue goes too.
      const gone = rows.filter((row) => row.entry === null).map((row) => row.id);
      if (gone.length > 0) await sql`DELETE FROM audit_unplaced WHERE id = ANY(${gone}::bigint[])`.execute(db);
      return rows.filter((row) => row.entry !== null).map((row) => ({ id: String(row.id), leafIndex: null, entry: row.entry! }));
    },
    async unsequencedCount() {
      const row = await db
        .selectFrom('audit_unplaced')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async place(leaves, nodes) {
      if (leaves.length > 0) {
        await sql`
          INSERT INTO audit_leaves (position, entry_id)
          SELECT * FROM unnest(${leaves.map((leaf) => leaf.index)}::bigint[], ${leaves.map((leaf) => leaf.id)}::bigint[])
        `.execute(db);
        await sql`DELETE FROM audit_unplaced WHERE id = ANY(${leaves.map((leaf) => leaf.id)}::bigint[])`.execute(db);
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
      const { rows } = await sql<{ id: string; leaf_index: string; entry: string }>`
        SELECT e.id, l.position AS leaf_index, e.entry FROM audit_leaves l JOIN audit_entries e ON e.id = l.entry_id WHERE l.position = ${index}
      `.execute(db);
      return rows[0] ? toEvent(rows[0]) : undefined;
    },
    async findEvent(query) {
      const { rows } = await sql<{ id: string; leaf_index: string | null; entry: string }>`
        SELECT e.id, l.position AS leaf_index, e.entry FROM audit_events e LEFT JOIN audit_leaves l ON l.entry_id = e.id
        WHERE e.request_id = ${query.requestId} AND e.type = ${query.type} AND e.data ->> ${query.field} = ${query.value}
        ORDER BY e.id DESC LIMIT 1
      `.execute(db);
      return rows[0] ? toEvent(rows[0]) : undefined;
    },
    async *scan(): AsyncIterable<LeafBatch> {
      // A batch is one row: PostgreSQL joins the entries of SCAN_BATCH places with line feeds (an entry never holds a
      // raw one: JSON escapes them), so a million events make fifty rows here, not a million.
      const end = await sql<{ last: string | null }>`SELECT max(position) AS last FROM audit_leaves`.execute(db);
      const last = end.rows[0]?.last === null || end.rows[0]?.last === undefined ? -1 : Number(end.rows[0].last);
      const fetch = (from: number) =>
        sql<{ n: string; first: string | null; last: string | null; entries: string | null }>`
          SELECT count(*) AS n, min(position) AS first, max(position) AS last, string_agg(entry, E'\n') AS entries
          FROM (
            SELECT l.position, e.entry FROM audit_leaves l JOIN audit_entries e ON e.id = l.entry_id
            WHERE l.position >= ${from} AND l.position < ${from + SCAN_BATCH} ORDER BY l.position
          ) batch
        `.execute(db);
      // Two batches are asked for ahead, so the server reads while this process hashes.
      const ahead: Array<ReturnType<typeof fetch>> = [];
      for (let from = 0; from <= last && ahead.length < 2; from += SCAN_BATCH) ahead.push(fetch(from));
      for (let from = 0; from <= last; from += SCAN_BATCH) {
        const { rows } = await ahead.shift()!;
        if (from + 2 * SCAN_BATCH <= last) ahead.push(fetch(from + 2 * SCAN_BATCH));
        const row = rows[0];
        const count = Number(row?.n ?? 0);
        if (!row || count === 0 || row.entries === null) continue;
        const bytes = Buffer.from(`\n${row.entries}`, 'utf8');
        const starts: number[] = [];
        for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) starts.push(at);
        const contiguous = Number(row.first) === from && Number(row.last) === from + count - 1;
        if (starts.length !== count || !contiguous) {
          // Places missing, or an entry with a raw line feed (put there by hand): this batch row by row.
          yield await rowByRow(from);
          continue;
        }
        const prefixedEntries = starts.map((start, position) => {
          bytes[start] = 0x00;
          return bytes.subarray(start, starts[position + 1] ?? bytes.length);
        });
        yield { indexes: Array.from({ length: count }, (_, position) => from + position), prefixedEntries };
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
      const problems: string[] = [];
      const generated = await sql<{ generation_expression: string | null }>`
        SELECT generation_expression FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'audit_entries' AND column_name = 'fields' AND is_generated = 'ALWAYS'
      `.execute(db);
      await sql`CREATE TEMP TABLE IF NOT EXISTS writ_expected_audit_entries (entry text, fields jsonb GENERATED ALWAYS AS (entry::jsonb) STORED)`.execute(
        db,
      );
      const expected = await sql<{ generation_expression: string | null }>`
        SELECT generation_expression FROM information_schema.columns
        WHERE table_name = 'writ_expected_audit_entries' AND column_name = 'fields'
      `.execute(db);
      if (generated.rows[0]?.generation_expression !== expected.rows[0]?.generation_expression || !generated.rows[0]) {
        problems.push('audit_entries.fields is no longer generated from the entry: the events can say what the log does not');
      }
      await sql.raw(`CREATE OR REPLACE TEMP VIEW writ_expected_audit_events AS ${AUDIT_EVENTS_VIEW}`).execute(db);
      const views = await sql<{ actual: string | null; wanted: string | null }>`
        SELECT (SELECT pg_get_viewdef(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relname = 'audit_events' AND c.relkind = 'v' AND n.nspname = current_schema()) AS actual,
               pg_get_viewdef('writ_expected_audit_events'::regclass) AS wanted
      `.execute(db);
      if (!views.rows[0]?.actual || views.rows[0].actual !== views.rows[0].wanted) {
        problems.push('the view audit_events no longer shows the entries as they are: the events can say what the log does not');
      }
      // Every entry is placed or waits to be: one written around the queue would never be in the tree.
      const counts = await sql<{ stray: string }>`
        SELECT (SELECT count(*) FROM audit_entries) - (SELECT count(*) FROM audit_leaves l WHERE EXISTS (SELECT 1 FROM audit_entries e WHERE e.id = l.entry_id))
               - (SELECT count(*) FROM audit_unplaced) AS stray
      `.execute(db);
      const stray = Number(counts.rows[0]?.stray ?? 0);
      if (stray > 0) problems.push(`${stray} events were written around the log: neither placed in the tree nor waiting to be`);
      return problems;
    },
  };
}

export type { NodeKey };
