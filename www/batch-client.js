// The batch table (issue 17): an mbox or several .eml/.msg files dropped or
// chosen at once. Not part of the page's first load: www/engine.js imports
// this module when the Rust page hands the first batch over (todokuBatch.start,
// from crates/todoku-web/src/batch.rs), with whether each file is a mailbox.
// Rows are made in a pool of analysis workers (worker.js, at most MAX_WORKERS,
// one per core), a mailbox is read in 1 MB slices by one more worker through the
// core's mbox splitter, so a large mbox is never in memory whole: what is
// held is the rows (small objects), the messages being analysed and a chunk.
// Words, rows and the summary come from the core (todokuBatchCore, set by
// the Rust page): each row is counted into the core's summariser as it
// arrives (add), the summary is read back as JSON; header text reaches the
// page only as text nodes.
// No DNS question is asked for the table; the user chooses rows and asks
// for their live checks ("Re-check chosen rows over DNS"): each chosen
// row's message is read again from its file and checked by the engine on
// the page (todokuBatchCore.check: the single report's live path, with the
// page's resolver), LIVE_AT_ONCE at a time; its row is replaced by the
// result and marked as checked now. Cancel stops the rows not yet started.
const MAX_WORKERS = 4;
const LIVE_AT_ONCE = 3;
// Messages a worker call, calls a worker has at once (no wait on the page's
// thread), and fewer waiting than LOW: the mailbox's next slice is read.
const PER_CALL = 8;
const AHEAD = 2;
const LOW = 64;
// Rows drawn at most (the rest are reached by sorting and filtering).
const SHOWN = 1000;
// The core analyses at most 64 MiB of one file.
const MAX_FILE = 64 * 1024 * 1024 + 1;
const VERDICT_ORDER = { filtered: 0, at_risk: 1, unknown: 2, clean: 3 };

let run = null;
let state = null;
let view = null;

const core = () => self.todokuBatchCore;
const lang = () => (document.documentElement.lang === 'ja' ? 'ja' : 'en');

let ids = 0;
function call(worker, message, transfer = []) {
  return new Promise((resolve, reject) => {
    const id = ++ids;
    const pending = (worker.pending ||= new Map());
    pending.set(id, { resolve, reject });
    worker.onmessage ||= ({ data }) => {
      const p = pending.get(data.id);
      pending.delete(data.id);
      if (data.error) p.reject(new Error(data.error));
      else p.resolve(data.ok);
    };
    worker.onerror ||= (e) => {
      for (const p of pending.values()) p.reject(new Error(e.message || 'the batch worker failed'));
      pending.clear();
    };
    worker.postMessage({ ...message, id }, transfer);
  });
}

// A failure reported where it is awaited, not as unhandled.
const quiet = (p) => (p.catch(() => {}), p);

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function cancel() {
  if (!run || run.finished) return;
  run.cancelled = true;
  for (const w of run.workers) w.terminate();
  state.cancelled = true;
  finish();
}

