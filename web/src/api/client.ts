/**
 * The typed API client: openapi-fetch over the types openapi-typescript generates from openapi.json (schema.d.ts,
 * committed; `npm run openapi` regenerates both, and a test fails when they are stale). Every call goes to this origin
 * with the session cookie; a problem+json answer becomes an ApiError with its stable code.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

export type { paths, components };

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

export interface Problem {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors?: ReadonlyArray<{ path: string; message: string }>;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
  get status(): number {
    return this.problem.status;
  }
  get code(): string {
    return this.problem.code;
  }
}

function toProblem(error: unknown, status: number): Problem {
  if (error && typeof error === 'object' && 'code' in error) {
    const body = error as Partial<Problem>;
    return { status, code: String(body.code), detail: String(body.detail ?? ''), ...(body.errors ? { errors: body.errors } : {}) };
  }
  return { status, code: status >= 500 ? 'INTERNAL' : 'UNKNOWN', detail: '' };
}

/** The data of a successful answer, or throws an ApiError (a network failure is one too, code NETWORK). */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiError({ status: 0, code: 'NETWORK', detail: '' });
  }
  if (!result.response.ok) throw new ApiError(toProblem(result.error, result.response.status));
  return result.data as T;
}

export type RequestView = Awaited<ReturnType<typeof getRequestView>>;
export const getRequestView = (reference: string) => unwrap(api.GET('/api/v1/requests/{reference}', { params: { path: { reference } } }));
export type Me = Awaited<ReturnType<typeof getMe>>;
export const getMe = () => unwrap(api.GET('/api/v1/me'));
export type Finding = Awaited<ReturnType<typeof getFindings>>['findings'][number];
export type Verdict = Awaited<ReturnType<typeof getFindings>>['verdicts'][number];
export const getFindings = (reference: string) =>
  unwrap(api.GET('/api/v1/requests/{reference}/findings', { params: { path: { reference } } }));
export type RequestRecord = RequestView['request'];
export type Production = Awaited<ReturnType<typeof getProduction>>;
export const getProduction = (reference: string) =>
  unwrap(api.GET('/api/v1/requests/{reference}/production', { params: { path: { reference } } }));
export type DraftRequest = NonNullable<paths['/api/v1/requests/preview-findings']['post']['requestBody']>['content']['application/json'];
export type SubmitRequest = NonNullable<paths['/api/v1/requests']['post']['requestBody']>['content']['application/json'];
export interface UploadedDocument {
  readonly id: string;
  readonly fileName: string;
  readonly mediaType: string;
  readonly size: number;
  readonly sha256: string;
}

/**
 * Uploads one legal process document with progress (fetch cannot report upload progress; XMLHttpRequest can).
 * `onProgress` gets 0–1.
 */
export function uploadDocument(file: File, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<UploadedDocument> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/documents');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status === 201) {
        onProgress(1);
        resolve(xhr.response as UploadedDocument);
      } else reject(new ApiError(toProblem(xhr.response, xhr.status)));
    };
    xhr.onerror = () => reject(new ApiError({ status: 0, code: 'NETWORK', detail: '' }));
    xhr.onabort = () => reject(new ApiError({ status: 0, code: 'ABORTED', detail: '' }));
    signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}
