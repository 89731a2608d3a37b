//! Shared helpers for the conformance runners: loading ../shared/corpora
//! (skipping visibly when it is absent) and tallying agreement with a suite.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;

/// Root of the external corpora, `../shared/corpora` beside the repository.
pub(crate) fn corpora() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora")
}

fn skipped(path: &str) {
    eprintln!("SKIPPED: ../shared/corpora/{path} is absent (a user's clone); CI always has it");
}

/// A corpus file's bytes, or `None` (with a visible message) when absent.
pub(crate) fn bytes(path: &str) -> Option<Vec<u8>> {
    match std::fs::read(corpora().join(path)) {
        Ok(b) => Some(b),
        Err(_) => {
            skipped(path);
            None
        }
    }
}

/// A corpus JSON file, or `None` (with a visible message) when absent.
pub(crate) fn json(path: &str) -> Option<serde_json::Value> {
    bytes(path).map(|b| serde_json::from_slice(&b).unwrap())
}

/// Agreement with one suite. Cases listed in `divergences` (suite, case id,
/// reason) are expected to disagree; one that starts agreeing is a failure,
/// so the list stays true.
pub(crate) struct Tally {
    suite: &'static str,
    divergences: &'static [(&'static str, &'static str, &'static str)],
    passed: usize,
    failed: Vec<String>,
    diverged: usize,
}

impl Tally {
    pub(crate) fn new(
        suite: &'static str,
        divergences: &'static [(&'static str, &'static str, &'static str)],
    ) -> Tally {
        Tally {
            suite,
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

    /// Prints `conformance: suite: N/M agree, …` and fails on any failure.
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
