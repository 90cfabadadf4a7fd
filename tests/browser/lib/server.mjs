// A tiny static file server for the browser tests: Node's http module and
// nothing else. It serves one folder, mounted at `prefix` (default `/`), on
// 127.0.0.1 with a port the system picks, the way a plain web host would:
//
// - `GET /prefix/a/` serves `a/index.html`; `GET /prefix/a` redirects to
//   `/prefix/a/` when `a` is a folder;
// - a missing file gets the folder's `404.html` (or a short text) with
//   status 404;
// - content types by extension, `charset=utf-8` on text, and
//   `X-Content-Type-Options: nosniff`, so a wrong type shows up as an error
//   in the browser instead of being guessed around;
// - nothing outside the folder is ever served.
//
// Run it by hand to look at a built site:
//   node tests/browser/lib/server.mjs public [/practice-bank/]

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

/** The Content-Type for a file name. */
export function contentType(file) {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Serves `folder` at `http://127.0.0.1:<port><prefix>`.
 * Resolves to `{ origin, url, port, close() }`; `url` ends in `/`.
 */
export async function serve(folder, { prefix = '/' } = {}) {
  const root = await realpath(folder);
  if (!prefix.startsWith('/')) prefix = `/${prefix}`;
  if (!prefix.endsWith('/')) prefix = `${prefix}/`;

  const server = createServer((req, res) => {
    handle(root, prefix, req, res).catch((error) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      }
      res.end(`500 ${error.message}\n`);
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    url: `${origin}${prefix}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

async function handle(root, prefix, req, res) {
  const headers = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('405 method not allowed\n');
    return;
  }
  const { pathname } = new URL(req.url, 'http://localhost');
  let rel;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return notFound(root, req, res, headers);
  }
  if (rel === prefix.slice(0, -1)) {
    return redirect(res, headers, prefix);
  }
  if (!rel.startsWith(prefix) || rel.includes('\0')) {
    return notFound(root, req, res, headers);
  }
  rel = rel.slice(prefix.length);
  // Resolve against the root and make sure we are still inside it, also
  // after following symbolic links.
  let file = path.resolve(root, `.${path.posix.sep}${rel}`);
  if (!inside(root, file)) return notFound(root, req, res, headers);

  let info = await statOrNull(file);
  if (info?.isDirectory()) {
    if (!pathname.endsWith('/')) {
      return redirect(res, headers, `${pathname}/`);
    }
    file = path.join(file, 'index.html');
    info = await statOrNull(file);
  }
  if (!info?.isFile()) return notFound(root, req, res, headers);
  const real = await realpath(file);
  if (!inside(root, real)) return notFound(root, req, res, headers);
  return sendFile(req, res, 200, real, info.size, headers);
}

function inside(root, file) {
  return file === root || file.startsWith(root + path.sep);
}

async function statOrNull(file) {
  try {
    return await stat(file);
  } catch {
    return null;
  }
}

function redirect(res, headers, location) {
  res.writeHead(301, { ...headers, Location: location, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`301 moved to ${location}\n`);
}

async function notFound(root, req, res, headers) {
  const page = path.join(root, '404.html');
  const info = await statOrNull(page);
  if (info?.isFile()) return sendFile(req, res, 404, page, info.size, headers);
  res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(req.method === 'HEAD' ? undefined : '404 not found\n');
}

function sendFile(req, res, status, file, size, headers) {
  res.writeHead(status, { ...headers, 'Content-Type': contentType(file), 'Content-Length': size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  return new Promise((resolve, reject) => {
    const stream = createReadStream(file);
    stream.on('error', reject);
    stream.on('end', resolve);
    stream.pipe(res);
  });
}

// `node server.mjs FOLDER [PREFIX]`: serve until interrupted.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [folder, prefix] = process.argv.slice(2);
  if (!folder) {
    console.error('usage: node server.mjs FOLDER [PREFIX]');
    process.exit(2);
  }
  const server = await serve(folder, { prefix });
  console.log(`serving ${folder} at ${server.url} (Ctrl-C to stop)`);
}
