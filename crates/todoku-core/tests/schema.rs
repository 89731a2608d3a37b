//! The JSON report is documented by docs/report.schema.json, generated from
//! the Rust types. This test keeps the file in step with the code, and checks
//! that real reports (fixtures and every corpus message, LF and CRLF, with a
//! live DMARC result attached) validate against it.
//!
//! After changing a report type: `TODOKU_BLESS=1 cargo test -p todoku-core --test schema`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

mod common;

use std::path::PathBuf;

use todoku_core::auth::dns::FixtureResolver;

fn schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/report.schema.json")
}

fn generated() -> String {
    serde_json::to_string_pretty(&todoku_core::report_schema()).unwrap() + "\n"
}

#[test]
fn schema_file_matches_the_code() {
    let want = generated();
    if std::env::var_os("TODOKU_BLESS").is_some() {
        std::fs::write(schema_path(), &want).unwrap();
        eprintln!("wrote {}", schema_path().display());
        return;
    }
    let have = std::fs::read_to_string(schema_path()).unwrap_or_default();
    assert!(
        have == want,
        "docs/report.schema.json is out of date with the Report types; run: TODOKU_BLESS=1 cargo test -p todoku-core --test schema"
    );
}

#[test]
fn real_reports_validate_against_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(&generated()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut files = common::message_files(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures"),
    );
    let fixtures = files.len();
    assert!(
        fixtures >= 2,
        "tests/fixtures holds the repository's own messages"
    );
    // Without the corpora only tests/fixtures are validated (SKIPPED is
    // printed for the rest; under CI that is a failure).
    if common::corpora_root("schema: the corpora's messages").is_some() {
        files.extend(common::corpus_messages());
        assert!(
            files.len() > fixtures + 100,
            "the corpora's messages were found"
        );
    }
    let resolver = FixtureResolver::new().txt("_dmarc.todoku.test", "v=DMARC1; p=none");
    let mut checked = 0;
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let crlf: Vec<u8> = bytes
            .iter()
            .flat_map(|&b| {
                if b == b'\n' {
                    vec![b'\r', b'\n']
                } else {
                    vec![b]
                }
            })
            .collect();
        for input in [bytes, crlf] {
            let report =
                pollster::block_on(todoku_core::analyze_live(&input, 1_795_500_000, &resolver));
            let json = serde_json::to_value(&report).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&json)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .take(3)
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", file.display());
            checked += 1;
        }
    }
    println!(
        "schema: {checked} reports validated ({} messages, LF and CRLF)",
        files.len()
    );
}