/** Analyse `items` ([{ file, mbox }]) into the table. */
function start(items) {
  cancel();
  const count = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, MAX_WORKERS));
  const workers = Array.from({ length: count }, () => self.todokuWorker.spawn());
  const splitter = items.some((i) => i.mbox) ? self.todokuWorker.spawn() : null;
  const me = { workers: splitter ? [...workers, splitter] : workers, cancelled: false, finished: false };
  run = me;
  state = {
    rows: [],
    meta: [],
    summary: null,
    key: 'index',
    dir: 1,
    filter: '',
    done: false,
    cancelled: false,
    // Rows chosen for live checks, rows checked (indexes), the check running.
    chosen: new Set(),
    checked: new Set(),
    check: null,
  };
  core().reset();
  build();
  const now = Math.floor(Date.now() / 1000);

  // Jobs in the order of the files and of each mailbox's messages.
  const queue = [];
  let nextFile = 0;
  let mailbox = null;
  let feeding = null;
  let nextIndex = 0;
  const exhausted = () => !mailbox && nextFile >= items.length;
  async function more() {
    if (mailbox) {
      const { parts, done } = await call(splitter, { op: 'split-next' });
      for (const p of parts) queue.push({ ...p, message: p.index, file: mailbox, mbox: true });
      if (done) mailbox = null;
      return;
    }
    const item = items[nextFile++];
    if (item.mbox) {
      await call(splitter, { op: 'split-open', file: item.file });
      mailbox = item.file;
    } else {
      queue.push({ file: item.file, source: item.file.name, mbox: false });
    }
  }
  // A failed read fails the run where the next jobs are asked for, also
  // when it was a read ahead that nobody awaited.
  let failed = null;
  const feed = () => (feeding ||= more().catch((e) => { failed = e; }).finally(() => { feeding = null; }));
  const take = () => {
    const j = queue.shift();
    if (j) j.index = nextIndex++;
    return j;
  };
  async function jobs() {
    while (!queue.length && !exhausted() && !me.cancelled && !failed) await feed();
    if (failed) throw failed;
    const out = [];
    for (let j; out.length < PER_CALL && (j = take()); ) out.push(j);
    if (mailbox && queue.length < LOW) feed();
    return out;
  }
  async function rows(worker, js) {
    const asked = js.filter((j) => !j.row);
    const made = asked.length
      ? await call(
          worker,
          { op: 'rows', now, jobs: asked.map((j) => ({ index: j.index, source: j.source, bytes: j.bytes, file: j.bytes ? null : j.file })) },
          asked.flatMap((j) => (j.bytes ? [j.bytes.buffer] : [])),
        )
      : [];
    return js.map((j) => [j, j.row || made.shift()]);
  }
  async function work(worker) {
    const flight = [];
    for (;;) {
      while (flight.length < AHEAD && !me.cancelled) {
        const js = await jobs();
        if (!js.length) break;
        flight.push(quiet(rows(worker, js)));
      }
      if (!flight.length || me.cancelled) return;
      for (const [j, row] of await flight.shift()) add(j, row);
      schedule();
    }
  }
  function add(j, row) {
    if (me.cancelled) return;
    row.index = j.index;
    // As the CLI's rows: file, number in the mailbox, offset of its From_ line.
    row.file = j.file.name;
    row.message = j.mbox ? j.message : null;
    row.offset = j.mbox ? j.start : null;
    state.meta[j.index] = { file: j.file, mbox: j.mbox, start: j.start, end: j.end };
    state.rows.push(row);
    core().add(row.verdict, !!row.problem, row.from_domain, row.sending_ip, row.findings.join(' '));
  }
  Promise.all(workers.map(work)).then(
    () => {
      if (me.cancelled) return;
      state.done = true;
      finish();
    },
    (err) => {
      if (me.cancelled) return;
      cancel();
      view.status.textContent = String(err);
    },
  );
}

function finish() {
  run.finished = true;
  for (const w of run.workers) w.terminate();
  clearTimeout(timer);
  timer = null;
  render();
}

let timer = null;
function schedule() {
  if (!timer) timer = setTimeout(() => { timer = null; render(true); }, 400);
}

function words() {
  return core().words(lang());
}

function fill(text, n) {
  return text.replace('{n}', String(n));
}

