import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PREVIEW_DIR } from './paths';

const SLDS_ASSETS = path.join(
  path.dirname(require.resolve('@salesforce-ux/design-system/package.json')),
  'assets'
);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff'
};

/** Maps a request path onto a file: the built page, or SLDS's styles, icons and fonts. */
export function resolveFile(urlPath: string, root = PREVIEW_DIR): string | undefined {
  const clean = decodeURIComponent(urlPath.split(/[?#]/)[0] ?? '/');
  const [base, rel] = clean.startsWith('/assets/')
    ? [SLDS_ASSETS, clean.slice('/assets/'.length)]
    : [root, clean === '/' ? 'index.html' : clean.slice(1)];
  const file = path.resolve(base, rel);
  return file.startsWith(base + path.sep) ? file : undefined;
}

export interface PreviewServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the preview on 127.0.0.1 (an ephemeral port unless one is given). */
export function servePreview(port = 0, root = PREVIEW_DIR): Promise<PreviewServer> {
  const server = http.createServer((req, res) => {
    const file = resolveFile(req.url ?? '/', root);
    fs.readFile(file ?? '', (error, body) => {
      if (!file || error) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`Not found: ${req.url}`);
        return;
      }
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream'
      });
      res.end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${bound}/`,
        close: () => new Promise((done) => server.close(() => done()))
      });
    });
  });
}
