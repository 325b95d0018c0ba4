/** Legal process documents: upload (multipart, one file) and download. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { documentFileName, isLegalDocumentType } from '../../core/documents.ts';
import { WritError } from '../../core/errors.ts';
import { readDocument } from '../../services/read-document.ts';
import { uploadDocument } from '../../services/upload-document.ts';
import type { AppContext } from '../context.ts';
import { actor } from '../http.ts';
import { documentSchema, problemSchema } from '../responses.ts';

/**
 * `attachment` with the name made safe again as it is served (rows stored before names were cleaned keep their old
 * name), an ASCII fallback for old clients and the UTF-8 name (RFC 6266, RFC 8187).
 */
function contentDisposition(storedName: string, mediaType: string): string {
  const name = isLegalDocumentType(mediaType) ? documentFileName(storedName, mediaType) : 'document.bin';
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  // RFC 8187 attr-char leaves out ' ( ) *, which encodeURIComponent keeps.
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export const documentRoutes =
  (context: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const deps = { ...context, maxBytes: context.config.WRIT_MAX_UPLOAD_BYTES };
    app.post(
      '/documents',
      {
        config: { permission: 'document.upload' },
        schema: {
          tags: ['documents'],
          summary:
            'Upload a legal process document (PDF or image) as multipart/form-data field `file`. Its type is the signature at its start; a program or an archive is refused with 415. It is stored under its name without control or bidirectional characters, ending in the detected type’s extension, and deleted if no request names it within WRIT_ORPHAN_UPLOAD_HOURS. Returns its id and SHA-256.',
          consumes: ['multipart/form-data'],
          response: { 201: documentSchema, 400: problemSchema, 413: problemSchema, 415: problemSchema },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart()) throw new WritError('UNSUPPORTED_MEDIA_TYPE', 'Send the document as multipart/form-data.');
        const file = await request.file();
        if (!file) throw new WritError('VALIDATION_FAILED', 'The form has no file.');
        const document = await uploadDocument(deps, actor(request), { fileName: file.filename, content: file.file });
        const { organisationId: _organisation, uploadedBy: _uploader, ...shown } = document;
        return reply.code(201).send(shown);
      },
    );

    app.get(
      '/documents/:id',
      {
        config: { permission: 'document.read' },
        schema: { tags: ['documents'], summary: 'Download a document.', params: z.object({ id: z.string().max(64) }) },
      },
      async (request, reply) => {
        const { document, content } = await readDocument(context, actor(request), { id: request.params.id });
        reply.type(document.mediaType);
        reply.header('content-disposition', contentDisposition(document.fileName, document.mediaType));
        reply.header('digest', `sha-256=${Buffer.from(document.sha256, 'hex').toString('base64')}`);
        return reply.send(content);
      },
    );
  };