/** The section's parts (once per run and language). */
function build() {
  const section = document.getElementById('batch');
  section.replaceChildren();
  const w = words();
  const v = { section };
  section.append(el('h2', w.heading, { id: 'batch-heading' }));
  v.status = el('p', '', { id: 'batch-status', role: 'status' });
  v.cancel = el('button', w.cancel, { id: 'batch-cancel', type: 'button' });
  v.cancel.addEventListener('click', cancel);
  section.append(v.status, v.cancel);
  section.append(el('h3', w.summary));
  v.totals = el('p', '', { id: 'batch-totals' });
  v.groups = el('ul', undefined, { id: 'batch-summary' });
  section.append(v.totals, v.groups);
  const label = el('label', undefined, { class: 'batch-filter' });
  label.append(el('span', w.filter), ' ');
  v.filter = el('select', undefined, { id: 'batch-filter' });
  v.filter.addEventListener('change', () => { state.filter = v.filter.value; render(); });
  label.append(v.filter);
  section.append(label);
  const exports = el('p', undefined, { class: 'batch-export' });
  for (const kind of ['csv', 'jsonl']) {
    const button = el('button', w[`export-${kind}`], { type: 'button', id: `batch-export-${kind}` });
    button.addEventListener('click', () => download(kind));
    exports.append(button, ' ');
  }
  section.append(exports);
  const live = el('p', undefined, { class: 'batch-live' });
  v.check = el('button', w.check, { id: 'batch-check', type: 'button' });
  v.check.addEventListener('click', checkChosen);
  v.checkCancel = el('button', w.cancel, { id: 'batch-check-cancel', type: 'button' });
  v.checkCancel.addEventListener('click', cancelCheck);
  v.checkStatus = el('span', '', { id: 'batch-check-status', role: 'status' });
  live.append(v.check, ' ', v.checkCancel, ' ', v.checkStatus);
  section.append(live, el('p', w['check-note'], { class: 'note' }), el('p', w.open, { class: 'note' }));
  const table = el('table', undefined, { id: 'batch-table' });
  const head = el('tr');
  const all = el('th', undefined, { scope: 'col' });
  v.chooseAll = el('input', undefined, { type: 'checkbox', id: 'batch-choose-all', 'aria-label': w['choose-all'], title: w['choose-all'] });
  v.chooseAll.addEventListener('change', () => {
    for (const index of view.shown) {
      if (v.chooseAll.checked) state.chosen.add(index);
      else state.chosen.delete(index);
    }
    render();
  });
  all.append(v.chooseAll);
  head.append(all);
  v.heads = {};
  for (const key of ['date', 'from', 'subject', 'verdict', 'finding']) {
    const th = el('th', undefined, { scope: 'col', 'data-key': key });
    const button = el('button', w[key], { type: 'button', title: w.sort });
    button.addEventListener('click', () => {
      state.dir = state.key === key ? -state.dir : 1;
      state.key = key;
      render();
    });
    th.append(button);
    head.append(th);
    v.heads[key] = th;
  }
  v.body = el('tbody');
  table.append(el('thead'), v.body);
  table.firstChild.append(head);
  v.more = el('p', '', { class: 'note', id: 'batch-more' });
  section.append(table, v.more);
  section.hidden = false;
  view = v;
  render();
}

function findingText(row, ja) {
  if (row.problem) return ja ? row.problem_ja : row.problem;
  if (!row.top_finding) return '';
  return ja ? row.top_finding.title_ja : row.top_finding.title;
}

function sortValue(row, key, ja) {
  switch (key) {
    case 'date': { const t = Date.parse(row.date || ''); return Number.isNaN(t) ? Infinity : t; }
    case 'from': return (row.from || '').toLowerCase();
    case 'subject': return (row.subject || '').toLowerCase();
    case 'verdict': return VERDICT_ORDER[row.verdict] ?? 2;
    case 'finding': return findingText(row, ja).toLowerCase();
    default: return row.index;
  }
}

