//! Many messages: several files (.eml, .msg, header blocks), directories of
//! them and mailboxes (mbox), one row each and a summary by sending domain
//! (issue 17).
//!
//! Three kinds of thread share the work (`std::thread::scope`):
//! - one reader walks the inputs in order (a directory: every `.eml`,
//!   `.msg` and `.mbox` under it, sorted, recursively, each directory read
//!   once however many symbolic links lead to it) and reads each file; a
//!   mailbox is read in chunks and split as it streams
//!   (`todoku_core::input::mbox::Splitter`: one message and a chunk held);
//! - one worker per core analyses the messages (offline: no DNS questions
//!   for a whole mailbox);
//! - the calling thread writes the rows in input order (rows that finish
//!   early wait for the ones before them) and the summary, which keeps
//!   counts, not rows.
//!
//! A [`Gate`] bounds what is between the reader and the writer: at most a
//! few messages per worker and [`MAX_INPUT_BYTES`] of message bytes (one
//! message larger than that still passes, alone), so the memory used does
//! not grow with the mailbox, and a slow message cannot make the others
//! pile up. A file or message that cannot be read is a row with its
//! reason; the others go on.

use std::collections::{BTreeMap, HashSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Condvar, Mutex, PoisonError};

use todoku_core::input::mbox::{MboxMessage, Splitter, holds_one_message, is_mbox};
use todoku_core::report::batch::{BatchRow, Summariser};
use todoku_core::wording::Lang;
use todoku_core::wording::batch as words;
use todoku_core::{MAX_INPUT_BYTES, analyze};

use crate::text::visible;

/// Bytes read at a time from a mailbox, and to recognise one.
pub(crate) const CHUNK: usize = 64 * 1024;

/// Messages in flight (read, not yet written) per worker.
const IN_FLIGHT_PER_WORKER: usize = 4;

/// An input opened for reading: its first bytes (up to [`CHUNK`]) and the rest.
pub(crate) struct Opened {
    pub(crate) name: String,
    pub(crate) prefix: Vec<u8>,
    pub(crate) rest: Box<dyn Read + Send>,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened").field("name", &self.name).finish()
    }
}

impl Opened {
    /// Whether the input is a mailbox.
    pub(crate) fn is_mbox(&self) -> bool {
        is_mbox(&self.prefix)
    }
}

/// Opens `path` (`-`: standard input) and reads its first bytes.
pub(crate) fn open(path: &str) -> Result<Opened, String> {
    let (name, mut rest): (String, Box<dyn Read + Send>) = if path == "-" {
        ("-".to_string(), Box::new(std::io::stdin()))
    } else {
        let file = std::fs::File::open(path).map_err(|e| format!("cannot read {path:?}: {e}"))?;
        (path.to_string(), Box::new(file))
    };
    let mut prefix = Vec::with_capacity(CHUNK);
    (&mut rest)
        .take(CHUNK as u64)
        .read_to_end(&mut prefix)
        .map_err(|e| format!("cannot read {path:?}: {e}"))?;
    Ok(Opened { name, prefix, rest })
}

/// Up to this size a file in mbox form is read whole to count its messages.
const ONE_MESSAGE_CHECK: usize = 16 << 20;

/// Whether `opened` (in mbox form) is one saved message rather than a
/// mailbox: named as one message (`.eml`, `.msg`: a bounce that quotes its
/// original's From_ line stays one message), or holding one message within
/// [`ONE_MESSAGE_CHECK`] bytes, as the page decides. The bytes read to tell
/// stay in the returned input.
pub(crate) fn one_message(opened: Opened) -> std::io::Result<(bool, Opened)> {
    let lower = opened.name.to_ascii_lowercase();
    if lower.ends_with(".eml") || lower.ends_with(".msg") {
        return Ok((true, opened));
    }
    let Opened {
        name,
        mut prefix,
        mut rest,
    } = opened;
    let room = ONE_MESSAGE_CHECK.saturating_sub(prefix.len()) + 1;
    (&mut rest).take(room as u64).read_to_end(&mut prefix)?;
    if prefix.len() > ONE_MESSAGE_CHECK {
        return Ok((false, Opened { name, prefix, rest }));
    }
    let one = holds_one_message(&prefix);
    let rest: Box<dyn Read + Send> = Box::new(std::io::empty());
    Ok((one, Opened { name, prefix, rest }))
}

