/** Legal process documents' records (the bytes are in the file store). */
import { sql, type Kysely, type Selectable } from 'kysely';
import { documentFileName, isLegalDocumentType, safeFileName } from '../core/documents.ts';
import type { DocumentRecord } from '../core/model.ts';
import type { DocumentRepository } from '../core/ports.ts';
import type { Database, DocumentsTable } from './schema.ts';

const toRecord = (row: Selectable<DocumentsTable>): DocumentRecord => ({
  id: row.id,
  organisationId: row.organisation_id,
  uploadedBy: row.uploaded_by,
  requestId: row.request_id,
  // Names stored before they were cleaned (issue 17) are shown cleaned, wherever they are read.
  fileName: isLegalDocumentType(row.media_type) ? documentFileName(row.file_name, row.media_type) : safeFileName(row.file_name),
  mediaType: row.media_type,
  size: Number(row.size),
  sha256: row.sha256,
  createdAt: row.created_at.toISOString(),
});

export function documentRepository(db: Kysely<Database>): DocumentRepository {
  return {
    async insert(document) {
      const row = await db
        .insertInto('documents')
        .values({
          organisation_id: document.organisationId,
          uploaded_by: document.uploadedBy,
          file_name: document.fileName,
          media_type: document.mediaType,
          size: document.size,
          sha256: document.sha256,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },
    async find(scope, id) {
      let query = db.selectFrom('documents').selectAll('documents').where('documents.id', '=', id);
      if (scope.kind === 'agency') query = query.where('documents.organisation_id', '=', scope.agencyId);
      const row = await query.executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },
    async attach(organisationId, ids, requestId) {
      if (ids.length === 0) return [];
      return db
        .updateTable('documents')
        .set({ request_id: requestId })
        .where('id', 'in', [...ids])
        .where('organisation_id', '=', organisationId)
        .where('request_id', 'is', null)
        .returning(['id', 'sha256'])
        .execute();
    },
    async deleteUnattached(id) {
      // Row-locked against a submission attaching it at the same moment: whichever commits first wins, and the other
      // finds no unattached document (the submission then refuses the id as unknown).
      const row = await db.deleteFrom('documents').where('id', '=', id).where('request_id', 'is', null).returningAll().executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },
    async fileInUse(sha256) {
      const row = await sql<{ used: boolean }>`
        SELECT EXISTS (SELECT 1 FROM documents WHERE sha256 = ${sha256})
            OR EXISTS (SELECT 1 FROM preserved_items i JOIN preservations p ON p.id = i.preservation_id
                       WHERE i.sha256 = ${sha256} AND p.copy_state <> 'released')
            OR EXISTS (SELECT 1 FROM intake_messages WHERE sha256 = ${sha256}) AS used
      `.execute(db);
      return row.rows[0]?.used !== false;
    },
    async listForRequest(requestId) {
      const rows = await db.selectFrom('documents').selectAll().where('request_id', '=', requestId).orderBy('created_at').execute();
      return rows.map(toRecord);
    },
  };
}
