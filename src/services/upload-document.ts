/**
 * An officer uploads a legal process document; its type is judged by the signature at its start (programs and archives
 * are refused), it is stored under a name that ends in that type's extension, and its SHA-256 is returned.
 */
import type { Actor } from '../core/actor.ts';
import { documentFileName, refusedSignature, sniffDocumentType } from '../core/documents.ts';
import { WritError } from '../core/errors.ts';
import type { DocumentRecord } from '../core/model.ts';
import type { Clock, FileStore, Repositories, Transactor } from '../core/ports.ts';
import { requirePermission } from './common.ts';
import { DELETE_ORPHAN_TOPIC, orphanTaskKey } from './delete-orphan-document.ts';

export interface UploadDocumentDeps {
  readonly store: Transactor<Pick<Repositories, 'documents' | 'audit' | 'schedule'>>;
  readonly files: FileStore;
  readonly clock: Clock;
  readonly maxBytes: number;
  /** Hours after which the document is deleted unless a request names it by then. */
  readonly orphanUploadHours: number;
}

export async function uploadDocument(
  deps: UploadDocumentDeps,
  actor: Actor,
  input: { readonly fileName: string | undefined; readonly content: AsyncIterable<Uint8Array> },
): Promise<DocumentRecord> {
  requirePermission(actor, 'document.upload');
  const stored = await deps.files.put(input.content, deps.maxBytes);
  const refused = refusedSignature(stored.head);
  if (refused) {
    await stored.discard();
    throw new WritError('DOCUMENT_TYPE_NOT_ALLOWED', `The document starts like ${refused}; legal process must be a PDF or an image.`);
  }
  const mediaType = sniffDocumentType(stored.head);
  if (!mediaType) {
    await stored.discard();
    throw new WritError('DOCUMENT_TYPE_NOT_ALLOWED', 'Legal process must be a PDF or an image (PNG, JPEG, TIFF, WebP, GIF).');
  }
  if (stored.size === 0) {
    await stored.discard();
    throw new WritError('VALIDATION_FAILED', 'The document is empty.');
  }
  await stored.commit();
  return deps.store.transaction(async (repositories) => {
    const document = await repositories.documents.insert({
      organisationId: actor.organisationId,
      uploadedBy: actor.userId,
      fileName: documentFileName(input.fileName, mediaType),
      mediaType,
      size: stored.size,
      sha256: stored.sha256,
    });
    await repositories.audit.append(actor, {
      type: 'document.uploaded',
      data: { documentId: document.id, sha256: document.sha256, size: document.size, mediaType },
    });
    // Durable, in the same transaction: a document no request names by then goes, whatever restarts in between.
    await repositories.schedule.add({
      key: orphanTaskKey(document.id),
      topic: DELETE_ORPHAN_TOPIC,
      dueAt: new Date(deps.clock.now().getTime() + deps.orphanUploadHours * 3_600_000),
      payload: { documentId: document.id },
    });
    return document;
  });
}
