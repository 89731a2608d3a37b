//! Large and pathological inputs analyse completely (no panic, no give-up)
//! up to the documented limit, and beyond it the report says why.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

use todoku_core::{InputProblem, MAX_INPUT_BYTES, analyze};

fn received(i: usize) -> String {
    format!(
        "Received: from relay{i}.todoku.test (relay{i}.todoku.test [192.0.2.{}]) by relay{}.todoku.test (Postfix) with ESMTPS id Q{i}; Mon, 23 Nov 2026 10:{:02}:{:02} +0000\r\n",
        i % 250 + 1,
        i + 1,
        (i / 60) % 60,
        i % 60
    )
}

#[test]
fn twenty_megabytes_with_many_hops_and_a_large_body() {
    let mut input = String::new();
    for i in (0..20_000).rev() {
        input.push_str(&received(i));
    }
    input.push_str("From: a@todoku.test\r\nSubject: big\r\n\r\n");
    let line = "x".repeat(998) + "\r\n";
    while input.len() < 20 * 1024 * 1024 {
        input.push_str(&line);
    }
    let report = analyze(input.as_bytes(), 0);
    assert_eq!(report.input.problem, None);
    assert_eq!(report.hops.len(), 20_000);
    assert!(report.input.has_body);
    assert_eq!(
        report.hops[19_999].by_host.as_deref(),
        Some("relay20000.todoku.test")
    );
}

#[test]
fn one_megabyte_folded_header() {
    let mut input = String::from("Subject: ");
    for i in 0..100_000 {
        input.push_str(&format!("word{i:05}\r\n "));
    }
    input.push_str("end\r\nFrom: a@todoku.test\r\n\r\n");
    assert!(input.len() > 1_000_000);
    let report = analyze(input.as_bytes(), 0);
    let subject = report.summary.subject.unwrap();
    assert!(subject.starts_with("word00000 word00001"));
    assert!(subject.ends_with("word99999 end"));
}

#[test]
fn beyond_the_limit_the_report_says_so() {
    let input = vec![b'a'; MAX_INPUT_BYTES + 1];
    let report = analyze(&input, 0);
    assert_eq!(
        report.input.problem,
        Some(InputProblem::TooLarge {
            bytes: MAX_INPUT_BYTES + 1,
            limit: MAX_INPUT_BYTES
        })
    );
}
