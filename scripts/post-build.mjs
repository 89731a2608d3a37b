// Trunk post_build hook: make the built page CSP-strict.
// - Moves Trunk's inline module script (the wasm loader) into a content-hashed
//   file, so the page has no inline script at all.
// - Adds the Content-Security-Policy as a <meta> tag (the site is static and
//   may be served by any host, so it cannot rely on response headers).
// Runs in TRUNK_STAGING_DIR before Trunk publishes dist/.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('post-build: TRUNK_STAGING_DIR is not set (run through trunk build)');
  process.exit(1);
}

// DoH endpoints the page may contact. Loopback (plain or TLS) is allowed so
// that a local resolver (and the test environment) can be used; any other
// custom resolver needs to be added here.
// The list matches the choice the page offers
// (crates/todoku-core/src/wording/page_help.rs, RESOLVERS; an e2e test checks).
const DOH_ORIGINS = [
  'https://cloudflare-dns.com',
  'https://dns.google',
  'https://dns.quad9.net',
  'https://public.dns.iij.jp',
  'http://127.0.0.1:*',
  'http://localhost:*',
  'https://127.0.0.1:*',
  'https://localhost:*',
];

const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  `connect-src 'self' ${DOH_ORIGINS.join(' ')}`,
  "manifest-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
  "require-trusted-types-for 'script'",
  // Only sw-register.js's and worker-client.js's policies, which allow
  // nothing but ./sw.js and ./worker.js.
  'trusted-types todoku-sw todoku-worker',
].join('; ');

const indexPath = join(dir, 'index.html');
let html = readFileSync(indexPath, 'utf8');

const inline = /<script type="module">([\s\S]*?)<\/script>/g;
const scripts = [...html.matchAll(inline)];
if (scripts.length !== 1) {
  console.error(`post-build: expected Trunk's one inline module script, found ${scripts.length}`);
  process.exit(1);
}
const body = scripts[0][1].trim() + '\n';
const digest = createHash('sha384').update(body).digest();
const name = `boot-${digest.toString('hex').slice(0, 16)}.js`;
writeFileSync(join(dir, name), body);
const integrity = `sha384-${digest.toString('base64')}`;
html = html.replace(scripts[0][0], `<script type="module" src="./${name}" integrity="${integrity}"></script>`);

if (html.includes('Content-Security-Policy')) {
  console.error('post-build: index.html already has a CSP');
  process.exit(1);
}
html = html.replace('<meta charset="utf-8">', `<meta charset="utf-8">\n  <meta http-equiv="Content-Security-Policy" content="${CSP}">`);
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) {
  console.error('post-build: an inline script is left in index.html');
  process.exit(1);
}
writeFileSync(indexPath, html);

// Trunk names a module of data-type="worker" (the engine, crates/todoku-web)
// without a content hash: add one (of the glue and the wasm), so a cached
// engine is never used with another build's page. The glue finds its wasm
// only through the path engine.js and worker.js pass it.
if (readdirSync(dir).includes('todoku-web.js')) {
  const glue = readFileSync(join(dir, 'todoku-web.js'));
  const wasm = readFileSync(join(dir, 'todoku-web_bg.wasm'));
  const hash = createHash('sha384').update(glue).update(wasm).digest('hex').slice(0, 16);
  renameSync(join(dir, 'todoku-web.js'), join(dir, `todoku-web-${hash}.js`));
  renameSync(join(dir, 'todoku-web_bg.wasm'), join(dir, `todoku-web-${hash}_bg.wasm`));
}

// The engine (crates/todoku-web, the second module) is imported by the
// analysis worker and, on the first input or when the page is idle, by
// engine.js for the page: name its hashed files in both. (The page's first
// module, todoku-web-shell, is loaded by Trunk's boot script.)
const moduleFile = readdirSync(dir).find((f) => /^todoku-web-[0-9a-f]+\.js$/.test(f));
const wasmFile = readdirSync(dir).find((f) => /^todoku-web-[0-9a-f]+_bg\.wasm$/.test(f));
for (const [file, module, wasm] of [
  ['worker.js', '/* MODULE */', '/* WASM */'],
  ['engine.js', '/* ENGINE */', '/* ENGINE_WASM */'],
]) {
  const path = join(dir, file);
  const source = readFileSync(path, 'utf8');
  if (!moduleFile || !wasmFile || !source.includes(module) || !source.includes(wasm)) {
    console.error(`post-build: cannot name the engine in ${file} (module ${moduleFile}, wasm ${wasmFile})`);
    process.exit(1);
  }
  writeFileSync(path, source.replace(module, `./${moduleFile}`).replace(wasm, `./${wasmFile}`));
}

// The service worker's precache list and cache version: every file of the
// build (content-hashed names change with content), versioned by a hash of
// all their bytes so any change installs a new worker.
const files = readdirSync(dir).filter((f) => f !== 'sw.js' && !f.startsWith('.')).sort();
const version = createHash('sha256');
for (const f of files) version.update(f).update(readFileSync(join(dir, f)));
const swPath = join(dir, 'sw.js');
const sw = readFileSync(swPath, 'utf8');
const block = /\/\* PRECACHE: replaced at build time \*\/[\s\S]*?\/\* END PRECACHE \*\//;
if (!block.test(sw)) {
  console.error('post-build: sw.js has no PRECACHE block');
  process.exit(1);
}
const list = ['./', ...files.map((f) => `./${f}`)];
writeFileSync(
  swPath,
  sw.replace(block, `const VERSION = '${version.digest('hex').slice(0, 16)}';\nconst PRECACHE = ${JSON.stringify(list)};`),
);
console.log(`post-build: wrote ${name}, added CSP, precache of ${list.length} entries`);
