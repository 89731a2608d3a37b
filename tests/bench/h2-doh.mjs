// A DoH endpoint for the live-check benchmark: RFC 8484 GET over HTTP/2 with
// TLS on loopback (a throwaway self-signed certificate; the benchmark's
// browser context ignores certificate errors), answering from a scenario
// zone after a fixed delay per answer. Like the public resolvers, it
// multiplexes every question of a round on one connection, so the
// critical path is the DNS dependency chain, not the browser's six
// HTTP/1.1 connections per host or a request interception.
import { createSecureServer } from 'node:http2';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answer } from '../e2e/scenario-dns.mjs';

/** Start the server; `state.zone` and `state.delayMs` choose the answers. */
export async function startH2Doh() {
  const dir = mkdtempSync(join(tmpdir(), 'todoku-h2-doh-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' });
  const state = { zone: null, delayMs: 0, versions: new Set() };
  const server = createSecureServer({ key: readFileSync(key), cert: readFileSync(cert), allowHTTP1: true });
  rmSync(dir, { recursive: true, force: true });
  server.on('request', (req, res) => {
    state.versions.add(req.httpVersion);
    const cors = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };
    const dns = new URL(req.url, 'https://127.0.0.1').searchParams.get('dns');
    if (!dns || !state.zone) {
      res.writeHead(400, cors);
      res.end();
      return;
    }
    const query = Buffer.from(dns.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    const reply = answer(query, state.zone);
    setTimeout(() => {
      res.writeHead(200, { ...cors, 'content-type': 'application/dns-message' });
      res.end(reply);
    }, state.delayMs);
  });
  // The browser keeps its HTTP/2 connection open: end the sessions on close.
  const sessions = new Set();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${server.address().port}/dns-query`,
    state,
    close: () => {
      for (const s of sessions) s.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