/// How the rows and the summary are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Output {
    /// A table for a terminal (control characters made visible).
    Text,
    /// One JSON document: `{"rows": [...], "summary": {...}}`.
    Document,
    /// JSON lines (`--batch --json`): one row per line, then
    /// `{"summary": {...}}` as the last line.
    Lines,
}

/// How the rows and the summary are written, and by how many workers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub(crate) output: Output,
    pub(crate) lang: Lang,
    /// Worker threads (at least one is used).
    pub(crate) threads: usize,
}

/// The worker threads for this computer: one per core.
pub(crate) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// Writes rows as they come, then the summary.
struct Writer<'w, W: Write> {
    out: &'w mut W,
    style: Style,
    rows: usize,
    summary: Summariser,
}

impl<W: Write> Writer<'_, W> {
    fn start(&mut self) -> std::io::Result<()> {
        if self.style.output == Output::Document {
            self.out.write_all(b"{\"rows\":[")
        } else {
            Ok(())
        }
    }

    fn row(&mut self, row: &BatchRow) -> std::io::Result<()> {
        self.summary.add(row);
        match self.style.output {
            Output::Document => {
                if self.rows > 0 {
                    self.out.write_all(b",")?;
                }
                self.out.write_all(b"\n")?;
                serde_json::to_writer(&mut *self.out, row)?;
            }
            Output::Lines => self.out.write_all(row.to_json_line().as_bytes())?,
            Output::Text => self
                .out
                .write_all(text_row(row, self.style.lang).as_bytes())?,
        }
        self.rows += 1;
        Ok(())
    }

    fn finish(&mut self) -> std::io::Result<()> {
        let summary = self.summary.summary();
        match self.style.output {
            Output::Document => {
                self.out.write_all(b"\n],\"summary\":")?;
                serde_json::to_writer_pretty(&mut *self.out, &summary)?;
                return self.out.write_all(b"}\n");
            }
            Output::Lines => {
                self.out.write_all(b"{\"summary\":")?;
                serde_json::to_writer(&mut *self.out, &summary)?;
                return self.out.write_all(b"}\n");
            }
            Output::Text => {}
        }
        let ja = self.style.lang == Lang::Ja;
        let mut text = String::new();
        text += if ja { "\n概要: " } else { "\nSummary: " };
        text += if ja {
            &summary.sentence_ja
        } else {
            &summary.sentence
        };
        text += "\n";
        for group in &summary.groups {
            let sentence = if ja {
                &group.sentence_ja
            } else {
                &group.sentence
            };
            text += &format!("  {}\n", visible(sentence));
        }
        self.out.write_all(text.as_bytes())
    }
}

/// A row as text: number and source, then date, From and Subject, then the
/// verdict and the top finding (or the problem).
fn text_row(row: &BatchRow, lang: Lang) -> String {
    let dash = |v: &Option<String>| {
        v.as_deref()
            .map_or("-".to_string(), |s| visible(s).into_owned())
    };
    let mut text = format!("{:>4}  {}\n", row.index + 1, visible(&row.source));
    text += &format!(
        "      {}  {}  {}\n",
        dash(&row.date),
        dash(&row.from),
        dash(&row.subject)
    );
    let verdict = words::verdict_label(&row.verdict, lang);
    let problem = if lang == Lang::Ja {
        &row.problem_ja
    } else {
        &row.problem
    };
    let detail = match (&row.top_finding, problem) {
        (_, Some(problem)) => visible(problem).into_owned(),
        (Some(top), None) => {
            let title = if lang == Lang::Ja {
                &top.title_ja
            } else {
                &top.title
            };
            format!("{} ({})", visible(title), top.id)
        }
        (None, None) => String::new(),
    };
    let ip = row
        .sending_ip
        .as_deref()
        .map(|ip| format!(" [{}]", visible(ip)))
        .unwrap_or_default();
    if detail.is_empty() {
        text += &format!("      {verdict}{ip}\n");
    } else {
        text += &format!("      {verdict}{ip}: {detail}\n");
    }
    text
}

