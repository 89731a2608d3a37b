// A minimal static server for the release build, used by the end-to-end tests
// and the benchmarks. Serves dist/ under a sub-path (default /todoku/) to
// prove the build works from any sub-path. Loopback only.
//   node tests/e2e/serve-dist.mjs [port] [sub-path] [dir]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

/**
 * A request handler serving `root` (the release build by default) under
 * `base`; other paths redirect to `base` (`/`) or are not found.
 */
export function distHandler(base = '/todoku/', root = join(here, '../../dist')) {
  root = resolve(root);
  return async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (!url.pathname.startsWith(base)) {
      res.writeHead(url.pathname === '/' ? 302 : 404, { Location: base });
      return res.end();
    }
    const rel = decodeURIComponent(url.pathname.slice(base.length)) || 'index.html';
    const file = normalize(join(root, rel));
    if (!file.startsWith(root)) {
      res.writeHead(403);
      return res.end();
    }
    try {
      const info = await stat(file);
      const path = info.isDirectory() ? join(file, 'index.html') : file;
      const body = await readFile(path);
      res.writeHead(200, {
        'Content-Type': types[extname(path)] || 'application/octet-stream',
        'Cache-Control': 'no-cache',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] || 8081);
  const base = process.argv[3] || '/todoku/';
  const root = process.argv[4];
  createServer(distHandler(base, root)).listen(port, '127.0.0.1', () => {
    console.log(`serving ${resolve(root || join(here, '../../dist'))} at http://127.0.0.1:${port}${base}`);
  });
}
