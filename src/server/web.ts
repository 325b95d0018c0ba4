/**
 * The web app (`web/`, built into `web/dist` by `npm ci` and `npm run build`), served under `/` by the API's own
 * server: its files from memory, and `index.html` for every other page address, so the browser's router takes over
 * (the API stays under `/api`). Pages get a strict Content-Security-Policy of their own: scripts, styles and
 * fetches from this origin only, inline styles only with the nonce made for that answer (the component library
 * injects its theme variables as a style element), nothing framed, no plugins.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const WEB_DIST = path.resolve(import.meta.dirname, '../../web/dist');
const NONCE_PLACEHOLDER = '__WRIT_STYLE_NONCE__';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface WebFile {
  readonly body: Buffer;
  readonly type: string;
  /** Files under /assets/ carry a content hash in their name: cached for a year. */
  readonly immutable: boolean;
}

export interface WebApp {
  /** A built file by its URL path (`/assets/index-3f2a.js`), or undefined. */
  file(urlPath: string): WebFile | undefined;
  /** The page for any app address, with a fresh nonce, and the CSP that goes with it. */
  page(): { html: string; csp: string };
}

export function pageCsp(nonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

function walk(directory: string, prefix = ''): Array<[string, string]> {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry): Array<[string, string]> => {
    const full = path.join(directory, entry.name);
    const url = `${prefix}/${entry.name}`;
    return entry.isDirectory() ? walk(full, url) : [[url, full]];
  });
}

/** Reads the built app, or undefined when it has not been built (the API works without it). */
export function loadWebApp(directory: string = WEB_DIST): WebApp | undefined {
  try {
    if (!statSync(path.join(directory, 'index.html')).isFile()) return undefined;
  } catch {
    return undefined;
  }
  const files = new Map<string, WebFile>();
  for (const [url, full] of walk(directory)) {
    if (url === '/index.html' || url.endsWith('.map')) continue;
    const type = TYPES[path.extname(url)] ?? 'application/octet-stream';
    files.set(url, { body: readFileSync(full), type, immutable: url.startsWith('/assets/') });
  }
  const index = readFileSync(path.join(directory, 'index.html'), 'utf8');
  return {
    file: (urlPath) => files.get(urlPath),
    page() {
      const nonce = randomBytes(18).toString('base64');
      return { html: index.replaceAll(NONCE_PLACEHOLDER, nonce), csp: pageCsp(nonce) };
    },
  };
}

/** Paths that are never app pages: an unknown one there is the API's 404, not the app. */
export const isApiPath = (urlPath: string): boolean =>
  urlPath === '/api' ||
  urlPath.startsWith('/api/') ||
  urlPath.startsWith('/.well-known/') ||
  urlPath === '/healthz' ||
  urlPath === '/readyz';