/// What a worker does for one row.
enum Work {
    /// Analyse these message bytes.
    Analyse(Vec<u8>),
    /// A mailbox message of this many bytes, larger than the core analyses.
    TooLarge(u64),
    /// A file that could not be read, and why.
    Unreadable(String),
}

/// One row to make: its place in the output and in its file.
struct Job {
    seq: usize,
    /// Message bytes it holds (the [`Gate`] counts them).
    weight: usize,
    source: String,
    file: String,
    message: Option<usize>,
    offset: Option<u64>,
    work: Work,
}

/// A row made, waiting for its turn to be written.
struct Done {
    seq: usize,
    weight: usize,
    row: BatchRow,
}

/// Bounds the messages between the reader and the writer: at most `jobs`
/// of them and `bytes` of message bytes (a larger message passes alone).
struct Gate {
    state: Mutex<GateState>,
    changed: Condvar,
    jobs: usize,
    bytes: usize,
}

#[derive(Default)]
struct GateState {
    jobs: usize,
    bytes: usize,
    stopped: bool,
}

impl Gate {
    fn new(jobs: usize, bytes: usize) -> Gate {
        Gate {
            state: Mutex::new(GateState::default()),
            changed: Condvar::new(),
            jobs: jobs.max(1),
            bytes,
        }
    }

    /// Waits for room for a message of `weight` bytes; false once stopped.
    fn enter(&self, weight: usize) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if state.stopped {
                return false;
            }
            let full = state.jobs >= self.jobs
                || (state.jobs > 0 && state.bytes.saturating_add(weight) > self.bytes);
            if !full {
                state.jobs += 1;
                state.bytes = state.bytes.saturating_add(weight);
                return true;
            }
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// A message of `weight` bytes was written.
    fn leave(&self, weight: usize) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.jobs = state.jobs.saturating_sub(1);
        state.bytes = state.bytes.saturating_sub(weight);
        drop(state);
        self.changed.notify_all();
    }

    /// The writer gave up (the reader of the output went away): the reader
    /// stops.
    fn stop(&self) {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .stopped = true;
        self.changed.notify_all();
    }
}

