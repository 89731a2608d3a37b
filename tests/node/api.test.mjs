// The engine's JS API (issue 17, docs/js-api.md) in Node: the built module
// in dist/ (`trunk build --release` first) imported as a user would, its
// `analyze(bytes, options)` checked against the diagnosis scenarios' own
// expectations (tests/scenarios/*.txt), the report's shape against
// docs/report.schema.json, and bad options against their rejections.
// Run: node --test tests/node/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseScenario, answer } from '../e2e/scenario-dns.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(repo, 'dist');
const scenarios = join(repo, 'tests', 'scenarios');
const schema = JSON.parse(readFileSync(join(repo, 'docs', 'report.schema.json'), 'utf8'));
// The `now` tests/scenarios are judged at (crates/todoku-core/tests/scenarios.rs).
const NOW = 1_795_800_000;

/** The engine's hashed files in dist/ (the first module is todoku-web-shell-…). */
function engineFiles() {
  let names = [];
  try {
    names = readdirSync(dist);
  } catch {
    // No dist/ at all: reported below.
  }
  const js = names.filter((f) => /^todoku-web-[0-9a-f]{16}\.js$/.test(f));
  const wasm = names.filter((f) => /^todoku-web-[0-9a-f]{16}_bg\.wasm$/.test(f));
  assert.equal(js.length, 1, `one engine module in ${dist} (run trunk build --release first), found ${JSON.stringify(js)}`);
  assert.equal(wasm.length, 1, `one engine wasm in ${dist}, found ${JSON.stringify(wasm)}`);
  return { js: join(dist, js[0]), wasm: join(dist, wasm[0]) };
}

let analyze;
before(async () => {
  const files = engineFiles();
  const engine = await import(pathToFileURL(files.js).href);
  await engine.default({ module_or_path: readFileSync(files.wasm) });
  analyze = engine.analyze;
  assert.equal(typeof analyze, 'function', 'the module exports analyze');
});

function scenario(file) {
  const { meta, message } = parseScenario(readFileSync(join(scenarios, file), 'utf8'));
  return { meta, bytes: new TextEncoder().encode(message + '\r\n') };
}

/** Every expectation the scenario writes down, checked in `report`. */
function checkScenario(report, meta) {
  const ids = report.findings.map((f) => f.id);
  for (const id of meta.expect) assert.ok(ids.includes(id), `finding ${id} expected, got ${ids.join(' ')}`);
  for (const id of meta.forbid) assert.ok(!ids.includes(id), `finding ${id} must not be there`);
  if (meta.outlook) assert.equal(report.verdict.outlook, meta.outlook);
  if (meta.verdict) assert.ok(report.verdict.sentence.includes(meta.verdict), report.verdict.sentence);
  if (meta.noErrors) assert.deepEqual(report.findings.filter((f) => f.severity === 'error'), []);
  for (const { id, text } of meta.details) {
    const said = report.findings
      .filter((f) => f.id === id)
      .map((f) => [f.message, f.detail, f.cause].join('\n'));
    assert.ok(said.some((s) => s.includes(text)), `finding ${id} says ${JSON.stringify(text)}`);
  }
  for (const { list, item, state } of meta.checks) {
    const row = report.checklists.find((c) => c.id === list)?.items.find((i) => i.id === item);
    assert.ok(row, `checklist row ${list}.${item}`);
    assert.equal(row.state, state, `checklist row ${list}.${item}`);
  }
  assert.ok(meta.expect.length > 0 && meta.outlook, 'the scenario names findings and a verdict');
}

/** The shape docs/report.schema.json requires at the top, the verdict and each finding. */
function checkShape(report) {
  assert.equal(typeof report, 'object');
  for (const key of schema.required) assert.ok(key in report, `report.${key} (required by the schema)`);
  for (const key of schema.$defs.Verdict.required) assert.ok(key in report.verdict, `verdict.${key}`);
  const outlooks = JSON.stringify(schema.$defs);
  assert.ok(outlooks.includes(`"const":"${report.verdict.outlook}"`), `outlook ${report.verdict.outlook} is one the schema names`);
  assert.ok(Array.isArray(report.findings), 'findings is an array');
  assert.ok(Array.isArray(report.hops), 'hops is an array');
  for (const f of report.findings) {
    for (const key of schema.$defs.Finding.required) assert.ok(key in f, `finding ${f.id}: ${key}`);
  }
}

test('an offline scenario gives the findings and verdict it names, offline', async () => {
  for (const file of readdirSync(scenarios).filter((f) => f.endsWith('.txt')).sort()) {
    const { meta, bytes } = scenario(file);
    if (!meta.offline) continue;
    const report = await analyze(bytes, { now: NOW });
    checkShape(report);
    checkScenario(report, meta);
    assert.equal(report.analysed_at, NOW, 'analysed at the now given');
  }
  assert.ok(
    readdirSync(scenarios).some((f) => f.endsWith('.txt') && scenario(f).meta.offline),
    'there is an offline scenario to check',
  );
});

test('pc-helo-softfail-temperror: the recorded results offline, without asking any DNS', async () => {
  const { bytes } = scenario('pc-helo-softfail-temperror.txt');
  const report = await analyze(bytes, { now: NOW, live: false });
  checkShape(report);
  const ids = report.findings.map((f) => f.id);
  // What Gmail recorded (the scenario's comment): SPF softfail, DKIM temperror, DMARC fail.
  for (const id of ['spf.softfail', 'dkim.temperror', 'dmarc.fail']) assert.ok(ids.includes(id), `${id} in ${ids}`);
  // "resolves now" needs today's DNS, which offline never asks.
  assert.ok(!ids.includes('dns.transient'), 'no then-vs-now finding offline');
  assert.equal(report.verdict.outlook, 'filtered');
  assert.equal(report.hops.length, 3, 'the three Received hops of the message');
});

