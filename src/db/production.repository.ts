/** Productions and their downloads. The unique decision id makes a second run reuse the first production. */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { ProductionOutcome, ProductionProgress, ProductionRecord } from '../core/model.ts';
import type { ProductionRepository } from '../core/ports.ts';
import type { Database, ProductionsTable } from './schema.ts';

const toRecord = (row: Selectable<ProductionsTable>): ProductionRecord => ({
  id: row.id,
  requestId: row.request_id,
  decisionId: row.decision_id,
  state: row.state,
  attempts: row.attempts,
  tagManifestSha256: row.tag_manifest_sha256,
  keyFingerprint: row.key_fingerprint,
  payloadBytes: row.payload_bytes === null ? null : Number(row.payload_bytes),
  outcomes: row.outcomes as ProductionOutcome[],
  failure: row.failure,
  availableUntil: row.available_until?.toISOString() ?? null,
  createdAt: row.created_at.toISOString(),
  completedAt: row.completed_at?.toISOString() ?? null,
  part: row.part,
  window: row.window_from && row.window_to ? { from: row.window_from.toISOString(), to: row.window_to.toISOString() } : null,
  progress: (row.progress as ProductionProgress | null) ?? null,
});

export function productionRepository(db: Kysely<Database>): ProductionRepository {
  return {
    async claim(requestId, decisionId, part) {
      const row = await db
        .insertInto('productions')
        .values({
          request_id: requestId,
          decision_id: decisionId,
          state: 'running',
          outcomes: '[]',
          part: part?.number ?? 0,
          window_from: part ? part.from : null,
          window_to: part ? part.to : null,
        })
        .onConflict((conflict) =>
          // A part's window is fixed when it is first claimed: a rerun reads the same records again.
          conflict.columns(['decision_id', 'part']).doUpdateSet({
            // A completed production stays as it is; a failed or interrupted one runs again under the same id.
            state: sql`CASE WHEN productions.state = 'completed' THEN 'completed' ELSE 'running' END`,
            attempts: sql`CASE WHEN productions.state = 'completed' THEN productions.attempts ELSE productions.attempts + 1 END`,
            failure: sql`CASE WHEN productions.state = 'completed' THEN productions.failure ELSE NULL END`,
            progress: sql`CASE WHEN productions.state = 'completed' THEN productions.progress ELSE NULL END`,
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },
    async complete(id, result) {
      const updated = await db
        .updateTable('productions')
        .set({
          state: 'completed',
          tag_manifest_sha256: result.tagManifestSha256,
          key_fingerprint: result.keyFingerprint,
          payload_bytes: result.payloadBytes,
          outcomes: JSON.stringify(result.outcomes),
          available_until: result.availableUntil,
          completed_at: result.at,
        })
        .where('id', '=', id)
        .where('state', '=', 'running')
        // Only the latest attempt completes: an older one still running (its job taken for dead) loses.
        .where('attempts', '=', result.attempt)
        .executeTakeFirst();
      return updated.numUpdatedRows === 1n;
    },
    async parts(requestId) {
      const rows = await db.selectFrom('productions').selectAll().where('request_id', '=', requestId).orderBy('part').execute();
      return rows.map(toRecord);
    },
    async fail(id, failure, attempt) {
      let query = db.updateTable('productions').set({ state: 'failed', failure }).where('id', '=', id).where('state', '=', 'running');
      // An older attempt that fails leaves the latest one running.
      if (attempt !== undefined) query = query.where('attempts', '=', attempt);
      await query.execute();
    },
    async latestForRequest(requestId) {
      const row = await db
        .selectFrom('productions')
        .selectAll()
        .where('request_id', '=', requestId)
        .orderBy('part', 'desc')
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },
    async setProgress(id, attempt, progress) {
      await db
        .updateTable('productions')
        .set({ progress: JSON.stringify(progress) })
        .where('id', '=', id)
        .where('state', '=', 'running')
        .where('attempts', '=', attempt)
        .execute();
    },
    async setReceipt(id, receipt) {
      // The first receipt stays: two deliveries racing to make one keep the same.
      await db
        .updateTable('productions')
        .set({ receipt: JSON.stringify(receipt) })
        .where('id', '=', id)
        .where('receipt', 'is', null)
        .execute();
    },
    async receiptOf(id) {
      const row = await db.selectFrom('productions').select('receipt').where('id', '=', id).executeTakeFirst();
      return row?.receipt ?? undefined;
    },
    async recordDownload(productionId, userId) {
      await db.insertInto('production_downloads').values({ production_id: productionId, user_id: userId }).execute();
    },
  };
}
