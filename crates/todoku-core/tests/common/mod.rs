//! Shared helpers for the corpus-reading tests: loading ../shared/corpora
//! (through one gate, [`corpus_path`], that decides what a test does when it
//! is absent) and tallying agreement with a suite.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;

use todoku_core::auth::dns::{DnsAnswer, DnsRecord, FixtureResolver, Rcode, RecordType};

/// Root of the external corpora: `$TODOKU_CORPORA` when set (an absolute
/// path; point it elsewhere to see what a clone without the corpora does),
/// otherwise `../shared/corpora` beside the repository.
pub(crate) fn corpora() -> PathBuf {
    match std::env::var_os("TODOKU_CORPORA") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora"),
    }
}

/// Whether this run is CI (`CI` set and non-empty; `.ci/run` sets it).
pub(crate) fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty())
}

/// The one place that decides what a test does about a corpus file or
/// folder (`rel`, under ../shared/corpora):
/// - present: its path, and the test runs;
/// - absent and CI set: the test fails (CI always has the corpora, so a
///   missing one is a broken set-up, never a pass);
/// - absent otherwise (a user's clone): prints `SKIPPED: <suite>: …` and
///   gives `None`, and the test returns.
///
/// `suite` names the test in the message; `None` uses the test's own name.
pub(crate) fn corpus_path(suite: Option<&str>, rel: &str) -> Option<PathBuf> {
    let root = corpora();
    let path = root.join(rel);
    if path.exists() {
        return Some(path);
    }
    let thread = std::thread::current();
    let suite = suite.or(thread.name()).unwrap_or(rel);
    let what = if root.is_dir() {
        format!("../shared/corpora/{rel} not found")
    } else {
        "../shared/corpora not found".to_owned()
    };
    assert!(
        !ci(),
        "{suite}: {what} ({}), and CI is set: CI must run every corpus suite \
         (put the corpora at ../shared/corpora beside the repository)",
        path.display()
    );
    eprintln!("SKIPPED: {suite}: {what} (a user's clone; CI always has it)");
    None
}

/// [`corpus_path`] for the whole ../shared/corpora folder.
pub(crate) fn corpora_root(suite: &str) -> Option<PathBuf> {
    corpus_path(Some(suite), "")
}

/// A corpus file's bytes, or `None` (SKIPPED) when absent; see [`corpus_path`].
pub(crate) fn bytes(path: &str) -> Option<Vec<u8>> {
    let full = corpus_path(None, path)?;
    Some(std::fs::read(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display())))
}

/// A corpus JSON file, or `None` (SKIPPED) when absent; see [`corpus_path`].
pub(crate) fn json(path: &str) -> Option<serde_json::Value> {
    bytes(path).map(|b| serde_json::from_slice(&b).unwrap())
}

/// Agreement with one suite. Cases listed in `divergences` (suite, case id,
/// reason) are expected to disagree; one that starts agreeing is a failure,
/// so the list stays true. `cases` pins how many cases the suite judges
/// (the `M` of `N/M agree`): a case that stops being read fails the test
/// instead of vanishing from the count.
pub(crate) struct Tally {
    suite: &'static str,
    cases: usize,
    divergences: &'static [(&'static str, &'static str, &'static str)],
    passed: usize,
    failed: Vec<String>,
    diverged: usize,
}

impl Tally {
    pub(crate) fn new(
        suite: &'static str,
        cases: usize,
        divergences: &'static [(&'static str, &'static str, &'static str)],
    ) -> Tally {
        Tally {
            suite,
            cases,
            divergences,
            passed: 0,
            failed: Vec::new(),
            diverged: 0,
        }
    }

    pub(crate) fn record(&mut self, id: &str, ok: bool, detail: impl FnOnce() -> String) {
        let listed = self
            .divergences
            .iter()
            .any(|(s, c, _)| *s == self.suite && *c == id);
        match (ok, listed) {
            (true, false) => self.passed += 1,
            (false, true) => self.diverged += 1,
            (true, true) => self.failed.push(format!(
                "{id}: listed as a divergence but now agrees; remove it from the list"
            )),
            (false, false) => self.failed.push(format!("{id}: {}", detail())),
        }
    }

    /// Prints `conformance: suite: N/M agree, …` and fails on any failure
    /// or when `M` is not the pinned number of cases.
    pub(crate) fn finish(self) {
        let total = self.passed + self.failed.len() + self.diverged;
        println!(
            "conformance: {}: {}/{} agree, {} documented divergence(s), {} failure(s)",
            self.suite,
            self.passed,
            total,
            self.diverged,
            self.failed.len()
        );
        assert!(
            self.failed.is_empty(),
            "{} failures:\n{}",
            self.suite,
            self.failed.join("\n")
        );
        assert_eq!(
            total, self.cases,
            "{}: judged {total} cases, {} are pinned: cases were dropped or added \
             (a corpus file changed, or the runner stopped reading some); \
             update the pinned count only after checking why",
            self.suite, self.cases
        );
    }
}

