//! Many messages: several files (.eml, .msg, header blocks) and mailboxes
//! (mbox), one row each and a summary by sending domain (issue 17).
//!
//! A mailbox is read in chunks and split as it streams
//! (`todoku_core::input::mbox::Splitter`): at most one message and a chunk
//! are held, whatever its size. Rows are written as they are made (text, or
//! JSON written as it goes); the summary keeps counts, not rows. A file or
//! message that cannot be read is a row with its reason; the others go on.
//! Batches are analysed offline: no DNS questions for a whole mailbox.

use std::io::{Read, Write};

use todoku_core::input::mbox::{Splitter, is_mbox};
use todoku_core::report::batch::{BatchRow, Summariser};
use todoku_core::wording::Lang;
use todoku_core::wording::batch as words;
use todoku_core::{MAX_INPUT_BYTES, analyze};

use crate::text::visible;

/// Bytes read at a time from a mailbox, and to recognise one.
pub(crate) const CHUNK: usize = 64 * 1024;

/// An input opened for reading: its first bytes (up to [`CHUNK`]) and the rest.
pub(crate) struct Opened {
    pub(crate) name: String,
    pub(crate) prefix: Vec<u8>,
    pub(crate) rest: Box<dyn Read>,
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
    let (name, mut rest): (String, Box<dyn Read>) = if path == "-" {
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

/// How the rows and the summary are written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub(crate) json: bool,
    pub(crate) lang: Lang,
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
        if self.style.json {
            self.out.write_all(b"{\"rows\":[")
        } else {
            Ok(())
        }
    }

    fn row(&mut self, row: &BatchRow) -> std::io::Result<()> {
        self.summary.add(row);
        if self.style.json {
            if self.rows > 0 {
                self.out.write_all(b",")?;
            }
            self.out.write_all(b"\n")?;
            serde_json::to_writer(&mut *self.out, row)?;
        } else {
            self.out
                .write_all(text_row(row, self.style.lang).as_bytes())?;
        }
        self.rows += 1;
        Ok(())
    }

    fn finish(&mut self) -> std::io::Result<()> {
        let summary = self.summary.summary();
        if self.style.json {
            self.out.write_all(b"\n],\"summary\":")?;
            serde_json::to_writer_pretty(&mut *self.out, &summary)?;
            return self.out.write_all(b"}\n");
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

/// Analyses every input into rows; `first` is `paths[0]` already opened.
/// Returns how many rows were analysed (had no problem).
pub(crate) fn run(
    paths: &[String],
    mut first: Option<Opened>,
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
    let mut analysed = 0;
    for path in paths {
        let opened = match first.take() {
            Some(opened) => Ok(opened),
            None => open(path),
        };
        let opened = match opened {
            Ok(opened) => opened,
            Err(reason) => {
                let row = BatchRow::failed(
                    writer.rows,
                    path,
                    words::unreadable_file(&reason, Lang::En),
                    words::unreadable_file(&reason, Lang::Ja),
                );
                writer.row(&row)?;
                continue;
            }
        };
        if opened.is_mbox() {
            analysed += mailbox(opened, now, &mut writer)?;
        } else {
            analysed += file(opened, now, &mut writer)?;
        }
    }
    writer.finish()?;
    Ok((writer.rows, analysed))
}

/// One message file: read whole (up to the core's limit) and analysed.
fn file<W: Write>(opened: Opened, now: i64, writer: &mut Writer<'_, W>) -> std::io::Result<usize> {
    let Opened { name, prefix, rest } = opened;
    let mut bytes = prefix;
    let room = (MAX_INPUT_BYTES + 1).saturating_sub(bytes.len()) as u64;
    let read = rest.take(room).read_to_end(&mut bytes);
    let row = match read {
        Err(e) => {
            let reason = format!("{e}");
            BatchRow::failed(
                writer.rows,
                &name,
                words::unreadable_file(&reason, Lang::En),
                words::unreadable_file(&reason, Lang::Ja),
            )
        }
        Ok(_) => {
            // Over the limit, the core's report says so (TooLarge).
            let report = analyze(&bytes, now);
            BatchRow::from_report(writer.rows, &name, &report)
        }
    };
    let ok = row.problem.is_none();
    writer.row(&row)?;
    Ok(usize::from(ok))
}

/// A mailbox, streamed in chunks: each message analysed as it completes.
fn mailbox<W: Write>(
    opened: Opened,
    now: i64,
    writer: &mut Writer<'_, W>,
) -> std::io::Result<usize> {
    let Opened {
        name,
        prefix,
        mut rest,
    } = opened;
    let mut splitter = Splitter::new(MAX_INPUT_BYTES);
    let mut analysed = 0;
    let mut emit = |m: todoku_core::input::mbox::MboxMessage,
                    writer: &mut Writer<'_, W>|
     -> std::io::Result<()> {
        let source = format!("{name} #{}", m.index + 1);
        let row = match &m.bytes {
            Some(bytes) => BatchRow::from_report(writer.rows, &source, &analyze(bytes, now)),
            None => {
                let size = m.end.saturating_sub(m.start);
                BatchRow::failed(
                    writer.rows,
                    &source,
                    words::message_too_large(size, Lang::En),
                    words::message_too_large(size, Lang::Ja),
                )
            }
        };
        analysed += usize::from(row.problem.is_none());
        writer.row(&row)
    };
    splitter.push(&prefix);
    drop(prefix);
    let mut chunk = vec![0u8; CHUNK];
    loop {
        while let Some(m) = splitter.next_message() {
            emit(m, writer)?;
        }
        let n = match rest.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                // What was read is analysed; the rest is this row's error.
                while let Some(m) = splitter.finish() {
                    emit(m, writer)?;
                }
                let reason = format!("{e}");
                let row = BatchRow::failed(
                    writer.rows,
                    &name,
                    words::unreadable_file(&reason, Lang::En),
                    words::unreadable_file(&reason, Lang::Ja),
                );
                writer.row(&row)?;
                return Ok(analysed);
            }
        };
        splitter.push(chunk.get(..n).unwrap_or_default());
    }
    while let Some(m) = splitter.finish() {
        emit(m, writer)?;
    }
    Ok(analysed)
}