/// Analyses every input into rows, written in input order; `first` is
/// `paths[0]` already opened. Returns how many rows were written and how
/// many of them were analysed (had no problem).
pub(crate) fn run(
    paths: &[String],
    first: Option<Opened>,
    now: i64,
    style: Style,
    out: &mut impl Write,
) -> std::io::Result<(usize, usize)> {
    let mut writer = Writer {
        out,
        style,
        rows: 0,
        summary: Summariser::default(),
    };
    writer.start()?;
    let workers = style.threads.max(1);
    let gate = Gate::new(workers * IN_FLIGHT_PER_WORKER, MAX_INPUT_BYTES);
    let (job_tx, job_rx) = channel::<Job>();
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = channel::<Done>();
    let analysed = std::thread::scope(|scope| {
        let gate = &gate;
        let job_rx = &job_rx;
        scope.spawn(move || {
            let mut feed = Feed {
                seq: 0,
                tx: job_tx,
                gate,
            };
            read_inputs(paths, first, &mut feed);
        });
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            scope.spawn(move || {
                loop {
                    let job = job_rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
                    let Ok(job) = job else { return };
                    if done_tx.send(make_row(job, now)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let written = write_in_order(done_rx, gate, &mut writer);
        // On a write error the reader stops and the workers end with it.
        gate.stop();
        written
    })?;
    writer.finish()?;
    Ok((writer.rows, analysed))
}

/// Writes the rows as they arrive, each after the ones before it.
fn write_in_order<W: Write>(
    done: Receiver<Done>,
    gate: &Gate,
    writer: &mut Writer<'_, W>,
) -> std::io::Result<usize> {
    let mut waiting: BTreeMap<usize, Done> = BTreeMap::new();
    let mut next = 0;
    let mut analysed = 0;
    for row in done {
        waiting.insert(row.seq, row);
        while let Some(done) = waiting.remove(&next) {
            analysed += usize::from(done.row.problem.is_none());
            writer.row(&done.row)?;
            gate.leave(done.weight);
            next += 1;
        }
    }
    Ok(analysed)
}

/// A worker's row for `job`. A panic in the analysis (a bug: the core must
/// not panic) is the row's problem, not a lost row, where panics unwind
/// (the tests; the release profile aborts instead).
fn make_row(job: Job, now: i64) -> Done {
    let Job {
        seq,
        weight,
        source,
        file,
        message,
        offset,
        work,
    } = job;
    let failed = |en: String, ja: String| BatchRow::failed(seq, &source, en, ja);
    let row = match work {
        Work::Analyse(bytes) => {
            let report = std::panic::catch_unwind(|| analyze(&bytes, now));
            match report {
                Ok(report) => BatchRow::from_report(seq, &source, &report),
                Err(_) => failed(
                    words::unreadable_file("the analysis failed (a bug in Todoku)", Lang::En),
                    words::unreadable_file("分析に失敗しました（Todoku の不具合）", Lang::Ja),
                ),
            }
        }
        Work::TooLarge(size) => failed(
            words::message_too_large(size, Lang::En),
            words::message_too_large(size, Lang::Ja),
        ),
        Work::Unreadable(reason) => failed(
            words::unreadable_file(&reason, Lang::En),
            words::unreadable_file(&reason, Lang::Ja),
        ),
    };
    Done {
        seq,
        weight,
        row: row.placed(&file, message, offset),
    }
}

/// The reader's end of the job queue.
struct Feed<'g> {
    seq: usize,
    tx: Sender<Job>,
    gate: &'g Gate,
}

impl Feed<'_> {
    /// Queues a row; false when the batch is stopping.
    fn send(
        &mut self,
        source: String,
        file: &str,
        place: Option<(usize, u64)>,
        work: Work,
    ) -> bool {
        let weight = match &work {
            Work::Analyse(bytes) => bytes.len(),
            _ => 0,
        };
        if !self.gate.enter(weight) {
            return false;
        }
        let job = Job {
            seq: self.seq,
            weight,
            source,
            file: file.to_string(),
            message: place.map(|p| p.0),
            offset: place.map(|p| p.1),
            work,
        };
        self.seq += 1;
        self.tx.send(job).is_ok()
    }
}

/// Every input in order; a directory is walked.
fn read_inputs(paths: &[String], mut first: Option<Opened>, feed: &mut Feed<'_>) {
    let mut seen = HashSet::new();
    for path in paths {
        if let Some(opened) = first.take() {
            if !read_opened(opened, feed) {
                return;
            }
            continue;
        }
        if path != "-" && Path::new(path).is_dir() {
            let mut files = Vec::new();
            walk(Path::new(path), &mut seen, &mut files);
            for entry in files {
                let ok = match entry {
                    Ok(file) => read_path(&file.to_string_lossy(), feed),
                    Err((dir, reason)) => {
                        let name = dir.to_string_lossy();
                        feed.send(name.to_string(), &name, None, Work::Unreadable(reason))
                    }
                };
                if !ok {
                    return;
                }
            }
        } else if !read_path(path, feed) {
            return;
        }
    }
}

/// Whether `path` names a message file or a mailbox (by its extension).
fn wanted(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["eml", "msg", "mbox"]
            .iter()
            .any(|w| e.eq_ignore_ascii_case(w))
    })
}

