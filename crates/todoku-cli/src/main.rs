//! `todoku analyze [--json] [--offline | --doh URL] FILE|-`

use std::io::Read as _;
use std::io::Write as _;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use todoku_core::wording::Lang;
use todoku_core::{MAX_INPUT_BYTES, Report, analyze_live};

mod resolver;
mod text;

const USAGE: &str = "\
usage: todoku analyze [--json] [--lang en|ja] [--offline | --doh URL] FILE|-

Analyse an email header block or a whole .eml (FILE, or - for standard input).
  --json      print the Report as JSON
  --lang L    text in English (en, default) or Japanese (ja)
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
    lang: Lang,
    doh: Option<String>,
    input: String,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    match args.next().as_deref() {
        Some("analyze") => {}
        Some("-h" | "--help") => return Err(String::new()),
        Some(other) => return Err(format!("unknown command {other:?}")),
        None => return Err("missing command".into()),
    }
    let mut json = false;
    let mut lang = Lang::En;
    let mut doh = Some(DEFAULT_DOH.to_string());
    let mut input = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => json = true,
            "--lang" => {
                let tag = args.next().ok_or("--lang needs en or ja")?;
                if !matches!(tag.as_str(), "en" | "ja") {
                    return Err(format!("--lang wants en or ja, got {tag:?}"));
                }
                lang = Lang::from_tag(&tag);
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
            _ if input.is_some() => return Err(format!("more than one input: {arg:?}")),
            _ => input = Some(arg),
        }
    }
    let input = input.ok_or("missing FILE (or - for standard input)")?;
    Ok(Args {
        json,
        lang,
        doh,
        input,
    })
}

/// Reads the input, at most [`MAX_INPUT_BYTES`] and one byte more: a larger
/// input (a huge file, `/dev/zero`, an endless pipe) is refused once that
/// one byte more arrives, without reading the rest of it.
fn read_input(path: &str, lang: Lang) -> Result<Vec<u8>, String> {
    let (what, read) = if path == "-" {
        let what = match lang {
            Lang::En => "standard input".to_string(),
            Lang::Ja => "標準入力".to_string(),
        };
        let read = read_at_most(std::io::stdin().lock(), MAX_INPUT_BYTES);
        (
            what,
            read.map_err(|e| format!("cannot read standard input: {e}"))?,
        )
    } else {
        let read = std::fs::File::open(path)
            .and_then(|file| read_at_most(file, MAX_INPUT_BYTES))
            .map_err(|e| format!("cannot read {path:?}: {e}"))?;
        (format!("{path:?}"), read)
    };
    match read {
        Some(bytes) => Ok(bytes),
        None => Err(too_large(&what, MAX_INPUT_BYTES, lang)),
    }
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

fn run(args: &Args) -> Result<Report, String> {
    let bytes = read_input(&args.input, args.lang)?;
    let report = match &args.doh {
        Some(url) => {
            let resolver = resolver::DohResolver::new(url, todoku_doh::Budget::default());
            pollster::block_on(analyze_live(&bytes, now(), &resolver))
        }
        // Offline: the live stage runs against a resolver that asks nothing,
        // so every check says why it is missing.
        None => pollster::block_on(analyze_live(
            &bytes,
            now(),
            &todoku_core::auth::dns::NullResolver,
        )),
    };
    Ok(report)
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
        out.write_all(text::render(report, args.lang).as_bytes())
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
    let report = match run(&args) {
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
        assert_eq!(a.input, "x.eml");
        let a = args(&["analyze", "--doh", "http://127.0.0.1:8053/dns-query", "-"]).unwrap();
        assert_eq!(a.doh.as_deref(), Some("http://127.0.0.1:8053/dns-query"));
        assert_eq!(a.input, "-");
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
        assert!(args(&["analyze", "a", "b"]).unwrap_err().contains("\"b\""));
        assert!(args(&["analyze"]).unwrap_err().contains("missing FILE"));
        assert!(
            args(&["analyze", "--doh", "ftp://x", "a"])
                .unwrap_err()
                .contains("ftp://x")
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