/// Folders of ../shared/corpora that hold whole messages or header blocks.
pub const MESSAGE_DIRS: &[&str] = &[
    "spamassassin",
    "spamscope-mail-parser",
    "mimekit-testdata",
    "mail-auth",
    "japanese",
    "authentication-milter/example",
    "dkimpy-testdata",
    "stalwart-mail-parser/eml",
    "rfc8463-example",
];

/// Every message file in the corpora's [`MESSAGE_DIRS`], sorted by path;
/// none when ../shared/corpora is absent.
pub fn corpus_messages() -> Vec<PathBuf> {
    let root = corpora();
    let mut paths: Vec<PathBuf> = MESSAGE_DIRS
        .iter()
        .flat_map(|dir| message_files(&root.join(dir)))
        .collect();
    paths.sort();
    paths
}

/// Every message file under `dir` (recursively), skipping documentation,
/// licences, keys and data tables; sorted.
pub fn message_files(dir: &std::path::Path) -> Vec<PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let skipped_ext = matches!(
                p.extension().and_then(|x| x.to_str()),
                Some(
                    "md" | "json"
                        | "yml"
                        | "yaml"
                        | "pem"
                        | "pub"
                        | "key"
                        | "dat"
                        | "bind9"
                        | "tinydns"
                        | "t"
                        | "pl"
                        | "py"
                        | "rs"
                        | "b64"
                )
            );
            if p.is_dir() {
                walk(&p, out);
            } else if !skipped_ext
                && !name.contains("LICENSE")
                && !name.contains("COPYING")
                && !name.starts_with("NOTICE")
                && name != "zonefile"
            {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// One `# zone: NAME TYPE VALUE` line of a tests/scenarios file added to
/// `resolver` (TXT, A, AAAA, PTR, MX `pref host`, SERVFAIL; see
/// tests/scenarios/README.md).
pub fn zone_line(resolver: FixtureResolver, line: &str) -> FixtureResolver {
    let mut parts = line.splitn(3, ' ');
    let (name, rtype, value) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap_or_default().trim(),
    );
    let records = |r: DnsRecord| Ok(DnsAnswer::records(vec![r]));
    match rtype {
        "TXT" => resolver.txt(name, value),
        "A" => resolver.answer(
            name,
            RecordType::A,
            records(DnsRecord::A {
                ttl: 300,
                addr: value.parse().unwrap(),
            }),
        ),
        "AAAA" => resolver.answer(
            name,
            RecordType::Aaaa,
            records(DnsRecord::Aaaa {
                ttl: 300,
                addr: value.parse().unwrap(),
            }),
        ),
        "PTR" => resolver.answer(
            name,
            RecordType::Ptr,
            records(DnsRecord::Ptr {
                ttl: 300,
                name: value.to_string(),
            }),
        ),
        "MX" => {
            let (pref, host) = value.split_once(' ').unwrap();
            resolver.answer(
                name,
                RecordType::Mx,
                records(DnsRecord::Mx {
                    ttl: 300,
                    preference: pref.parse().unwrap(),
                    exchange: host.to_string(),
                }),
            )
        }
        "SERVFAIL" => resolver.answer(name, RecordType::Txt, Ok(DnsAnswer::rcode(Rcode::ServFail))),
        other => panic!("unknown zone type {other} in {line:?}"),
    }
}

/// A bounce whose recipient line gives its reason in words and no code.
pub(crate) fn codeless_bounce(line: &str) -> Vec<u8> {
    format!(
        "Return-Path: <>\n\
From: MAILER-DAEMON@mail.todoku.test (Mail Delivery System)\n\
To: taro@todoku.test\n\
Subject: Undeliverable message\n\
Date: Tue, 10 Nov 2026 09:05:12 +0900\n\
Message-Id: <codeless.1@mail.todoku.test>\n\
MIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"b1\"\n\
\n\
--b1\n\
Content-Type: text/plain\n\
\n\
Your message could not be delivered.\n\
\n\
{line}\n\
\n\
--b1\n\
Content-Type: message/rfc822\n\
\n\
Received: from pc.todoku.test (pc.todoku.test [198.51.100.77])\n\
\tby mail.todoku.test (Postfix) with ESMTP id 4Q1AB2CD3E\n\
\tfor <hanako@example.test>; Tue, 10 Nov 2026 09:05:10 +0900 (JST)\n\
From: Taro <taro@todoku.test>\n\
To: hanako@example.test\n\
Cc: jiro@example.test\n\
Subject: Meeting on Friday\n\
Date: Tue, 10 Nov 2026 09:05:08 +0900\n\
Message-ID: <a1@todoku.test>\n\
\n\
See you.\n\
--b1--\n"
    )
    .into_bytes()
}
