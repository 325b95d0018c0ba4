/** Productions and their downloads. The unique decision id makes a second run reuse the first production. */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { ProductionOutcome, ProductionRecord } from '../core/model.ts';
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
});

export function productionRepository(db: Kysely<Database>): ProductionRepository {
  return {
    async claim(requestId, decisionId) {
      const row = await db
        .insertInto('productions')
        .values({ request_id: requestId, decision_id: decisionId, state: 'running', outcomes: '[]' })
        .onConflict((conflict) =>
          conflict.column('decision_id').doUpdateSet({
            // A completed production stays as it is; a failed or interrupted one runs again under the same id.
            state: sql`CASE WHEN productions.state = 'completed' THEN 'completed' ELSE 'running' END`,
            attempts: sql`CASE WHEN productions.state = 'completed' THEN productions.attempts ELSE productions.attempts + 1 END`,
            failure: sql`CASE WHEN productions.state = 'completed' THEN productions.failure ELSE NULL END`,
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },
    async complete(id, result) {
      await db
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
        .execute();
    },
    async fail(id, failure) {
      await db.updateTable('productions').set({ state: 'failed', failure }).where('id', '=', id).where('state', '=', 'running').execute();
    },
    async latestForRequest(requestId) {
      const row = await db
        .selectFrom('productions')
        .selectAll()
        .where('request_id', '=', requestId)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toRecord(row) : undefined;
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
