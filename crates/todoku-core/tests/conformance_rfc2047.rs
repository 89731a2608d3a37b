//! RFC 2047 encoded-word decoding (`charset::decode_text`: Todoku's word
//! reader, other charsets through the `Charsets` backend) against
//! MHA's decoding cases (incl. the Mailsploit payloads) and the Japanese
//! table in ../shared/corpora/japanese.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

mod common;

use common::Tally;

const DIVERGENCES: &[(&str, &str, &str)] = &[(
    "japanese-rfc2047",
    "=?iso-2022-jp?B?GyRCJygnJS1iGyhCNDEgGyRCJ2AnZBsoQiAyOC4wOS4yMDE2?=",
    "the bytes 0x2D 0x62 are NEC row 13 (№) in ISO-2022-JP as browsers decode it (WHATWG Encoding, encoding_rs); CPython's strict codec gives U+FFFD. Todoku shows what the recipient's mail client shows: №",
)];

/// A line break not followed by white space inside a pasted value is a fold
/// that lost its indentation (see input::prepare): restore it, as Todoku does.
fn reindent(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '\n' && chars.peek().is_some_and(|n| !matches!(n, ' ' | '\t')) {
            out.push(' ');
        }
    }
    out
}

/// RFC 5322 2.2.3 unfolding of the expected text, limited to the folds that
/// are in the input (a CR LF decoded from `=0D=0A` inside an encoded word is
/// content, not folding, and stays).
fn unfold_like(input: &str, expected: &str) -> String {
    let mut keys = Vec::new();
    let bytes = input.as_bytes();
    for (i, _) in input.match_indices('\n') {
        let after = &input[i + 1..];
        let ws = after.len() - after.trim_start_matches([' ', '\t']).len();
        // The character after the fold (not an encoded word's `=`, whose
        // decoded text differs from the input).
        let key: String = after[ws..].chars().take(1).filter(|c| *c != '=').collect();
        if !key.is_empty() && bytes.get(i + 1).is_some() {
            keys.push(key);
        }
    }
    let mut out = expected.to_string();
    for key in keys {
        for fold in ["\r\n ", "\r\n\t", "\n    ", "\n ", "\r\n", "\n"] {
            let pattern = format!("{fold}{key}");
            if out.contains(&pattern) {
                out = out.replace(&pattern, &format!(" {key}"));
                break;
            }
        }
    }
    out
}

fn same(got: &str, want: &str) -> bool {
    let squeeze = |s: &str| s.trim().replace("    ", " ");
    squeeze(got) == squeeze(want)
}

fn decode(raw: &str) -> String {
    let value = format!(" {}\r\n", reindent(raw));
    todoku_core::header::charset::decode_text(
        value.as_bytes(),
        todoku_core::header::charset::builtin(),
    )
}

#[test]
fn mha_rfc2047() {
    let Some(suite) = common::json("mha-extracted/rfc2047-decode-cases.json") else {
        return;
    };
    let mut tally = Tally::new("mha-rfc2047", 45, DIVERGENCES);
    for case in suite["cases"].as_array().unwrap() {
        let input = case["input"].as_str().unwrap();
        let want = unfold_like(&reindent(input), case["expected"].as_str().unwrap());
        let got = decode(input);
        tally.record(input, same(&got, &want), || {
            format!("got {got:?}, want {want:?}")
        });
    }
    tally.finish();
}

#[test]
fn japanese_encoded_headers() {
    let Some(suite) = common::json("japanese/encoded-header-decodings.json") else {
        return;
    };
    let mut tally = Tally::new("japanese-rfc2047", 16, DIVERGENCES);
    for row in suite["rows"].as_array().unwrap() {
        let raw = row["raw"].as_str().unwrap();
        let want = row["decoded_by_cpython"].as_str().unwrap();
        let got = decode(raw);
        tally.record(raw, got == want, || format!("got {got:?}, want {want:?}"));
    }
    tally.finish();
}
