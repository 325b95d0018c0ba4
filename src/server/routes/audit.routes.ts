/**
 * The audit log's signed tree heads and proofs. Heads and consistency proofs are public: they hold hashes only, and
 * anyone keeping a head (an agency's receipt, a report's reader, a witness) must be able to check the log still
 * extends it. Events themselves, with their inclusion proofs, are for auditors and admins.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getTreeHead, listTreeHeads, proveConsistency, readAuditEvent } from '../../services/audit-log.ts';
import type { AppContext } from '../context.ts';
import { actor } from '../http.ts';
import { consistencyProofSchema, inclusionProofSchema, problemSchema, treeHeadSchema } from '../responses.ts';

const size = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

export const auditRoutes =
  (context: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/audit/tree-heads/latest',
      {
        config: { public: true },
        schema: {
          tags: ['audit'],
          summary: 'The audit log’s latest signed tree head.',
          security: [],
          response: { 200: treeHeadSchema, 404: problemSchema },
        },
      },
      async () => getTreeHead(context, {}),
    );

    app.get(
      '/audit/tree-heads',
      {
        config: { public: true },
        schema: {
          tags: ['audit'],
          summary: 'Signed tree heads from a size on, smallest first.',
          security: [],
          querystring: z.strictObject({
            fromSize: size.optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(100),
          }),
          response: { 200: z.object({ items: z.array(treeHeadSchema).readonly() }), 400: problemSchema },
        },
      },
      async (request) => ({ items: await listTreeHeads(context, request.query) }),
    );

    app.get(
      '/audit/tree-heads/:treeSize',
      {
        config: { public: true },
        schema: {
          tags: ['audit'],
          summary: 'The tree head signed at exactly this size.',
          security: [],
          params: z.object({ treeSize: size }),
          response: { 200: treeHeadSchema, 400: problemSchema, 404: problemSchema },
        },
      },
      async (request) => getTreeHead(context, { treeSize: request.params.treeSize }),
    );

    app.get(
      '/audit/consistency',
      {
        config: { public: true },
        schema: {
          tags: ['audit'],
          summary:
            'The proof that the tree of one signed head is a prefix of a later one (the latest by default): nothing it covered was changed, removed or reordered since.',
          security: [],
          querystring: z.strictObject({ first: size, second: size.optional() }),
          response: { 200: consistencyProofSchema, 400: problemSchema, 404: problemSchema },
        },
      },
      async (request) => proveConsistency(context, request.query),
    );

    app.get(
      '/audit/events/:leafIndex',
      {
        config: { permission: 'audit.read' },
        schema: {
          tags: ['audit'],
          summary:
            'One event as the log holds it (the entry its leaf hash is over), with its inclusion proof in the latest tree head or in the one of `treeSize`.',
          params: z.object({ leafIndex: size }),
          querystring: z.strictObject({ treeSize: size.optional() }),
          response: { 200: inclusionProofSchema.extend({ entry: z.string() }), ...errors },
        },
      },
      async (request) => readAuditEvent(context, actor(request), { leafIndex: request.params.leafIndex, treeSize: request.query.treeSize }),
    );
  };
