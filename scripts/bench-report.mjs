// Turns the criterion log and the browser benchmark JSON into
// bench-results.md (scripts/bench.sh).
import { readFileSync, readdirSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';

const [criterionLog, browserJson, lighthouseJson, peakMd, hostileMd, batchMd] = process.argv.slice(2);
const out = [];
const p = (line = '') => out.push(line);
const f = (n, d = 2) => (n === null || n === undefined ? '—' : Number(n).toFixed(d));

const rustc = execSync('rustc --version').toString().trim();
p(`# Benchmark results (${new Date().toISOString().slice(0, 10)}, ${execSync('nproc').toString().trim()} cores, ${rustc}, Chromium ${execSync('/usr/bin/chromium --version').toString().trim().split(' ').pop()})`);
p();
p('## Native (criterion, `cargo bench -p todoku-core`)');
p();
p('| benchmark | time (median) | throughput |');
p('|---|---|---|');
let name = null;
let time = null;
for (const line of readFileSync(criterionLog, 'utf8').split('\n')) {
  const named = line.match(/^(\S.*?)\s+time:\s+\[(\S+ \S+) (\S+ \S+) (\S+ \S+)\]/);
  const alone = line.match(/^([a-z]+\/\S.*)$/);
  const timeOnly = line.match(/^\s+time:\s+\[(\S+ \S+) (\S+ \S+) (\S+ \S+)\]/);
  const thrpt = line.match(/^\s+thrpt:\s+\[(\S+ \S+) (\S+ \S+) (\S+ \S+)\]/);
  if (named) {
    name = named[1];
    time = named[3];
  } else if (alone && !line.includes('time:')) {
    name = alone[1].trim();
  } else if (timeOnly && name) {
    time = timeOnly[2];
  } else if (thrpt && name && time) {
    p(`| ${name} | ${time} | ${thrpt[2]} |`);
    name = null;
    time = null;
  }
}
if (peakMd) {
  p();
  p('### Native peak heap of one analysis (`examples/peak.rs`, a counting allocator; the input itself not counted)');
  p();
  p('| input | bytes | time | peak ÷ input | report alone ÷ input |');
  p('|---|---|---|---|---|');
  for (const line of readFileSync(peakMd, 'utf8').split('\n')) if (line.startsWith('|')) p(line);
}
if (hostileMd) {
  p();
  p(`### Hostile inputs (${new Date().toISOString().slice(0, 10)}, \`examples/hostile.rs\`, a counting allocator; the input itself not counted)`);
  p();
  p("Each family of crates/todoku-core/tests/common/hostile.rs at 4 MiB: time per MB (best of 3) and the peak heap of one analysis ÷ the input, for `analyze` (the page's path) and for the CLI's offline path (`analyze_live` with the offline resolver). Goal: peak within 3× the input (tests/memory.rs); growth is checked by tests/growth.rs.");
  p();
  for (const line of readFileSync(hostileMd, 'utf8').split('\n')) if (line.startsWith('|')) p(line);
}
const b = JSON.parse(readFileSync(browserJson, 'utf8'));
p();
p('## WebAssembly in Chromium (tests/bench, median of many runs)');
p();
p('| input | bytes | median | middle half of the batches | MB/s | byte-scan floor | ratio to floor |');
p('|---|---|---|---|---|---|---|');
const real = (b.wasm_real_5kb || []).map((r) => [`real 5 KB block: ${r.file.split('/').pop()} (../shared/corpora)`, r]);
const spread = (r) => (r.p25_ms ? `${f(r.p25_ms * 1000, 1)}–${f(r.p75_ms * 1000, 1)} µs` : '—');
for (const [label, r] of [['postfix-to-gmail fixture', b.wasm_typical], ...real, ['5 KB of Received headers only (33 hops, worst case)', b.wasm_5kb]]) {
  if (r) p(`| ${label} | ${r.bytes} | ${f(r.median_ms * 1000, 1)} µs | ${spread(r)} | ${f(r.mb_per_s)} | ${f(r.scan_ms * 1000, 2)} µs | ${f(r.median_ms / r.scan_ms, 0)}× |`);
}
p();
p('The four blocks above are timed in turns in one page, after a 1 s warm-up: each of 40 rounds times one batch of about 12 ms of every block (about 200 analyses of a 5 KB block), then its byte scan; the median and the middle half are over the 40 batch means. This machine is a shared 2-core VM whose speed changes for a few hundred milliseconds at a time; in turns every block sees the same slow windows, where one after another a block could fall in one alone.');
p();
if (b.corpus) {
  const c = b.corpus;
  const q = (xs, at) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(at * xs.length))];
  const us = (ns) => f(ns / 1000, 1);
  const groups = [...c.dirs.map((d) => [d, c.messages.filter((m) => m.path.startsWith(`${d}/`))]), ['all', c.messages]];
  p(`## Every message in ../shared/corpora: native and WebAssembly`);
  p();
  p('| corpus folder | files | bytes (median) | native per message: median / p90 / max | WebAssembly per message: median / p90 / max | WebAssembly ÷ native (median) | MB/s native / WebAssembly | ratio to byte scan, native / WebAssembly (median) |');
  p('|---|---|---|---|---|---|---|---|');
  for (const [dir, ms] of groups) {
    if (!ms.length) continue;
    const nat = ms.map((m) => m.median_ns);
    const wasm = ms.map((m) => m.wasm_median_ms * 1e6);
    const bytes = ms.reduce((a, m) => a + m.bytes, 0);
    const mbs = (times) => f(bytes / (times.reduce((a, t) => a + t, 0) / 1e9) / 1e6, 1);
    p(`| ${dir === 'all' ? '**all**' : dir} | ${ms.length} | ${q(ms.map((m) => m.bytes), 0.5)} | ${us(q(nat, 0.5))} / ${us(q(nat, 0.9))} / ${us(Math.max(...nat))} µs | ${us(q(wasm, 0.5))} / ${us(q(wasm, 0.9))} / ${us(Math.max(...wasm))} µs | ${f(q(ms.map((m) => (m.wasm_median_ms * 1e6) / m.median_ns), 0.5))} | ${mbs(nat)} / ${mbs(wasm)} | ${f(q(ms.map((m) => m.median_ns / m.scan_ns), 0.5), 0)}× / ${f(q(ms.map((m) => m.wasm_median_ms / m.wasm_scan_ms), 0.5), 0)}× |`);
  }
  p();
  const slowest = [...c.messages].sort((x, y) => y.wasm_median_ms - x.wasm_median_ms).slice(0, 3);
  p(`Each file is analysed whole, as a user would drop it (header block and body): the files the snapshot and schema tests read (crates/todoku-core/tests/common: MESSAGE_DIRS), ${c.messages.length} in all. Natively (crates/todoku-core/examples/corpus.rs) and in WebAssembly in Chromium (tests/bench) each message is timed in turns with all the others: ${c.rounds} rounds, each timing one batch of every message (about 100 KB natively; about 4 ms in WebAssembly, whose clock ticks every 0.1 ms), after a warm-up; per message the median of its batch means, then the median, 90th percentile and maximum over the folder's messages. MB/s is the folder's bytes over the sum of its messages' medians. The byte scan counts line ends over the same bytes. criterion's corpus row in the native table above analyses the same files one after another. Slowest in WebAssembly: ${slowest.map((m) => `${m.path} (${m.bytes} bytes, ${us(m.wasm_median_ms * 1e6)} µs)`).join('; ')}.`);
  p();
}
p('### Scale (median of at least 3 runs and about 50 MB per input, a fresh page per input; WebAssembly memory never shrinks, so "after" is the peak)');
p();
p('| input | bytes | median | MB/s | wasm memory after | growth ÷ input |');
p('|---|---|---|---|---|---|');
for (const r of b.wasm_scale || []) {
  p(`| ${r.name} | ${r.bytes} | ${f(r.median_ms, r.median_ms < 10 ? 1 : 0)} ms | ${f(r.mb_per_s)} | ${f(r.memory_after / 1048576, 1)} MiB | ${f(r.memory_per_input, 1)} |`);
}
p();
// Growth between the smallest and the largest size of each kind of input:
// time ∝ size^k, so k = 1 is linear and k = 2 quadratic.
const families = [...new Set((b.wasm_scale || []).map((r) => r.family).filter(Boolean))]
  .map((fam) => (b.wasm_scale || []).filter((r) => r.family === fam))
  .filter((rs) => rs.length >= 2);
