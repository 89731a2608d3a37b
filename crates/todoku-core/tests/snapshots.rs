//! Snapshots of the report for every message in ../shared/corpora (and the
//! fixtures), each analysed with LF and with CRLF line ends.
//!
//! - LF and CRLF must give the same report (spans aside): a real check.
//! - A compact digest per message (summary, hops, recorded results, finding
//!   ids) is compared with tests/snapshots/corpus.txt: a regression guard,
//!   reviewed when it changes. Regenerate after an intended change with
//!   `TODOKU_BLESS=1 cargo test -p todoku-core --test snapshots` and read the diff.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

mod common;

use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::Value;
use todoku_core::{Report, analyze};

const NOW: i64 = 1_795_500_000;

fn files() -> Vec<(String, PathBuf)> {
    let root = common::corpora();
    common::corpus_messages()
        .into_iter()
        .map(|p| (p.strip_prefix(&root).unwrap().display().to_string(), p))
        .collect()
}

/// The report without positions (spans, raw text), for LF/CRLF comparison.
fn positionless(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for key in [
                "span",
                "evidence",
                "raw",
                "offset",
                "results_span",
                "bytes",
                "header_block",
                // The whole-input stage's spans (the analysed message, the
                // outer header block) are positions too.
                "analysed",
                "outer_header_block",
            ] {
                map.remove(key);
            }
            if let Some(Value::Object(sig)) = map.get_mut("signature") {
                sig.remove("span");
            }
            map.values_mut().for_each(positionless);
        }
        Value::Array(items) => items.iter_mut().for_each(positionless),
        Value::String(s) => *s = s.replace("\r\n", "\n"),
        _ => {}
    }
}

fn digest(report: &Report) -> String {
    let mut out = String::new();
    let s = &report.summary;
    let _ = writeln!(out, "  subject: {:?}", s.subject);
    let _ = writeln!(out, "  from: {:?} {:?}", s.from_name, s.from);
    for h in &report.hops {
        let _ = writeln!(
            out,
            "  hop {} {:?}{}: helo={:?} ip={:?} rdns={:?} by={:?} with={:?} at={:?} delay={:?}",
            h.index,
            h.kind,
            if h.internal { " internal" } else { "" },
            h.helo,
            h.from_ip,
            h.from_rdns,
            h.by_host,
            h.protocol,
            h.timestamp,
            h.delay_seconds
        );
    }
    if let Some(b) = &report.trust_boundary {
        let _ = writeln!(out, "  boundary: hop {} {:?}", b.hop, b.ip);
    }
    let r = &report.auth.recorded;
    let results: Vec<String> = r
        .spf
        .iter()
        .chain(&r.dkim)
        .chain(&r.dmarc)
        .chain(&r.arc)
        .map(|m| format!("{}={}", m.method, m.result))
        .collect();
    if !results.is_empty() {
        let _ = writeln!(
            out,
            "  recorded by {:?}: {}",
            r.authserv_id,
            results.join(" ")
        );
    }
    let ids: Vec<&str> = report.findings.iter().map(|f| f.id).collect();
    let _ = writeln!(out, "  findings: {}", ids.join(" "));
    out
}

fn crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 30);
    let mut prev = 0u8;
    for &b in bytes {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    out
}

fn lf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut it = bytes.iter().peekable();
    while let Some(&b) = it.next() {
        if b == b'\r' && it.peek() == Some(&&b'\n') {
            continue;
        }
        out.push(b);
    }
    out
}

#[test]
fn corpus_snapshots_lf_and_crlf() {
    if common::corpora_root("snapshots").is_none() {
        return;
    }
    let files = files();
    assert!(!files.is_empty(), "the corpora hold messages");
    let mut snapshot = String::new();
    let mut mismatched = Vec::new();
    for (name, path) in &files {
        let bytes = std::fs::read(path).unwrap();
        let (a, b) = (analyze(&lf(&bytes), NOW), analyze(&crlf(&bytes), NOW));
        let (mut ja, mut jb) = (
            serde_json::to_value(&a).unwrap(),
            serde_json::to_value(&b).unwrap(),
        );
        positionless(&mut ja);
        positionless(&mut jb);
        if ja != jb {
            mismatched.push(name.clone());
        }
        let _ = writeln!(snapshot, "{name}\n{}", digest(&a));
    }
    assert!(
        mismatched.is_empty(),
        "LF and CRLF reports differ for: {mismatched:?}"
    );
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/snapshots/corpus.txt");
    if std::env::var_os("TODOKU_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &snapshot).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if have != snapshot {
        let first = have
            .lines()
            .zip(snapshot.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(0);
        let new = path.with_extension("txt.new");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&new, &snapshot).unwrap();
        panic!(
            "corpus snapshot changed at line {} (new output in {}; if intended: TODOKU_BLESS=1 cargo test -p todoku-core --test snapshots):\n  was: {:?}\n  now: {:?}",
            first + 1,
            new.display(),
            have.lines().nth(first),
            snapshot.lines().nth(first)
        );
    }
    println!(
        "snapshots: {} corpus messages, LF and CRLF identical",
        files.len()
    );
}