/// The `.eml`, `.msg` and `.mbox` files under `dir`, sorted by name at
/// each level, directories entered where they sort; a directory that
/// cannot be read is an entry with its reason. A directory already walked
/// (a symbolic link back up the tree, or two links to one place) is not
/// walked again.
fn walk(
    dir: &Path,
    seen: &mut HashSet<PathBuf>,
    files: &mut Vec<Result<PathBuf, (PathBuf, String)>>,
) {
    match std::fs::canonicalize(dir) {
        Ok(real) => {
            if !seen.insert(real) {
                return;
            }
        }
        Err(e) => {
            files.push(Err((
                dir.to_path_buf(),
                format!("cannot read {dir:?}: {e}"),
            )));
            return;
        }
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            files.push(Err((
                dir.to_path_buf(),
                format!("cannot read {dir:?}: {e}"),
            )));
            return;
        }
    };
    let mut paths = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => paths.push(entry.path()),
            Err(e) => files.push(Err((
                dir.to_path_buf(),
                format!("cannot read {dir:?}: {e}"),
            ))),
        }
    }
    paths.sort();
    for path in paths {
        // `is_dir` follows symbolic links; a loop ends at `seen`.
        if path.is_dir() {
            walk(&path, seen, files);
        } else if wanted(&path) {
            files.push(Ok(path));
        }
    }
}

/// Opens `path` and queues its rows.
fn read_path(path: &str, feed: &mut Feed<'_>) -> bool {
    match open(path) {
        Ok(opened) => read_opened(opened, feed),
        Err(reason) => feed.send(path.to_string(), path, None, Work::Unreadable(reason)),
    }
}

fn read_opened(opened: Opened, feed: &mut Feed<'_>) -> bool {
    if opened.is_mbox() {
        mailbox(opened, feed)
    } else {
        file(opened, feed)
    }
}

/// One message file: read whole (up to the core's limit and one byte more:
/// the core's report says when it is too large).
fn file(opened: Opened, feed: &mut Feed<'_>) -> bool {
    let Opened { name, prefix, rest } = opened;
    let mut bytes = prefix;
    let room = (MAX_INPUT_BYTES + 1).saturating_sub(bytes.len()) as u64;
    let work = match rest.take(room).read_to_end(&mut bytes) {
        Err(e) => Work::Unreadable(format!("{e}")),
        Ok(_) => Work::Analyse(bytes),
    };
    feed.send(name.clone(), &name, None, work)
}

/// A mailbox, streamed in chunks: each message queued as it completes.
fn mailbox(opened: Opened, feed: &mut Feed<'_>) -> bool {
    let Opened {
        name,
        prefix,
        mut rest,
    } = opened;
    let mut splitter = Splitter::new(MAX_INPUT_BYTES);
    let emit = |m: MboxMessage, feed: &mut Feed<'_>| {
        let source = format!("{name} #{}", m.index + 1);
        let work = match m.bytes {
            Some(bytes) => Work::Analyse(bytes),
            None => Work::TooLarge(m.end.saturating_sub(m.start)),
        };
        feed.send(source, &name, Some((m.index, m.start)), work)
    };
    splitter.push(&prefix);
    drop(prefix);
    let mut chunk = vec![0u8; CHUNK];
    loop {
        while let Some(m) = splitter.next_message() {
            if !emit(m, feed) {
                return false;
            }
        }
        let n = match rest.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                // What was read is analysed; the rest is this row's error.
                while let Some(m) = splitter.finish() {
                    if !emit(m, feed) {
                        return false;
                    }
                }
                return feed.send(name.clone(), &name, None, Work::Unreadable(format!("{e}")));
            }
        };
        splitter.push(chunk.get(..n).unwrap_or_default());
    }
    while let Some(m) = splitter.finish() {
        if !emit(m, feed) {
            return false;
        }
    }
    true
}
