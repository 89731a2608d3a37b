//! `todoku analyze [--batch] [--json] [--offline | --doh URL] FILE|DIR|- [FILE…]`

use std::io::Read as _;
use std::io::Write as _;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use todoku_core::wording::Lang;
use todoku_core::{MAX_INPUT_BYTES, Report, analyze_live};

mod batch;
mod resolver;
mod text;

const USAGE: &str = "\
usage: todoku analyze [--json] [--lang en|ja] [--tz ZONE] [--offline | --doh URL] FILE|- [FILE...]
       todoku analyze --batch [--json] [--lang en|ja] FILE|DIR|- [...]

Analyse an email header block, a whole .eml or an Outlook .msg (FILE, or -
for standard input).

With --batch, several files, a directory or a mailbox (mbox: Thunderbird,
Google Takeout), print one row per message (date, From, Subject, verdict,
the top finding, the sending address) and then a summary by sending domain
and address. A directory gives every .eml, .msg and .mbox file under it
(sorted by name, subdirectories included, each directory read once even
through symbolic links). A mailbox is read as it streams, a few messages
at a time, and the messages are analysed on every core; the rows come out
in input order. A file or message that cannot be read is a row with its
reason (\"problem\"); the others are analysed. A batch makes no DNS queries
(the live checks run for a single message). Without --batch, one file that
holds one message saved with its mbox \"From \" line is that message.
  --batch     many messages: FILE (an mbox, or one .eml/.msg) or DIR.
              With --json, JSON lines on standard output: one object per
              message (index, source, file, message: its number in the
              mailbox from 0, offset: its byte offset there, date, from,
              from_domain, subject, verdict, top_finding, findings,
              sending_ip, problem), then the summary as the last line,
              {\"summary\": {...}}. Without --json, a table and the summary.
              Several files or one mailbox without --batch are a batch too;
              their --json is one document, {\"rows\": [...], \"summary\": {...}}.
  --json      print the Report as JSON
  --lang L    text in English (en, default) or Japanese (ja)
  --tz ZONE   hop times in this zone: local (default: this computer's zone),
              utc, an offset such as +09:00, or a name such as Asia/Tokyo
              (the JSON keeps each server's own stamp)
  --offline   make no DNS queries at all
  --doh URL   DNS-over-HTTPS endpoint for live checks
              (default: https://cloudflare-dns.com/dns-query)

In the text output, control and bidi characters from the message and from
DNS answers are shown as escapes, never sent to the terminal: \\n, \\r, \\t,
else the code point in hex (\\u{1b} for ESC, \\u{202e} for RIGHT-TO-LEFT
OVERRIDE). With --json the values are plain JSON strings: JSON escapes the
C0 controls, DEL, C1 and bidi characters stay as they are.";

const DEFAULT_DOH: &str = "https://cloudflare-dns.com/dns-query";

#[derive(Debug)]
struct Args {
    json: bool,
    /// `--batch`: rows as JSON lines with `--json`, directories walked.
    batch: bool,
    lang: Lang,
    /// The zone the text output shows hop times in (`None`: this
    /// computer's, looked up when the text is written).
    tz: Option<jiff::tz::TimeZone>,
    doh: Option<String>,
    inputs: Vec<String>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    match args.next().as_deref() {
        Some("analyze") => {}
        Some("-h" | "--help") => return Err(String::new()),
        Some(other) => return Err(format!("unknown command {other:?}")),
        None => return Err("missing command".into()),
    }
    let mut json = false;
    let mut batch = false;
    let mut lang = Lang::En;
    let mut tz = None;
    let mut doh = Some(DEFAULT_DOH.to_string());
    let mut inputs = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => json = true,
            "--batch" => batch = true,
            "--lang" => {
                let tag = args.next().ok_or("--lang needs en or ja")?;
                if !matches!(tag.as_str(), "en" | "ja") {
                    return Err(format!("--lang wants en or ja, got {tag:?}"));
                }
                lang = Lang::from_tag(&tag);
            }
            "--tz" => {
                let zone = args
                    .next()
                    .ok_or("--tz needs a zone (local, utc, +09:00, Asia/Tokyo)")?;
                tz = Some(text::zone(&zone)?);
            }
            "--offline" => doh = None,
            "--doh" => {
                let url = args.next().ok_or("--doh needs a URL")?;
                if !(url.starts_with("https://") || url.starts_with("http://")) {
                    return Err(format!("--doh wants an http(s) URL, got {url:?}"));
                }
                doh = Some(url);
            }
            "-h" | "--help" => return Err(String::new()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag:?}")),
            "-" if inputs.iter().any(|i| i == "-") => {
                return Err("standard input (-) given twice".to_string());
            }
            _ => inputs.push(arg),
        }
    }
    if inputs.is_empty() {
        return Err("missing FILE (or - for standard input)".to_string());
    }
    Ok(Args {
        json,
        batch,
        lang,
        tz,
        doh,
        inputs,
    })
}

/// Up to `limit` bytes of `reader`, or `None` when it holds more.
fn read_at_most(reader: impl std::io::Read, limit: usize) -> std::io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    reader.take(cap).read_to_end(&mut buf)?;
    Ok((buf.len() <= limit).then_some(buf))
}

/// The refusal of an input larger than `limit`, whose size is not known
/// (only the limit and one byte more were read).
fn too_large(what: &str, limit: usize, lang: Lang) -> String {
    let mib = limit / (1024 * 1024);
    match lang {
        Lang::En => format!(
            "{what} is more than {mib} MiB ({limit} bytes), the most Todoku analyses; nothing was analysed. Give the header block alone."
        ),
        Lang::Ja => format!(
            "{what}は {mib} MiB（{limit} バイト）を超えています。Todoku が分析できるのはここまでのため、分析していません。ヘッダー部分だけを入力してください。"
        ),
    }
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The rest of an input whose first bytes were read to recognise a
/// mailbox, at most [`MAX_INPUT_BYTES`] and one byte more: a larger
/// input (a huge file, `/dev/zero`, an endless pipe) is refused once that
/// one byte more arrives, without reading the rest of it.
fn read_opened(opened: batch::Opened, lang: Lang) -> Result<Vec<u8>, String> {
    let batch::Opened { name, prefix, rest } = opened;
    let what = match (name.as_str(), lang) {
        ("-", Lang::En) => "standard input".to_string(),
        ("-", Lang::Ja) => "標準入力".to_string(),
        (path, _) => format!("{path:?}"),
    };
    let read = read_at_most(std::io::Cursor::new(prefix).chain(rest), MAX_INPUT_BYTES)
        .map_err(|e| format!("cannot read {what}: {e}"))?;
    read.ok_or_else(|| too_large(&what, MAX_INPUT_BYTES, lang))
}

/// The report of one message, with the live checks unless offline.
fn analyse(args: &Args, bytes: &[u8]) -> Report {
    match &args.doh {
        Some(url) => {
            let resolver = resolver::DohResolver::new(url, todoku_doh::Budget::default());
            pollster::block_on(analyze_live(bytes, now(), &resolver))
        }
        // Offline: the live stage runs against a resolver that asks nothing,
        // so every check says why it is missing.
        None => pollster::block_on(analyze_live(
            bytes,
            now(),
            &todoku_core::auth::dns::NullResolver,
        )),
    }
}

/// The report as `args` asks for it. JSON is written as it is serialised:
/// the JSON of a hostile input (control characters escaped six bytes each)
/// can be many times its size, and is never held whole (issue 19 item 3).
fn write_report(
    report: &Report,
    args: &Args,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    if args.json {
        serde_json::to_writer_pretty(&mut *out, report)?;
        out.write_all(b"\n")
    } else {
        out.write_all(
            text::render_in(
                report,
                args.lang,
                Some(&args.tz.clone().unwrap_or_else(jiff::tz::TimeZone::system)),
            )
            .as_bytes(),
        )
    }
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(msg) => {
            if msg.is_empty() {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            eprintln!("todoku: {msg}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    // --batch, several inputs, a directory, or one input that is a
    // mailbox: a batch.
    if args.batch {
        return run_batch(&args, None);
    }
    let opened = match args.inputs.as_slice() {
        [one] if one != "-" && std::path::Path::new(one).is_dir() => return run_batch(&args, None),
        [one] => match batch::open(one) {
            Ok(opened) => opened,
            Err(msg) => {
                eprintln!("todoku: {msg}");
                return ExitCode::FAILURE;
            }
        },
        _ => return run_batch(&args, None),
    };
    // A file in mbox form is a batch unless it holds one saved message.
    let opened = if opened.is_mbox() {
        match batch::one_message(opened) {
            Ok((true, opened)) => opened,
            Ok((false, opened)) => return run_batch(&args, Some(opened)),
            Err(e) => {
                eprintln!(
                    "todoku: cannot read {:?}: {e}",
                    args.inputs.first().map_or("-", String::as_str)
                );
                return ExitCode::FAILURE;
            }
        }
    } else {
        opened
    };
    let single = read_opened(opened, args.lang).map(|bytes| analyse(&args, &bytes));
    let report = match single {
        Ok(report) => report,
        Err(msg) => {
            eprintln!("todoku: {msg}");
            return ExitCode::FAILURE;
        }
    };
    // A reader that went away (`todoku analyze … | head -1`) ends the run
    // quietly, as for any Unix filter; print! would panic and abort.
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    if let Err(e) = write_report(&report, &args, &mut stdout).and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return ExitCode::SUCCESS;
        }
        eprintln!("todoku: cannot write the report: {e}");
        return ExitCode::FAILURE;
    }
    // A live check that could not be made does not fail the run: the offline
    // analysis is complete and the report says why the check is missing.
    if report.input.problem.is_some() && report.bounce.is_empty() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// A batch: rows and the summary on standard output. Fails only when no
/// message at all could be analysed.
fn run_batch(args: &Args, first: Option<batch::Opened>) -> ExitCode {
    let output = match (args.json, args.batch) {
        (false, _) => batch::Output::Text,
        (true, false) => batch::Output::Document,
        (true, true) => batch::Output::Lines,
    };
    let style = batch::Style {
        output,
        lang: args.lang,
        threads: batch::cores(),
    };
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let result = batch::run(&args.inputs, first, now(), style, &mut stdout)
        .and_then(|counts| stdout.flush().map(|()| counts));
    match result {
        Ok((_, 0)) => ExitCode::FAILURE,
        Ok(_) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("todoku: cannot write the report: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The core's counting allocator, for the memory test below.
#[cfg(test)]
#[path = "../../todoku-core/tests/common/counting.rs"]
mod counting;

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Args, String> {
        parse_args(list.iter().map(|s| s.to_string()))
    }

    #[test]
    fn parses_flags_and_input() {
        let a = args(&["analyze", "--json", "--offline", "x.eml"]).unwrap();
        assert!(a.json);
        assert_eq!(a.doh, None);
        assert_eq!(a.inputs, ["x.eml"]);
        let a = args(&["analyze", "--doh", "http://127.0.0.1:8053/dns-query", "-"]).unwrap();
        assert_eq!(a.doh.as_deref(), Some("http://127.0.0.1:8053/dns-query"));
        assert_eq!(a.inputs, ["-"]);
        assert_eq!(
            args(&["analyze", "y"]).unwrap().doh.as_deref(),
            Some(DEFAULT_DOH)
        );
    }

    /// Regression (issue 19 item 3): the JSON was built as one string
    /// before it was printed; for a header of control characters (each
    /// escaped as six bytes, in two fields of its hop) that string was 12
    /// times the input.
    #[test]
    fn the_json_of_a_hostile_input_is_written_without_holding_it_whole() {
        let mut input = b"Received: from a by b with ESMTP id ".to_vec();
        input.resize(input.len() + (256 << 10), 1);
        input
            .extend_from_slice(b"; Mon, 23 Nov 2026 10:00:00 +0000\r\nFrom: a@todoku.test\r\n\r\n");
        let report = todoku_core::analyze(&input, 0);
        let json = args(&["analyze", "--json", "x"]).unwrap();
        let mut written = Vec::new();
        write_report(&report, &json, &mut written).unwrap();
        assert!(written.len() > 5 * input.len(), "{}", written.len());
        let _serial = counting::serial();
        let (result, usage) =
            counting::measure(|| write_report(&report, &json, &mut std::io::sink()));
        result.unwrap();
        assert!(
            usage.peak < input.len() / 4,
            "writing held {} bytes for a {}-byte input",
            usage.peak,
            input.len()
        );
    }

    #[test]
    fn usage_errors_quote_the_bad_argument() {
        assert!(args(&["analyse", "x"]).unwrap_err().contains("\"analyse\""));
        assert!(
            args(&["analyze", "--jsn", "x"])
                .unwrap_err()
                .contains("\"--jsn\"")
        );
        assert!(
            args(&["analyze", "-", "a", "-"])
                .unwrap_err()
                .contains("(-) given twice")
        );
        assert!(args(&["analyze"]).unwrap_err().contains("missing FILE"));
        assert!(
            args(&["analyze", "--doh", "ftp://x", "a"])
                .unwrap_err()
                .contains("ftp://x")
        );
    }

    /// An mbox of `n` list messages (about 1 KB each).
    fn mbox(n: usize) -> Vec<u8> {
        let mut out = Vec::new();
        for i in 0..n {
            out.extend_from_slice(
                format!(
                    "From - Mon Nov 23 10:00:00 2026\nReceived: from mail.list.test (mail.list.test [192.0.2.{}]) by mx.example.net with ESMTPS id {i}; Mon, 23 Nov 2026 10:00:05 +0000\nAuthentication-Results: mx.example.net; spf=pass smtp.mailfrom=list.test; dkim=pass header.d=list.test; dmarc=pass header.from=list.test\nFrom: List <news@list.test>\nSubject: Issue {i}\nDate: Mon, 23 Nov 2026 10:00:00 +0000\nMessage-ID: <{i}@list.test>\n\n{}\n\n",
                    i % 200,
                    "body text ".repeat(60)
                )
                .as_bytes(),
            );
        }
        out
    }

    /// Peak heap while a batch of the mailbox `file` is written as JSON
    /// lines by four workers.
    fn batch_peak(file: Vec<u8>) -> usize {
        let split = batch::CHUNK.min(file.len());
        let mut prefix = file;
        let rest = prefix.split_off(split);
        let opened = batch::Opened {
            name: "inbox.mbox".to_string(),
            prefix,
            rest: Box::new(std::io::Cursor::new(rest)),
        };
        let style = batch::Style {
            output: batch::Output::Lines,
            lang: Lang::En,
            threads: 4,
        };
        let paths = ["inbox.mbox".to_string()];
        let (result, usage) =
            counting::measure(|| batch::run(&paths, Some(opened), 0, style, &mut std::io::sink()));
        let (rows, analysed) = result.unwrap();
        assert_eq!(rows, analysed);
        usage.peak
    }

    /// Issue 17: a mailbox is streamed, a few messages at a time between
    /// the reader and four workers; the peak heap does not grow with the
    /// number of messages (4x the messages, under 1.5x the peak) and stays
    /// far below the file's size (the 2 GB mailbox of the issue, proved by
    /// the ratio; scripts/bench.sh runs a real one with TODOKU_BENCH_BIG=1).
    #[test]
    fn a_mailbox_is_analysed_in_memory_independent_of_its_size() {
        let _serial = counting::serial();
        let small = mbox(1000);
        let large = mbox(4000);
        let large_len = large.len();
        let (small_peak, large_peak) = (batch_peak(small), batch_peak(large));
        assert!(
            large_peak * 2 < small_peak * 3,
            "peak {small_peak} for 1000 messages, {large_peak} for 4000"
        );
        assert!(
            large_peak < large_len / 8,
            "{large_peak} for {large_len} bytes"
        );
    }

    /// The limit itself is read whole; one byte more is refused (issue 19 item 4).
    #[test]
    fn read_at_most_takes_the_limit_and_refuses_one_byte_more() {
        let ten = [7u8; 10];
        assert_eq!(read_at_most(&ten[..], 10).unwrap(), Some(ten.to_vec()));
        assert_eq!(read_at_most(&ten[..], 9).unwrap(), None);
        assert_eq!(read_at_most(&ten[..0], 0).unwrap(), Some(Vec::new()));
        // An endless reader ends after limit + 1 bytes.
        assert_eq!(read_at_most(std::io::repeat(0), 1000).unwrap(), None);
    }
}