// `arrived`: only rows arrived.
function render(arrived) {
  if (!state || !view) return;
  const w = words();
  const ja = lang() === 'ja';
  const n = state.rows.length;
  const running = !state.done && !state.cancelled;
  view.status.textContent = fill(running ? w.progress : state.cancelled ? w.cancelled : w.done, n);
  view.cancel.hidden = !running;

  state.summary = JSON.parse(core().summary());
  const s = state.summary;
  view.totals.textContent = ja ? s.sentence_ja : s.sentence;
  view.groups.replaceChildren(...s.groups.map((g) => el('li', ja ? g.sentence_ja : g.sentence)));

  // The filter: every finding the rows have, most common first, by title.
  const titles = new Map();
  for (const r of state.rows) {
    if (r.top_finding) titles.set(r.top_finding.id, ja ? r.top_finding.title_ja : r.top_finding.title);
  }
  for (const g of s.groups) {
    if (g.top_finding) titles.set(g.top_finding.id, ja ? g.top_finding.title_ja : g.top_finding.title);
  }
  const options = [el('option', w['filter-all'], { value: '' })];
  for (const f of s.findings) {
    options.push(el('option', `${titles.get(f.value) || f.value} (${f.count})`, { value: f.value }));
  }
  view.filter.replaceChildren(...options);
  view.filter.value = s.findings.some((f) => f.value === state.filter) ? state.filter : '';

  const { key, dir } = state;
  // Each row's sort value once, not per comparison.
  const rows = (state.filter ? state.rows.filter((r) => r.findings.includes(state.filter)) : state.rows)
    .map((r) => [sortValue(r, key, ja), r])
    .sort(([x, a], [y, b]) => (typeof x === 'string' ? x.localeCompare(y) : x - y) * dir || a.index - b.index)
    .map((k) => k[1]);
  for (const [k, th] of Object.entries(view.heads)) {
    if (k === key) th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
  }
  const shown = rows.slice(0, SHOWN);
  view.shown = shown.map((r) => r.index);
  // Rows that arrived after the shown ones change nothing drawn.
  const same = arrived && view.drawn?.length === shown.length && shown.every((r, i) => r === view.drawn[i]);
  view.drawn = shown;
  if (!same) draw(shown, w, ja);
  view.chooseAll.checked = shown.length > 0 && shown.every((r) => state.chosen.has(r.index));
  renderCheck(w);
  view.more.textContent = rows.length > SHOWN ? fill(w.more, SHOWN) : '';
}

function draw(shown, w, ja) {
  // Rows arrive while the reader works in the table: whatever row or box
  // had the keyboard keeps it when the rows are drawn again.
  const active = document.activeElement;
  const focusedRow = active && view.body.contains(active) ? active.closest('tr')?.getAttribute('data-index') : null;
  const focusedBox = !!active && active.classList.contains('batch-choose');
  view.body.replaceChildren(...shown.map((r) => {
    const tr = el('tr', undefined, { 'data-index': String(r.index), 'data-verdict': r.verdict, tabindex: '0' });
    const choose = el('input', undefined, { type: 'checkbox', class: 'batch-choose', 'aria-label': w.choose });
    choose.checked = state.chosen.has(r.index);
    // A row that could not be analysed has nothing to check.
    choose.disabled = !!r.problem;
    const verdict = el('td', w[`verdict-${r.verdict}`] || r.verdict);
    if (state.checked.has(r.index)) {
      tr.setAttribute('data-checked', 'now');
      verdict.append(' ', el('small', `(${w['checked-now']})`, { class: 'checked-now' }));
    }
    const cell = el('td');
    cell.append(choose);
    tr.append(
      cell,
      el('td', r.date || ''),
      el('td', r.from || ''),
      el('td', r.subject || ''),
      verdict,
      el('td', findingText(r, ja)),
    );
    return tr;
  }));
  if (focusedRow != null) {
    const tr = view.body.querySelector(`tr[data-index="${focusedRow}"]`);
    (focusedBox ? tr?.querySelector('input.batch-choose') : tr)?.focus();
  }
}

// The live check's button, cancel and progress.
function renderCheck(w) {
  const c = state.check;
  const running = !!c && !c.finished;
  view.check.disabled = running || !state.chosen.size;
  view.checkCancel.hidden = !running;
  let text = '';
  if (c) {
    const done = c.cancelled ? w['check-cancelled'] : running ? w.checking : w.checked;
    text = fill(done, c.done).replace('{m}', String(c.total));
    if (c.error) text += ` ${c.error}`;
  }
  view.checkStatus.textContent = text;
}

// The core's summary counted again from every row (a checked row's verdict
// and findings have changed; the summariser only adds).
function recount() {
  core().reset();
  for (const r of state.rows) {
    core().add(r.verdict, !!r.problem, r.from_domain, r.sending_ip, r.findings.join(' '));
  }
}

// A row's message: its range of the mailbox, or the file.
async function bytesOf(m) {
  const blob = m.mbox ? m.file.slice(m.start, m.end) : m.file.slice(0, MAX_FILE);
  return new Uint8Array(await blob.arrayBuffer());
}

