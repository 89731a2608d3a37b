// The live-check benchmark without DevTools: Chromium started as a user
// starts it, with no automation attached, drives the release build in a
// same-origin iframe from a harness page and posts its timings back.
//
// Why: Playwright drives Chromium over the DevTools protocol and enables its
// Network domain on every page, so each request also sends its events to the
// test runner. On this 2-core machine that made a round of eight plain
// fetches, each answered after 50 ms, take 66-68 ms instead of 62-63 ms
// without automation (tests/bench, interleaved). The app's timings under
// Playwright stay in the report; these are the ones a user's browser shows.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumArgs, chromiumPath } from '../e2e/chromium.mjs';
import { distHandler } from '../e2e/serve-dist.mjs';

/** The harness page: all the timing happens here, in the browser. */
const HARNESS = String.raw`<!doctype html>
<meta charset="utf-8">
<title>Todoku live benchmark harness</title>
<style>body { margin: 0 } iframe { width: 100vw; height: 100vh; border: 0; display: block }</style>
<script type="module">
const post = (path, body) => fetch(path, { method: 'POST', body: JSON.stringify(body) });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// One live check in a freshly loaded app: from the click to the report
// marked done, as tests/bench/browser.bench.mjs times it under Playwright.
async function appRun(cfg, message) {
  const frame = document.createElement('iframe');
  frame.src = '/todoku/';
  const loaded = new Promise((r) => frame.addEventListener('load', r, { once: true }));
  document.body.append(frame);
  await loaded;
  const doc = frame.contentDocument;
  const button = doc.getElementById('analyze');
  for (let i = 0; button.disabled; i++) {
    if (i > 1000) throw new Error('the app did not become ready in 10 s');
    await sleep(10);
  }
  doc.getElementById('doh-url').value = cfg.doh;
  doc.getElementById('input').value = message;
  await sleep(50);
  // Timed with the app's own clock, so that its Resource Timing entries
  // (when each question left and its answer arrived) share the origin.
  const clock = frame.contentWindow.performance;
  let start = 0;
  const done = await new Promise((resolve) => {
    const report = doc.getElementById('report');
    button.addEventListener('click', () => { start = clock.now(); }, { capture: true, once: true });
    new frame.contentWindow.MutationObserver((_, observer) => {
      if (start && report.getAttribute('data-live') === 'done') {
        observer.disconnect();
        resolve(clock.now());
      }
    }).observe(report, { attributes: true });
    button.click();
  });
  const asked = clock.getEntriesByType('resource').filter((e) => e.name.startsWith(cfg.doh));
  const wall = done - start;
  const firstAsk = Math.min(...asked.map((e) => e.startTime)) - start;
  const afterLast = done - Math.max(...asked.map((e) => e.responseEnd));
  const text = doc.querySelector('#live .query')?.textContent ?? '';
  const m = text.match(/(\d+) DNS question\(s\) in (\d+) round/);
  if (!m) throw new Error('no question count in the live section: ' + text);
  frame.remove();
  return { wall, firstAsk, afterLast, questions: Number(m[1]), rounds: Number(m[2]) };
}

// n fetches at once, no app code: the browser's own floor for one round.
async function bareRound(cfg, n) {
  const q = 'AAABAAABAAAAAAAAAXgAAAEAAQ';
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, () => fetch(cfg.doh + '?dns=' + q, { cache: 'no-store' }).then((r) => r.arrayBuffer())));
  return performance.now() - t0;
}

try {
  const cfg = await (await fetch('/harness/config')).json();
  const rows = [];
  for (const s of cfg.scenarios) {
    await post('/harness/state', { scenario: s.file, delayMs: 0 });
    await appRun(cfg, s.message);
    await post('/harness/state', { scenario: s.file, delayMs: cfg.delay });
    const runs = [];
    const bare = [];
    for (let r = 0; r < cfg.runs; r++) {
      runs.push(await appRun(cfg, s.message));
      bare.push(await bareRound(cfg, runs[r].questions));
    }
    const { questions, rounds } = runs[0];
    rows.push({
      scenario: s.file,
      questions,
      rounds,
      wall_ms: median(runs.map((r) => r.wall)),
      // Click to the first question leaving, and the last answer to the
      // report marked done: the page's own share of the wall time.
      first_ask_ms: median(runs.map((r) => r.firstAsk)),
      after_last_answer_ms: median(runs.map((r) => r.afterLast)),
      bare_round_ms: median(bare),
    });
  }
  await post('/harness/result', { rows });
} catch (e) {
  await post('/harness/result', { error: String(e && e.stack || e) });
}
</script>`;

/**
 * Run the harness in a Chromium without automation and return its rows.
 * `doh` is a started h2-doh.mjs server; `scenarios` are
 * `{ file, message, zone }`; every answer comes after `delay` ms. `dist`
 * is the build to serve (the release build in dist/ by default).
 */
export async function livePlain({ doh, scenarios, runs, delay, chromium = chromiumPath, timeoutMs = 300_000, dist: root }) {
  const dist = distHandler('/todoku/', root);
  let settle;
  const result = new Promise((resolve, reject) => {
    settle = { resolve, reject };
  });
  const body = (req) => new Promise((resolve, reject) => {
    let text = '';
    req.on('data', (c) => { text += c; });
    req.on('end', () => {
      try {
        resolve(JSON.parse(text));
      } catch (e) {
        reject(e);
      }
    });
  });
  const server = createServer((req, res) => route(req, res).catch((e) => {
    // A bad request from the harness ends the run with its reason.
    res.writeHead(500);
    res.end();
    settle.reject(e);
  }));
  async function route(req, res) {
    const path = new URL(req.url, 'http://127.0.0.1').pathname;
    if (path === '/harness/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      return res.end(HARNESS);
    }
    if (path === '/harness/config') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ doh: doh.url, runs, delay, scenarios: scenarios.map(({ file, message }) => ({ file, message })) }));
    }
    if (path === '/harness/state' && req.method === 'POST') {
      const { scenario, delayMs } = await body(req);
      const chosen = scenarios.find((s) => s.file === scenario);
      if (!chosen) throw new Error(`the harness asked for an unknown scenario: ${scenario}`);
      doh.state.zone = chosen.zone;
      doh.state.delayMs = delayMs;
      return res.end('ok');
    }
    if (path === '/harness/result' && req.method === 'POST') {
      const posted = await body(req);
      res.end('ok');
      return posted.error ? settle.reject(new Error(`harness: ${posted.error}`)) : settle.resolve(posted.rows);
    }
    return dist(req, res);
  }
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const profile = mkdtempSync(join(tmpdir(), 'todoku-plain-chromium-'));
  const browser = spawn(chromium, [
    '--headless=new',
    ...chromiumArgs,
    // The DoH server's throwaway certificate, as `ignoreHTTPSErrors` in Playwright.
    '--ignore-certificate-errors',
    '--window-size=1280,720',
    `--user-data-dir=${profile}`,
    `http://127.0.0.1:${server.address().port}/harness/`,
  ], { stdio: 'ignore', detached: true });
  const exited = new Promise((resolve) => browser.once('exit', resolve));
  const timer = setTimeout(() => settle.reject(new Error(`no result from the harness in ${timeoutMs} ms`)), timeoutMs);
  browser.once('exit', (code) => settle.reject(new Error(`Chromium exited (${code}) before the harness finished`)));
  try {
    return await result;
  } finally {
    clearTimeout(timer);
    // The whole process group: Chromium's helper processes too.
    try {
      process.kill(-browser.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    await exited;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    // Helpers may still be writing as they exit: retry a non-empty directory.
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}
