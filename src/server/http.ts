/** Small helpers the routes share. */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';

/** The authenticated actor; the onRequest hook has already refused anonymous calls to non-public routes. */
export function actor(request: FastifyRequest): Actor {
  if (!request.actor) throw new WritError('UNAUTHENTICATED', 'Log in, or send a bearer token.');
  return request.actor;
}

/** The version named in If-Match (`"3"`, `W/"3"` or `3`), for a guarded update; undefined when absent. */
export function expectedVersion(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!match?.[1]) throw new WritError('VALIDATION_FAILED', 'If-Match must name a version, as in the ETag of the request.');
  return Number(match[1]);
}

export function idempotencyKey(request: FastifyRequest): string | undefined {
  const header = request.headers['idempotency-key'];
  return typeof header === 'string' ? header : undefined;
}