// A DoH endpoint on loopback that answers from a scenario's `# zone:` lines.
let server;
let zone = [];
let asked = 0;
before(async () => {
  server = createServer((req, res) => {
    const dns = new URL(req.url, 'http://localhost').searchParams.get('dns') || '';
    asked += 1;
    res.writeHead(200, { 'content-type': 'application/dns-message' });
    res.end(answer(Buffer.from(dns.replace(/-/g, '+').replace(/_/g, '/'), 'base64'), zone));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
});
after(() => server.close());

test('pc-helo-softfail-temperror live through Node fetch: every finding and the verdict it names', async () => {
  const { meta, bytes } = scenario('pc-helo-softfail-temperror.txt');
  zone = meta.zone;
  asked = 0;
  const doh = `http://127.0.0.1:${server.address().port}/dns-query`;
  const report = await analyze(bytes, { now: NOW, live: true, doh: [doh] });
  checkShape(report);
  assert.ok(asked > 0, 'the live checks asked the DoH endpoint');
  checkScenario(report, meta);
  assert.equal(report.auth.live.provider, doh, 'the evidence names the resolver given');
});

test('message bytes never reject: what cannot be read is the input problem', async () => {
  const empty = await analyze(new Uint8Array(0), { now: NOW });
  checkShape(empty);
  assert.equal(empty.input.problem?.kind, 'empty');
  const prose = await analyze(new TextEncoder().encode('Dear Sir, this is not a header block.\n'), { now: NOW });
  assert.equal(prose.input.problem?.kind, 'no_headers');
  // Bytes that are no text at all (and no .msg): a report, whatever it finds.
  const binary = await analyze(Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256), { now: NOW });
  checkShape(binary);
  // A file that starts like an Outlook .msg (the compound file signature) but is cut short.
  const cut = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(504).fill(0)]);
  assert.equal((await analyze(cut, { now: NOW })).input.problem?.kind, 'outlook_unreadable');
});

test('options default: now is the current time, offline', async () => {
  const { bytes } = scenario('dmarc-not-aligned-offline.txt');
  const before = Math.floor(Date.now() / 1000);
  const report = await analyze(bytes);
  const after = Math.ceil(Date.now() / 1000);
  assert.ok(report.analysed_at >= before && report.analysed_at <= after, `analysed_at ${report.analysed_at}`);
  const same = await analyze(bytes, { now: NOW });
  assert.equal(same.analysed_at, NOW);
});

test('the report carries every sentence in both languages, so there is no lang option', async () => {
  const { bytes } = scenario('dmarc-not-aligned-offline.txt');
  const report = await analyze(bytes, { now: NOW });
  // Japanese text is written in kana or kanji; English in Latin letters.
  const ja = /[\u3040-\u30ff\u4e00-\u9fff]/;
  assert.match(report.verdict.sentence_ja, ja);
  assert.doesNotMatch(report.verdict.sentence, ja);
  assert.ok(report.findings.length > 0, 'the scenario has findings');
  for (const f of report.findings) {
    assert.match(f.message_ja, ja, f.id);
    assert.match(f.title.ja, ja, f.id);
    assert.doesNotMatch(f.message, ja, f.id);
  }
  // An option that would do nothing is refused like any unknown key,
  // naming it and the options there are.
  for (const lang of ['ja', 'en']) {
    await assert.rejects(
      analyze(bytes, { now: NOW, lang }),
      (err) => err instanceof Error && err.message === 'analyze: unknown option "lang" (the options are now, live and doh)',
      `lang: ${lang}`,
    );
  }
});

test('bad options reject with a message quoting the bad value', async () => {
  const bytes = new TextEncoder().encode('From: a@example.test\r\n\r\n');
  const cases = [
    [42, /options must be an object.*got 42/],
    [{ now: 'yesterday' }, /options\.now .*got "yesterday"/],
    [{ now: NaN }, /options\.now .*got NaN/],
    [{ now: -1 }, /options\.now .*got -1/],
    [{ now: 1_795_800_000_000 }, /milliseconds, got 1795800000000/],
    [{ live: 'yes' }, /options\.live must be true or false, got "yes"/],
    [{ live: true, doh: 'https://dns.example/dns-query' }, /options\.doh must be an array.*got "https:\/\/dns\.example\/dns-query"/],
    [{ live: true, doh: ['ftp://dns.example/'] }, /got "ftp:\/\/dns\.example\/"/],
    [{ live: true, doh: [] }, /options\.doh lists no resolver, got \[\]/],
    [{ doh: ['https://dns.example/dns-query'] }, /only used with live: true/],
    [{ offline: true }, /unknown option "offline" \(the options are now, live and doh\)/],
    [{ lang: 'fr' }, /unknown option "lang" \(the options are now, live and doh\)/],
  ];
  for (const [options, message] of cases) {
    await assert.rejects(analyze(bytes, options), message, JSON.stringify(options));
  }
  await assert.rejects(analyze('From: a@example.test', {}), /bytes must be a Uint8Array, got "From: a@example\.test"/);
});
