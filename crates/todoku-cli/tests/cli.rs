//! The `todoku` binary as a user runs it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use simple_dns::rdata::{RData, TXT};
use simple_dns::{CLASS, Name, Packet, RCODE, ResourceRecord};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/postfix-to-gmail.txt"
);

fn todoku(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_todoku"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    let stdin = stdin.unwrap_or_default().to_vec();
    // Written from another thread: a batch writes rows while it still
    // reads, and would wait on a full stdout pipe nobody reads yet.
    let feeder = std::thread::spawn(move || {
        let _ = pipe.write_all(&stdin);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn prints_the_hop_table() {
    let out = todoku(&["analyze", "--offline", FIXTURE], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Subject: 月例会議のご案内"), "{stdout}");
    let hop_lines: Vec<&str> = stdout
        .lines()
        .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert_eq!(hop_lines.len(), 4, "{stdout}");
    assert!(hop_lines[0].contains("DESKTOP-7QK3 [198.51.100.77]"));
    assert!(hop_lines[1].contains("mx.google.com") && hop_lines[1].contains("+3 s"));
    assert!(stdout.contains("Total transit time: 4 s"), "{stdout}");
    assert!(stdout.contains("Not checked: offline mode"), "{stdout}");
}

#[test]
fn json_report_from_stdin() {
    let input = std::fs::read(FIXTURE).unwrap();
    let out = todoku(&["analyze", "--json", "--offline", "-"], Some(&input));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["subject"], "月例会議のご案内");
    assert_eq!(json["hops"].as_array().unwrap().len(), 4);
    assert_eq!(json["hops"][0]["helo"], "DESKTOP-7QK3");
    let live = &json["auth"]["live"];
    assert_eq!(live["dmarc"]["result"], "unavailable");
    assert_eq!(live["dmarc"]["lookup"]["failure"]["kind"], "offline");
    assert_eq!(live["spf"]["result"], "unavailable", "{live}");
    assert_eq!(live["iprev"]["result"], "unavailable");
}

#[test]
fn missing_file_is_a_clear_error() {
    let out = todoku(&["analyze", "--offline", "/nonexistent/message.eml"], None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("\"/nonexistent/message.eml\""), "{stderr}");
}

#[test]
fn usage_errors_exit_2() {
    let out = todoku(&["analyse", FIXTURE], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("usage: todoku analyze"));
}

#[test]
fn input_without_headers_fails_with_a_reason() {
    let out = todoku(&["analyze", "--offline", "-"], Some(b"just some words"));
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("No email header was found."), "{stdout}");
    assert!(!stdout.contains("NoHeaders"), "{stdout}");
}

/// Regression (issue 19, item 9): garbage with an IPv4 address in it was
/// read as a rejection (`[10.4.2.17]` as status 4.2.17) and the run exited
/// 0; it has no header block and nothing in it is a reply, so it is refused.
#[test]
fn garbage_with_an_ip_address_is_refused() {
    let out = todoku(
        &["analyze", "--offline", "-"],
        Some(b"zz connect to [10.4.2.17]: Connection timed out qq\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("No email header was found."), "{stdout}");
    assert!(!stdout.contains("4.2.17 "), "{stdout}");
}

/// Regression (issue 19, item 13): input problems were printed as Rust
/// Debug text, in English even with --lang ja.
#[test]
fn input_problems_are_sentences_in_the_chosen_language() {
    let out = todoku(
        &["analyze", "--offline", "--lang", "ja", "-"],
        Some(b"just some words"),
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("メールヘッダーが見つかりませんでした。"),
        "{stdout}"
    );
    let out = todoku(
        &["analyze", "--offline", "--lang", "ja", "-"],
        Some(b" \n\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("分析するものがありません"), "{stdout}");
    assert!(!stdout.contains("Empty"), "{stdout}");
}

/// Against the local DNS environment (tests/dns) when the test command runs it.
#[test]
fn live_dmarc_over_native_doh() {
    let Ok(doh) = std::env::var("TODOKU_TEST_DOH") else {
        eprintln!(
            "SKIPPED: TODOKU_TEST_DOH is not set (scripts/test.sh starts the local DNS and sets it)"
        );
        return;
    };
    let out = todoku(&["analyze", "--json", "--doh", &doh, FIXTURE], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let live = &json["auth"]["live"];
    let dmarc = &live["dmarc"];
    assert_eq!(dmarc["lookup"]["result"], "found", "{dmarc}");
    assert_eq!(dmarc["lookup"]["policy"], "quarantine");
    assert_eq!(dmarc["evidence"]["name"], "_dmarc.todoku.test");
    assert_eq!(dmarc["evidence"]["provider"], doh.as_str());
    // The zone lists 192.0.2.25 in todoku.test's SPF record and mail's A
    // record, with a PTR back: SPF passes for both identities, aligned, so
    // DMARC passes; iprev is forward-confirmed.
    assert_eq!(live["spf"]["result"], "pass", "{live}");
    assert_eq!(live["spf"]["helo_check"]["result"], "pass");
    assert_eq!(dmarc["result"], "pass");
    assert_eq!(dmarc["evaluation"]["applied_policy"], "quarantine");
    assert_eq!(live["iprev"]["result"], "pass", "{}", live["iprev"]);
    assert_eq!(live["iprev"]["confirmed_name"], "mail.todoku.test");
    // As in the core's tests/live.rs: every question is asked in one round.
    assert_eq!(live["rounds"], 1);
    let spf_then_now = live["comparison"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["mechanism"] == "spf")
        .unwrap();
    assert_eq!(spf_then_now["class"], "same");

    let input = std::fs::read_to_string(FIXTURE)
        .unwrap()
        .replace("<taro@todoku.test>", "<taro@servfail.todoku.test>");
    let out = todoku(
        &["analyze", "--json", "--doh", &doh, "-"],
        Some(input.as_bytes()),
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["auth"]["live"]["dmarc"]["result"], "temperror");
}

#[test]
fn a_pasted_gmail_rejection_is_decoded() {
    let bounce = b"550-5.7.26 Unauthenticated email from shop.test is not accepted due to\n550-5.7.26 domain's DMARC policy. Please contact the administrator of\n550 5.7.26 shop.test domain. a1si123 - gsmtp\n";
    let out = todoku(&["analyze", "--offline", "-"], Some(bounce));
    assert!(out.status.success(), "a decoded rejection is an answer");
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("Rejected with 5.7.26: Gmail"),
        "{stdout}"
    );
    assert!(stdout.contains("550 5.7.26 (refused)"), "{stdout}");
    assert!(stdout.contains("finding: dmarc.fail"), "{stdout}");
    let json = todoku(&["analyze", "--json", "--offline", "-"], Some(bounce));
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["bounce"][0]["enhanced"], "5.7.26");
    assert_eq!(json["verdict"]["because"][0], "dmarc.fail");
}

#[test]
fn japanese_text_output() {
    // The fixture is clean (its PC name is on an authenticated submission).
    let out = todoku(&["analyze", "--offline", "--lang", "ja", FIXTURE], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("ヘッダーに問題は見つかりませんでした。"),
        "{stdout}"
    );
    assert!(stdout.contains("Gmail：すべての送信者"), "{stdout}");
    // A PC name greeting the receiver's MX is named, in Japanese.
    let direct = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/scenarios/pc-helo-direct-to-mx.txt"
    );
    let out = todoku(&["analyze", "--offline", "--lang", "ja", direct], None);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("（理由："), "{stdout}");
    assert!(
        stdout.contains("HELO/EHLO でパソコン名を名乗っています"),
        "{stdout}"
    );
    let bad = todoku(&["analyze", "--lang", "fr", FIXTURE], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("\"fr\""));
}

/// Regression (issue 19, item 12): `todoku analyze … | head -1` aborted
/// when the reader went away; a closed pipe ends the run quietly.
#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    // A long report (several hundred KB of JSON), more than a pipe holds.
    let mut input = String::new();
    for i in 0..3000 {
        input.push_str(&format!(
            "Received: from r{i}.todoku.test (r{i}.todoku.test [192.0.2.{}]) by r{}.todoku.test with ESMTPS id Q{i}; Mon, 23 Nov 2026 10:00:00 +0000\r\n",
            i % 250 + 1,
            i + 1
        ));
    }
    input.push_str("From: a@todoku.test\r\nSubject: s\r\n\r\n");
    let path = std::env::temp_dir().join(format!("todoku-pipe-{}.txt", std::process::id()));
    std::fs::write(&path, &input).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_todoku"))
        .args(["analyze", "--json", "--offline"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before reading anything.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    std::fs::remove_file(&path).ok();
    assert!(
        out.status.success(),
        "{:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A DoH server on loopback (`http://127.0.0.1:PORT/dns-query`) answering
/// each question with `answer(question name, type code, query bytes)`:
/// an HTTP status, extra headers and a body.
fn fake_doh(
    answer: impl Fn(&str, u16, &[u8]) -> (u16, Vec<(String, String)>, Vec<u8>) + Send + 'static,
) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://127.0.0.1:{}/dns-query",
        listener.local_addr().unwrap().port()
    );
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            let mut line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let query = request_line
                .split(' ')
                .nth(1)
                .and_then(|t| t.split_once("dns="))
                .and_then(|(_, b64)| URL_SAFE_NO_PAD.decode(b64).ok())
                .unwrap_or_default();
            let Ok(packet) = Packet::parse(&query) else {
                continue;
            };
            let Some(q) = packet.questions.first() else {
                continue;
            };
            let name = q.qname.to_string();
            let qtype = u16::from(q.qtype);
            let (status, headers, body) = answer(&name, qtype, &query);
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            stream.write_all(head.as_bytes()).ok();
            stream.write_all(&body).ok();
        }
    });
    url
}

/// A 200 `application/dns-message` reply to `query`: its question echoed,
/// ID 0, these TXT records (owner, text), NXDOMAIN when there are none.
fn dns_reply(query: &[u8], txt: &[(&str, &str)]) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let asked = Packet::parse(query).unwrap();
    let mut p = Packet::new_reply(0);
    p.questions = asked
        .questions
        .iter()
        .map(|q| q.clone().into_owned())
        .collect();
    for (owner, text) in txt {
        p.answers.push(ResourceRecord::new(
            Name::new_unchecked(owner).into_owned(),
            CLASS::IN,
            300,
            RData::TXT(TXT::new().with_string(text).unwrap().into_owned()),
        ));
    }
    if txt.is_empty() {
        *p.rcode_mut() = RCODE::NameError;
    }
    let headers = vec![(
        "Content-Type".to_string(),
        "application/dns-message".to_string(),
    )];
    (200, headers, p.build_bytes_vec().unwrap())
}