if (families.length) {
  p('| kind of input | sizes | input × | time × | growth exponent (1 = linear, 2 = quadratic) | memory growth ÷ input, smallest → largest |');
  p('|---|---|---|---|---|---|');
  for (const rs of families) {
    const [lo, hi] = [rs[0], rs[rs.length - 1]];
    const k = Math.log(hi.median_ms / lo.median_ms) / Math.log(hi.bytes / lo.bytes);
    p(`| ${hi.family} | ${rs.length} | ${f(hi.bytes / lo.bytes, 0)} | ${f(hi.median_ms / lo.median_ms, 1)} | ${f(k)} | ${f(lo.memory_per_input, 1)} → ${f(hi.memory_per_input, 1)} |`);
  }
  p();
}
if (b.live_critical_path) {
  const l = b.live_critical_path;
  p(`## Live checks: critical path with ${l.delay_ms} ms per DNS answer`);
  p();
  p('### In a browser without automation (goal: ratio ≤ 1.2)');
  p();
  p('| scenario | questions | dependency rounds | rounds × delay | wall time (click → last check) | ratio to rounds × delay | click → first question | last answer → done | bare fetches: as many at once, each answered after the delay | ratio to bare fetches (one-round scenarios) |');
  p('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of l.rows) p(`| ${r.scenario} | ${r.questions} | ${r.rounds} | ${r.bound_ms} ms | ${r.plain_wall_ms ?? '—'} ms | ${r.plain_ratio ? f(r.plain_ratio) : '—'} | ${f(r.plain_first_ask_ms, 1)} ms | ${f(r.plain_after_last_answer_ms, 1)} ms | ${r.plain_bare_round_ms ?? '—'} ms | ${r.plain_ratio_to_bare ? f(r.plain_ratio_to_bare) : '—'} |`);
  p();
  p(`Chromium started with no automation attached (tests/bench/plain-chromium.mjs): a harness page loads the release build in a same-origin iframe for each run, pastes the scenario, clicks Analyze and times from the click to the report marked done; after one warm-up run, the median of ${l.plain_runs || l.runs || 1} runs. "Click → first question" and "last answer → done" are the page's own share, from the app's Resource Timing entries (analysis and drawing before the questions leave; decoding, signature checks, diagnosis and drawing after the last answer). Answers come from each scenario's zone through a DoH server on loopback (tests/bench/h2-doh.mjs: RFC 8484 GET, ${l.transport ?? 'HTTP/2 over TLS'}, every answer after the delay). "Bare fetches" is the browser's own floor for a one-round scenario: the scenario's number of questions sent at once by plain fetch() calls in the harness page (no app code), each answered after the delay; no page can finish that round sooner on this machine.`);
  p();
  p('### The same runs under Playwright, with the breakdown');
  p();
  p('| scenario | page work, no DNS | local work, answers at once | wall time | ratio to rounds × delay | wall time, service worker stopped first | its ratio | ratio to page + rounds × delay | ratio to local + rounds × delay | one round of parallel exchanges, answers at once | ratio to page + rounds × (delay + round) | bare fetches | ratio to bare fetches (one-round scenarios) |');
  p('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of l.rows) p(`| ${r.scenario} | ${r.page_ms} ms | ${r.local_ms} ms | ${r.wall_ms} ms | ${f(r.ratio)} | ${r.idle_worker_wall_ms ?? '—'} ms | ${r.idle_worker_ratio ? f(r.idle_worker_ratio) : '—'} | ${f(r.ratio_with_page)} | ${f(r.ratio_with_local)} | ${r.round_ms ?? '—'} ms | ${r.ratio_model ? f(r.ratio_model) : '—'} | ${r.bare_round_ms ?? '—'} ms | ${r.bare_round_ms && r.rounds === 1 ? f(r.wall_ms / r.bare_round_ms) : '—'} |`);
  p();
  p(`Playwright drives Chromium over the DevTools protocol, which reports every request to the test runner: on this machine that adds a few milliseconds to a round of parallel fetches, so these wall times are higher than the table above. They are kept for what only automation can measure. "Page work" is the same click in offline mode (analysis, drawing, diagnosis; no DNS). "Local work" is the live run with the answers at once: page work, signature checks and the browser's own cost of the exchanges. "One round" is as many parallel DoH fetches as the scenario asks, answered at once, timed in the page: what the browser's network stack costs per round on this machine. "Service worker stopped first" is the same run after the browser stopped the page's idle service worker, as it does 30 s after the last event: a user who pastes a while after opening the page. The worker routes DoH to the network by a static route, so it is not started for the questions.`);
  p();
}
if (b.tti_4x) {
  p('## Load: time to interactive under 4× CPU throttling (release build, loopback, cache off)');
  p();
  p(`Median of ${b.tti_4x.runs}: **${b.tti_4x.median_interactive_ms} ms** from navigation to the Analyze button enabled (WebAssembly compiled and the page wired); runs: ${b.tti_4x.rows.map((r) => r.interactive_ms).join(', ')} ms.${b.tti_4x.median_engine_ready_ms ? ` The engine (the second module, loaded at idle) ready: median ${b.tti_4x.median_engine_ready_ms} ms.` : ''}`);
  p();
}
if (lighthouseJson) {
  const lh = JSON.parse(readFileSync(lighthouseJson, 'utf8'));
  const audit = (id) => lh.audits[id]?.displayValue?.replace(/\u00a0/g, ' ') ?? '—';
  p(`## Lighthouse ${lh.lighthouseVersion} (simulated mobile: slow 4G, 4× CPU)`);
  p();
  p('| category | score |');
  p('|---|---|');
  for (const [, c] of Object.entries(lh.categories)) p(`| ${c.title} | ${Math.round(c.score * 100)} |`);
  p();
  p(`First contentful paint ${audit('first-contentful-paint')}, largest contentful paint ${audit('largest-contentful-paint')}, time to interactive ${audit('interactive')}, total blocking time ${audit('total-blocking-time')}. (Lighthouse 12 no longer has a PWA category; the PWA is covered by tests/e2e/pwa.spec.mjs.)`);
  p();
}
if (batchMd) {
  // scripts/bench-batch.sh writes the section whole.
  p(readFileSync(batchMd, 'utf8').trimEnd());
  p();
}
if (b.batch_page) {
  // tests/bench/batch.bench.mjs: the page's batch table in Chromium.
  const t = b.batch_page;
  const mib = (kib) => f(kib / 1024, 0);
  const n = (x) => Number(x).toLocaleString('en');
  const memRow = (label, r) => `| ${label} | ${n(r.messages)} | ${n(r.bytes)} | ${f(r.ms / 1000)} s | ${n(r.per_s)} | ${f(r.cpu_s)} s | ${n(r.per_cpu_s)} | ${mib(r.rss_before_kib)} → ${mib(r.peak_rss_kib)} MiB | ${mib(r.pss_before_kib)} → ${mib(r.peak_pss_kib)} MiB | ${mib(r.peak_renderer_pss_kib)} MiB | ${n(r.heap_per_row)} B | ${r.load} |`;
  p(`## Batch (page, Chromium, \`tests/bench/batch.bench.mjs\`, ${t.cores} cores, load average ${t.load_before} at the start)`);
  p();
  p(`The release build's batch table: a ${n(t.messages)}-message mbox of typical list mail (the CLI benchmark's, \`examples/list_mbox.rs\`) chosen on the page's file input; messages/s from the page's hand-over (\`todokuBatch.start\`) to the table's done state, each run in a fresh page with the engine loaded. Goal: ≥ 2,000 messages/s on 2 cores, peak memory independent of the mailbox size. **Best ${n(t.best_per_s)} messages/s, median ${n(t.median_per_s)}** of ${t.runs.length} runs.`);
  p();
  p('| run | messages | mbox bytes | wall | messages/s | CPU (every Chromium process) | messages per CPU-s | RSS of every Chromium process: before → peak | PSS: before → peak | peak PSS of the renderers (page and workers) | page JS heap per row (after GC) | load average after |');
  p('|---|---|---|---|---|---|---|---|---|---|---|---|');
  t.runs.forEach((r, i) => p(memRow(`${i + 1}`, r)));
  p(memRow(`${n(t.large_messages)} messages (memory)`, t.large));
  p();
  const growth = (r) => r.peak_pss_kib - r.pss_before_kib;
  const small = t.runs.reduce((a, r) => Math.max(a, growth(r)), 0);
  p(`Memory: every Chromium process of the run (the browser, the renderer where the page and its workers run, GPU and utility processes) sampled every 50 ms from Node (\`/proc/PID/smaps_rollup\`; a sample every ${f(t.large.ms / t.large.samples, 0)} ms on average in the largest run, as the machine's load allowed). The peak PSS grew by ${mib(small)} MiB over the page before the drop with ${n(t.messages)} messages (the largest of the runs) and by ${mib(growth(t.large))} MiB with ${n(t.large_messages)} (ratio ${f(growth(t.large) / Math.max(small, 1))} for ${f(t.large_messages / t.messages, 0)}× the messages). The mailbox is never in memory whole (one worker reads it in 1 MB slices, the next slice while the last one's messages are analysed: at most about two slices' messages wait for the analysis workers); what grows with it is the rows the table keeps for sorting, filtering and the downloads: ${n(t.large.heap_per_row)} bytes of the page's JavaScript heap per row (after a garbage collection, the heap before the drop subtracted), ${f((t.large.heap_per_row * t.large_messages) / 1048576, 1)} MiB for ${n(t.large_messages)} rows.`);
  p();
}
// The same measure and the same parts as scripts/test.sh's size budget:
// gzip -9; the engine module (todoku-web-<hash>) and worker.js load later.
const later = (name) => /^todoku-web-[0-9a-f]+(_bg\.wasm|\.js)$/.test(name) || name === 'worker.js';
let total = 0;
let first = 0;
const rows = [];
for (const file of readdirSync('dist').filter((n) => /\.(wasm|js|css)$/.test(n))) {
  const n = execFileSync('gzip', ['-9', '-c', `dist/${file}`]).length;
  total += n;
  if (!later(file)) first += n;
  rows.push(`${file} ${n}${later(file) ? ' (later)' : ''}`);
}
const budget = (key) =>
  readFileSync('size-budget.txt', 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((w) => w[0] === key)?.[1];
p('## Size');
p();
p(`Release bundle (wasm + js + css), gzip -9 (as the test command's budget check), in two parts (issue 17): the page's first load (the shell module, its glue, the css and the page's scripts) **${first} bytes** (budget ${budget('first')}; goal 300000), everything together with the engine module that www/engine.js loads on the first input or at idle and worker.js **${total} bytes** (budget ${budget('total')}; goal 450000) — ${rows.join(', ')}.`);
console.log(out.join('\n'));
