/** Downloads a stored document the actor may see; another agency's document answers as a missing one. */
import type { Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import { scopeOf, type DocumentRecord } from '../core/model.ts';
import type { FileStore, Repositories, Transactor } from '../core/ports.ts';
import { requirePermission } from './common.ts';

export interface ReadDocumentDeps {
  readonly store: Transactor<Pick<Repositories, 'documents' | 'audit'>>;
  readonly files: Pick<FileStore, 'open'>;
}

export async function readDocument(
  deps: ReadDocumentDeps,
  actor: Actor,
  input: { readonly id: string },
): Promise<{ document: DocumentRecord; content: AsyncIterable<Uint8Array> }> {
  requirePermission(actor, 'document.read');
  return deps.store.transaction(async (repositories) => {
    const document = /^[0-9a-f-]{36}$/i.test(input.id) ? await repositories.documents.find(scopeOf(actor), input.id) : undefined;
    if (!document) throw new WritError('DOCUMENT_NOT_FOUND', 'No such document.');
    await repositories.audit.append(actor, {
      type: 'document.downloaded',
      ...(document.requestId ? { requestId: document.requestId } : {}),
      data: { documentId: document.id },
    });
    return { document, content: deps.files.open(document.sha256) };
  });
}