/// The fixture sent from example.com (MAIL FROM, From, HELO mail.example.com)
/// through 192.0.2.25.
fn example_com_message() -> Vec<u8> {
    std::fs::read_to_string(FIXTURE)
        .unwrap()
        .replace("todoku.test", "example.com")
        .into_bytes()
}

/// The permissive SPF record for the fixture's sending address.
const SPF_PASS: &str = "v=spf1 ip4:192.0.2.25 -all";

/// Regression (issue 19, item 7): the resolver answered example.com's TXT
/// question with a record owned by another name, and it was taken as
/// example.com's SPF record (spf=pass).
#[test]
fn an_spf_record_owned_by_another_name_does_not_pass() {
    let doh = fake_doh(|name, qtype, query| match (name, qtype) {
        ("example.com", 16) => dns_reply(query, &[("elsewhere.example", SPF_PASS)]),
        _ => dns_reply(query, &[]),
    });
    let out = todoku(
        &["analyze", "--json", "--doh", &doh, "-"],
        Some(&example_com_message()),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let spf = &json["auth"]["live"]["spf"];
    assert_ne!(spf["result"], "pass", "{spf}");
    assert_eq!(spf["result"], "none", "no SPF record at example.com: {spf}");

    // The same record owned by example.com does pass: the server works.
    let doh = fake_doh(|name, qtype, query| match (name, qtype) {
        ("example.com", 16) => dns_reply(query, &[("example.com", SPF_PASS)]),
        _ => dns_reply(query, &[]),
    });
    let out = todoku(
        &["analyze", "--json", "--doh", &doh, "-"],
        Some(&example_com_message()),
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["auth"]["live"]["spf"]["result"], "pass");
}

/// Regression (issue 19, item 8): the chosen resolver answered 301 to
/// another server, the redirect was followed and that server's answer used
/// (spf=pass) while the evidence named the chosen resolver.
#[test]
fn a_resolver_redirect_is_not_followed() {
    let elsewhere = fake_doh(|name, qtype, query| match (name, qtype) {
        ("example.com", 16) => dns_reply(query, &[("example.com", SPF_PASS)]),
        _ => dns_reply(query, &[]),
    });
    let doh = fake_doh(move |_, _, query| {
        let location = format!("{elsewhere}?dns={}", URL_SAFE_NO_PAD.encode(query));
        (301, vec![("Location".to_string(), location)], Vec::new())
    });
    let out = todoku(
        &["analyze", "--json", "--doh", &doh, "-"],
        Some(&example_com_message()),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let spf = &json["auth"]["live"]["spf"];
    assert_ne!(spf["result"], "pass", "{spf}");
    assert_eq!(spf["result"], "unavailable", "{spf}");
    // The evidence names the resolver chosen, and why it gave no answer.
    let asked = &spf["evidence"][0];
    assert_eq!(asked["provider"], doh.as_str(), "{asked}");
    assert_eq!(asked["outcome"]["kind"], "network", "{asked}");
    let detail = asked["outcome"]["detail"].as_str().unwrap();
    assert!(
        detail.contains("301") && detail.contains("redirects are not followed"),
        "{detail}"
    );
}

/// The CLI's input limit (the core's `MAX_INPUT_BYTES`, 64 MiB).
const LIMIT: usize = 64 * 1024 * 1024;

/// Runs `todoku ARGS` under a 1 GiB address-space limit (so the old code,
/// which read everything first, dies of it instead of eating the machine),
/// feeding standard input from `feed` on another thread, and kills it if
/// it has not ended after two minutes (a hang guard, not a speed check).
/// Returns the output and how many bytes `feed` got into the pipe.
#[cfg(unix)]
fn todoku_bounded(
    args: &[&str],
    feed: impl FnOnce(std::process::ChildStdin) -> u64 + Send + 'static,
) -> (Output, u64) {
    use std::io::Read as _;
    use std::time::{Duration, Instant};
    let mut child = Command::new("/bin/sh")
        .arg("-c")
        .arg("ulimit -v 1048576 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_todoku"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || feed(stdin));
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        stdout.read_to_end(&mut buf).ok();
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        stderr.read_to_end(&mut buf).ok();
        buf
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            child.wait().ok();
            panic!("todoku {args:?} still reading after two minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let fed = writer.join().unwrap();
    let output = Output {
        status,
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    };
    (output, fed)
}

/// Regression (issue 19, item 4): the CLI read all of its input before the
/// size check, so `todoku analyze /dev/zero` ran until memory was gone.
/// It reads at most the limit and one byte more, then refuses.
#[cfg(unix)]
#[test]
fn an_endless_file_is_refused_after_the_limit() {
    let (out, _) = todoku_bounded(&["analyze", "--offline", "/dev/zero"], |_| 0);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{:?}: {stderr}", out.status);
    assert!(stderr.contains("\"/dev/zero\""), "{stderr}");
    assert!(
        stderr.contains(&format!("more than 64 MiB ({LIMIT} bytes)")),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
}

/// Regression (issue 19, item 4): 1 GiB on standard input took 1 GB of
/// memory. A writer that would send 2 GiB gets little more than the limit
/// into the pipe before the CLI refuses and goes away.
#[cfg(unix)]
#[test]
fn an_oversized_standard_input_is_refused_without_reading_it_all() {
    let (out, fed) = todoku_bounded(
        &["analyze", "--offline", "--lang", "ja", "-"],
        |mut pipe| {
            let chunk = vec![b'a'; 1024 * 1024];
            let mut fed = 0u64;
            for _ in 0..2048 {
                if pipe.write_all(&chunk).is_err() {
                    break;
                }
                fed += chunk.len() as u64;
            }
            fed
        },
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{:?}: {stderr}", out.status);
    assert!(stderr.contains("標準入力"), "{stderr}");
    assert!(
        stderr.contains(&format!("64 MiB（{LIMIT} バイト）を超えて")),
        "{stderr}"
    );
    // Past the limit by at most what a pipe and a chunk hold, far from all of it.
    assert!(fed >= LIMIT as u64, "fed only {fed}");
    assert!(fed < 2 * LIMIT as u64, "fed {fed} bytes");
}

/// Characters that must never reach the terminal raw: controls other than
/// the layout's line feeds, and the bidi controls.
fn raw_controls(out: &str) -> Vec<char> {
    out.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(
                    c,
                    '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
                )
        })
        .collect()
}

/// Regression (issue 19, item 11): text output passed ESC, OSC 52 (which
/// writes the clipboard), BEL and bidi controls from the headers, decoded
/// words included, straight to the terminal.
#[test]
fn header_text_reaches_the_terminal_escaped() {
    // "\x1b[31m\u{202e}txt.exe\n\x07" in an RFC 2047 word.
    let word = "=?UTF-8?B?G1szMW3igK50eHQuZXhlCgc=?=";
    let input = format!(
        "Received: from a.todoku.test (a.todoku.test [192.0.2.1]) by b.todoku.test with ESMTPS id x; Mon, 23 Nov 2026 10:00:00 +0000\r\n\
         From: \"\u{202e}gpj.exe\u{2066} Bank\u{2069}\" <a@todoku.test>\r\n\
         Subject: hi \u{1b}]52;c;ZXZpbA==\u{7} there {word}\r\n\
         DKIM-Signature: v=1; a=rsa-sha256; d=todoku.test\u{1b}]0;t\u{7}; s=s1; h=from; bh=AA==; b=AA==\r\n\r\n"
    );
    for lang in ["en", "ja"] {
        let out = todoku(
            &["analyze", "--offline", "--lang", lang, "-"],
            Some(input.as_bytes()),
        );
        let stdout = text(&out.stdout);
        assert_eq!(raw_controls(&stdout), Vec::<char>::new(), "{stdout}");
        let (subject, from) = match lang {
            "en" => ("Subject: ", "From:    "),
            _ => ("件名：   ", "差出人： "),
        };
        assert!(
            stdout.contains(&format!(
                "{subject}hi \\u{{1b}}]52;c;ZXZpbA==\\u{{7}} there \\u{{1b}}[31m\\u{{202e}}txt.exe\\n\\u{{7}}"
            )),
            "{stdout}"
        );
        assert!(
            stdout.contains(&format!(
                "{from}\\u{{202e}}gpj.exe\\u{{2066}} Bank\\u{{2069}} <a@todoku.test>"
            )),
            "{stdout}"
        );
        // The signature's d= quoted in findings and the live section.
        assert!(stdout.contains("todoku.test\\u{1b}]0"), "{stdout}");
    }
    // JSON stays JSON: the same values, escaped the JSON way.
    let out = todoku(
        &["analyze", "--json", "--offline", "-"],
        Some(input.as_bytes()),
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["summary"]["subject"],
        "hi \u{1b}]52;c;ZXZpbA==\u{7} there \u{1b}[31m\u{202e}txt.exe\n\u{7}"
    );
}

// ---- Outlook .msg, mailboxes and batches (issue 17) ----------------------

fn corpus(rel: &str) -> Option<std::path::PathBuf> {
    let root = match std::env::var_os("TODOKU_CORPORA") {
        Some(dir) if !dir.is_empty() => std::path::PathBuf::from(dir),
        _ => std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora"),
    };
    let path = root.join(rel);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var("CI").map_or(true, |v| v.is_empty()),
        "{rel} missing under CI"
    );
    eprintln!("SKIPPED: {rel} not found");
    None
}

/// A .msg is recognised by its bytes (here through standard input, with
/// no file name at all) and its transport headers analysed.
#[test]
fn an_outlook_msg_is_analysed_from_its_transport_headers() {
    let Some(path) = corpus("msg/marirs-test_email_4.msg") else {
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    let out = todoku(&["analyze", "--offline", "-"], Some(&bytes));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("An Outlook .msg file"), "{stdout}");
    assert!(stdout.contains("Subject: test"), "{stdout}");
    assert!(stdout.contains("spf.pass"), "{stdout}");
    // Without transport headers: the reason, in the chosen language, and a failure.
    let draft = corpus("msg/hiraoka-Hello_CJK.msg").unwrap();
    let out = todoku(
        &[
            "analyze",
            "--offline",
            "--lang",
            "ja",
            draft.to_str().unwrap(),
        ],
        None,
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stdout).contains("下書き"),
        "{}",
        text(&out.stdout)
    );
}

const MBOX: &str = "From - Mon Nov 23 10:00:00 2026\r\nReceived: from mail.example.co.jp (mail.example.co.jp [203.0.113.45]) by mx.receiver.example with ESMTPS id 1; Mon, 23 Nov 2026 10:00:05 +0000\r\nAuthentication-Results: mx.receiver.example; spf=softfail smtp.mailfrom=news@example.co.jp; dkim=none; dmarc=none header.from=example.co.jp\r\nFrom: news@example.co.jp\r\nSubject: one \u{1b}[31m\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@example.co.jp>\r\n\r\nbody\r\n\r\nFrom - Mon Nov 23 11:00:00 2026\r\nnot a header\r\n\r\n";

/// Several inputs: an mbox (two messages, one of them without headers), a
/// .msg, and a file that does not exist. Every message is a row, the
/// missing file a row with its reason, and the summary groups by domain;
/// the terminal never receives the Subject's ESC.
#[test]
fn several_files_and_an_mbox_give_rows_and_a_summary() {
    let dir = std::env::temp_dir().join(format!("todoku-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mbox = dir.join("inbox.mbox");
    std::fs::write(&mbox, MBOX).unwrap();
    let missing = dir.join("missing.eml");
    let mut args = vec![
        "analyze",
        "--offline",
        mbox.to_str().unwrap(),
        missing.to_str().unwrap(),
    ];
    let msg = corpus("msg/hiraoka-test.msg");
    if let Some(msg) = &msg {
        args.push(msg.to_str().unwrap());
    }
    let out = todoku(&args, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("inbox.mbox #1"), "{stdout}");
    assert!(stdout.contains("inbox.mbox #2"), "{stdout}");
    assert!(stdout.contains("No email header was found"), "{stdout}");
    assert!(stdout.contains("missing.eml"), "{stdout}");
    assert!(stdout.contains("could not be read"), "{stdout}");
    assert!(
        stdout.contains("1 of 1 message from example.co.jp: "),
        "{stdout}"
    );
    assert!(stdout.contains("(sent from 203.0.113.45)"), "{stdout}");
    assert!(!stdout.contains('\u{1b}'), "{stdout}");
    if msg.is_some() {
        assert!(stdout.contains("christoph@freiraum.xyz"), "{stdout}");
    }

    // JSON: rows and summary, one document.
    let mut json_args = args.clone();
    json_args.insert(1, "--json");
    let out = todoku(&json_args, None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3 + usize::from(msg.is_some()));
    assert_eq!(rows[0]["top_finding"]["id"], "spf.softfail");
    assert_eq!(rows[0]["sending_ip"], "203.0.113.45");
    assert_eq!(rows[1]["verdict"], "unknown");
    assert!(
        rows[2]["problem"]
            .as_str()
            .unwrap()
            .contains("could not be read")
    );
    assert_eq!(v["summary"]["messages"], rows.len());
    assert_eq!(v["summary"]["groups"][0]["domain"], "example.co.jp");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A single mailbox on standard input is a batch too.
#[test]
fn an_mbox_on_standard_input_is_split() {
    let out = todoku(
        &["analyze", "--offline", "--json", "-"],
        Some(MBOX.as_bytes()),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rows"].as_array().unwrap().len(), 2);
    assert_eq!(v["rows"][0]["source"], "- #1");
}

/// Regression: a single message saved with its From_ line (mutt, the
/// SpamAssassin corpus' nice-cjk/iso-2022-jp.1) went to the batch table
/// (one row and a summary) instead of its report, in the CLI only.
#[test]
fn one_saved_message_with_a_from_line_gets_its_report() {
    let one = MBOX
        .split("\r\n\r\nFrom - Mon Nov 23 11:00")
        .next()
        .unwrap();
    let one = format!("{one}\r\n");
    let dir = scratch("one-saved");
    let file = dir.join("saved-message");
    std::fs::write(&file, &one).unwrap();
    for (args, input) in [
        (
            vec!["analyze", "--offline", "--json", file.to_str().unwrap()],
            None,
        ),
        (
            vec!["analyze", "--offline", "--json", "-"],
            Some(one.as_bytes()),
        ),
    ] {
        let out = todoku(&args, input);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(v.get("rows").is_none(), "a batch: {v}");
        assert!(
            v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["id"] == "spf.softfail"),
            "{v}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---- todoku analyze --batch (issue 17) -----------------------------------

/// A fresh empty directory for one test.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("todoku-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// JSON lines: every line one JSON object; the rows, then the summary.
fn json_lines(out: &[u8]) -> (Vec<serde_json::Value>, serde_json::Value) {
    let text = std::str::from_utf8(out).unwrap();
    assert!(text.ends_with('\n'), "{text}");
    let mut rows: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let summary = rows.pop().unwrap();
    assert!(rows.iter().all(|r| r.get("summary").is_none()));
    (rows, summary["summary"].clone())
}

/// A list message from `domain` with the receiver's SPF result.
fn list_message(n: usize, domain: &str, ip: &str, spf: &str) -> String {
    format!(
        "Received: from mail.{domain} (mail.{domain} [{ip}]) by mx.receiver.example with ESMTPS id {n}; Mon, 23 Nov 2026 10:00:05 +0000\nAuthentication-Results: mx.receiver.example; spf={spf} smtp.mailfrom=news@{domain}; dkim=none; dmarc=none header.from={domain}\nFrom: News <news@{domain}>\nSubject: Issue {n}\nDate: Mon, 23 Nov 2026 10:00:00 +0000\nMessage-ID: <{n}@{domain}>\n\nbody {n}\n"
    )
}

/// `--batch DIR`: every .eml, .msg and .mbox under it (a .txt is not a
/// message file), sorted by path with subdirectories where they sort, and
/// a symbolic link back up the tree read once (no endless walk). JSON
/// lines: one object per message with its file, then the summary by
/// sending domain and address as the last line.
#[test]
fn batch_dir_walks_eml_msg_and_mbox_files_in_sorted_order() {
    let dir = scratch("batch-dir");
    std::fs::create_dir_all(dir.join("b-sub/deeper")).unwrap();
    std::fs::write(
        dir.join("c.eml"),
        list_message(3, "example.co.jp", "203.0.113.45", "softfail"),
    )
    .unwrap();
    std::fs::write(
        dir.join("A.EML"),
        list_message(1, "example.co.jp", "203.0.113.45", "softfail"),
    )
    .unwrap();
    std::fs::write(
        dir.join("b-sub/deeper/two.mbox"),
        format!(
            "From a@b Mon Nov 23 10:00:00 2026\n{}\nFrom a@b Mon Nov 23 10:00:00 2026\n{}",
            list_message(21, "other.example", "198.51.100.7", "pass"),
            list_message(22, "other.example", "198.51.100.7", "pass"),
        ),
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), "not a message").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&dir, dir.join("b-sub/loop")).unwrap();
    let msg = corpus("msg/marirs-test_email_4.msg");
    if let Some(msg) = &msg {
        std::fs::copy(msg, dir.join("b-sub/outlook.msg")).unwrap();
    }
    let out = todoku(
        &["analyze", "--batch", "--json", dir.to_str().unwrap()],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (rows, summary) = json_lines(&out.stdout);
    let files: Vec<String> = rows
        .iter()
        .map(|r| {
            let file = r["file"].as_str().unwrap();
            file.strip_prefix(dir.to_str().unwrap())
                .unwrap()
                .to_string()
        })
        .collect();
    let mut expected = vec!["/A.EML", "/b-sub/deeper/two.mbox", "/b-sub/deeper/two.mbox"];
    if msg.is_some() {
        expected.push("/b-sub/outlook.msg");
    }
    expected.push("/c.eml");
    assert_eq!(files, expected);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["index"], i);
    }
    assert_eq!(rows[0]["subject"], "Issue 1");
    assert_eq!(rows[0]["from_domain"], "example.co.jp");
    assert_eq!(rows[0]["sending_ip"], "203.0.113.45");
    assert_eq!(rows[0]["top_finding"]["id"], "spf.softfail");
    assert_eq!(rows[0]["message"], serde_json::Value::Null);
    assert_eq!(rows[1]["message"], 0);
    assert_eq!(rows[2]["message"], 1);
    assert_eq!(rows[2]["subject"], "Issue 22");
    if msg.is_some() {
        assert_eq!(rows[3]["subject"], "test");
    }
    assert_eq!(rows.last().unwrap()["subject"], "Issue 3");
    assert_eq!(summary["messages"], rows.len());
    let group = &summary["groups"][0];
    assert_eq!(group["domain"], "example.co.jp");
    assert_eq!(group["top_finding"]["id"], "spf.softfail");
    assert_eq!(group["top_finding"]["ip"], "203.0.113.45");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `--batch MBOX`: a message without a header in the middle is a row with
/// its problem (not dropped, not a stop); the messages around it are
/// intact; each row has its number in the mailbox and the byte offset of
/// its From_ line; an Outlook .msg without transport headers in a
/// directory batch is a row with the reason too.
#[test]
fn batch_mbox_keeps_a_malformed_message_as_a_row_with_its_place() {
    let one = format!(
        "From a@b Mon Nov 23 10:00:00 2026\n{}",
        list_message(1, "example.co.jp", "203.0.113.45", "softfail")
    );
    let two = "From a@b Mon Nov 23 10:01:00 2026\nthis is no header at all\n".to_string();
    let three = format!(
        "From a@b Mon Nov 23 10:02:00 2026\n{}",
        list_message(3, "example.co.jp", "203.0.113.45", "softfail")
    );
    // Messages are separated by an empty line.
    let mbox = format!("{one}\n{two}\n{three}");
    let offsets = [0, one.len() + 1, one.len() + 1 + two.len() + 1];
    let out = todoku(
        &["analyze", "--batch", "--json", "-"],
        Some(mbox.as_bytes()),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (rows, summary) = json_lines(&out.stdout);
    assert_eq!(rows.len(), 3);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["message"], i, "{row}");
        assert_eq!(row["offset"], offsets[i], "{row}");
        assert_eq!(row["file"], "-");
    }
    assert_eq!(rows[0]["subject"], "Issue 1");
    assert_eq!(rows[2]["subject"], "Issue 3");
    assert_eq!(rows[1]["verdict"], "unknown");
    assert!(
        rows[1]["problem"]
            .as_str()
            .unwrap()
            .contains("No email header was found"),
        "{}",
        rows[1]
    );
    assert_eq!(summary["unknown"], 1);
    assert_eq!(summary["messages"], 3);
}

/// Rows come out in input order whatever order the workers finish in: a
/// large message early (slow to analyse) is not overtaken, and two runs
/// give the same bytes.
#[test]
fn batch_rows_keep_input_order_with_many_threads() {
    let mut mbox = String::new();
    for i in 0..300 {
        mbox += "From a@b Mon Nov 23 10:00:00 2026\n";
        let mut m = list_message(i, &format!("d{}.example", i % 7), "192.0.2.1", "pass");
        if i % 50 == 1 {
            // Many Received lines: this one takes far longer than the rest.
            let hop = "Received: from a.example (a.example [192.0.2.9]) by b.example with ESMTP id x; Mon, 23 Nov 2026 09:59:00 +0000\n";
            m = hop.repeat(300) + &m;
        }
        mbox += &m;
        mbox += "\n";
    }
    let run = || {
        todoku(
            &["analyze", "--batch", "--json", "-"],
            Some(mbox.as_bytes()),
        )
    };
    let first = run();
    assert!(first.status.success(), "{}", text(&first.stderr));
    let (rows, _) = json_lines(&first.stdout);
    assert_eq!(rows.len(), 300);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["index"], i);
        assert_eq!(row["message"], i);
        assert_eq!(row["subject"], format!("Issue {i}"));
    }
    assert_eq!(run().stdout, first.stdout);
}

/// `--batch` without --json: the text table with the summary; a
/// Subject's escape sequence and bidi override are shown as escapes,
/// never sent to the terminal.
#[test]
fn batch_text_shows_control_characters_as_escapes() {
    let mbox = format!(
        "From a@b Mon Nov 23 10:00:00 2026\n{}",
        list_message(1, "example.co.jp", "203.0.113.45", "softfail").replace(
            "Subject: Issue 1",
            "Subject: Issue \u{1b}[2J1 \u{202e}gpj.exe"
        )
    );
    let out = todoku(&["analyze", "--batch", "-"], Some(mbox.as_bytes()));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(raw_controls(&stdout).is_empty(), "{stdout:?}");
    assert!(stdout.contains("Issue \\u{1b}[2J1"), "{stdout}");
    assert!(stdout.contains("\\u{202e}gpj.exe"), "{stdout}");
    assert!(
        stdout.contains("1 of 1 message from example.co.jp: "),
        "{stdout}"
    );
}
