/**
 * Uploads that never became part of a request are not kept: each upload schedules its own deletion
 * (WRIT_ORPHAN_UPLOAD_HOURS later, in the durable schedule), and when the task comes due a document that a request
 * names by then is left alone. The record and its audit event commit together; the bytes go after the commit, and only
 * when nothing else (another document, a preservation's copy, a stored message) holds the same file.
 */
import { SYSTEM_ACTOR } from '../core/actor.ts';
import type { Clock, FileStore, Repositories, Transactor } from '../core/ports.ts';
import { handleTask } from './schedule.ts';

export const DELETE_ORPHAN_TOPIC = 'document.delete-orphan';

/** The schedule key of a document's deletion: one per document, however often it is scheduled. */
export const orphanTaskKey = (documentId: string): string => `document-orphan:${documentId}`;

export interface DeleteOrphanDeps {
  readonly store: Transactor<Pick<Repositories, 'documents' | 'schedule' | 'audit'>>;
  readonly files: Pick<FileStore, 'remove'>;
  readonly clock: Clock;
}

/** The `document.delete-orphan` job; its outcome is `deleted`, `attached` (or already gone), or undefined when done before. */
export async function deleteOrphanDocument(deps: DeleteOrphanDeps, input: { taskId: unknown }): Promise<string | undefined> {
  let released: string | undefined;
  const outcome = await handleTask(deps, input.taskId, async (repositories, task) => {
    const documentId = task.payload.documentId;
    if (typeof documentId !== 'string') return 'no_document';
    const deleted = await repositories.documents.deleteUnattached(documentId);
    if (!deleted) return 'attached';
    const fileRemoved = !(await repositories.documents.fileInUse(deleted.sha256));
    await repositories.audit.append(SYSTEM_ACTOR, {
      type: 'document.orphan_deleted',
      data: { documentId, sha256: deleted.sha256, size: deleted.size, uploadedAt: deleted.createdAt, fileRemoved },
    });
    if (fileRemoved) released = deleted.sha256;
    return 'deleted';
  });
  // After the commit: a crash here leaves bytes that no record names, never a record whose bytes are gone. The same
  // file uploaded again meanwhile is checked for once more.
  if (released && !(await deps.store.read.documents.fileInUse(released))) await deps.files.remove(released);
  return outcome;
}