/** Live checks for the chosen rows, LIVE_AT_ONCE at a time. */
async function checkChosen() {
  if (!state || (state.check && !state.check.finished)) return;
  const st = state;
  const byIndex = new Map(st.rows.map((r) => [r.index, r]));
  const queue = [...st.chosen].filter((i) => st.meta[i] && byIndex.get(i) && !byIndex.get(i).problem);
  queue.sort((a, b) => a - b);
  if (!queue.length) return;
  const me = { total: queue.length, done: 0, cancelled: false, finished: false, error: '' };
  st.check = me;
  render();
  const live = () => !me.cancelled && state === st;
  async function lane() {
    while (queue.length && live()) {
      const index = queue.shift();
      const old = byIndex.get(index);
      try {
        const json = await core().check(await bytesOf(st.meta[index]), st.meta[index].mbox, index, old.source);
        if (!live()) return;
        const row = JSON.parse(json);
        // As the worker's row: its file and place in the mailbox.
        row.index = index;
        row.file = old.file;
        row.message = old.message;
        row.offset = old.offset;
        const at = st.rows.indexOf(byIndex.get(index));
        if (at >= 0) st.rows[at] = row;
        byIndex.set(index, row);
        st.checked.add(index);
      } catch (err) {
        if (!live()) return;
        me.error = String(err);
      }
      me.done += 1;
      recount();
      render();
    }
  }
  await Promise.all(Array.from({ length: Math.min(LIVE_AT_ONCE, queue.length) }, lane));
  if (state !== st) return;
  me.finished = true;
  render();
}

function cancelCheck() {
  const c = state && state.check;
  if (!c || c.finished) return;
  c.cancelled = true;
  c.finished = true;
  render();
}

// A CSV column's value (top_finding.id: a field inside a field).
function column(row, path) {
  let v = row;
  for (const key of path.split('.')) v = v == null ? v : v[key];
  if (v == null) return '';
  return Array.isArray(v) ? v.join(' ') : String(v);
}

// Every row as a file: CSV written by the core from its columns' values,
// or JSON lines (the worker's serde JSON of each row, written again).
function download(kind) {
  if (!state) return;
  const rows = state.rows.slice().sort((a, b) => a.index - b.index);
  let text;
  let type;
  if (kind === 'csv') {
    const columns = core().csvColumns;
    text = core().csv(rows.flatMap((r) => columns.map((c) => column(r, c))));
    type = 'text/csv;charset=utf-8';
  } else {
    text = rows.map((r) => `${JSON.stringify(r)}\n`).join('');
    type = 'application/x-ndjson;charset=utf-8';
  }
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', undefined, { href: url, download: `todoku-batch.${kind}` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function open(index) {
  const m = state && state.meta[index];
  if (!m) return;
  core().open(await bytesOf(m), m.mbox);
  document.getElementById('report').scrollIntoView();
}

function wire() {
  const section = document.getElementById('batch');
  const pick = (event) => {
    if (event.target.closest('input')) return;
    const tr = event.target.closest('#batch-table tbody tr');
    if (tr) open(Number(tr.dataset.index));
  };
  section.addEventListener('click', pick);
  // A row's box: chosen for live checks (or not).
  section.addEventListener('change', (event) => {
    const box = event.target.closest('input.batch-choose');
    const tr = box && box.closest('tr');
    if (!tr || !state) return;
    if (box.checked) state.chosen.add(Number(tr.dataset.index));
    else state.chosen.delete(Number(tr.dataset.index));
    // Not drawn again: the box keeps the keyboard's focus.
    view.chooseAll.checked = view.shown.every((i) => state.chosen.has(i));
    renderCheck(words());
  });
  section.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') pick(event);
  });
  // The page's language switch: draw again in the other language.
  new MutationObserver(() => { if (state) build(); })
    .observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', wire);
else wire();

// Imported by www/engine.js when the first batch starts (todokuBatch.start
// there), not with the page.
export { start, cancel };
