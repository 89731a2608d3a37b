//! Issue 19 item 10: a date with an absurd year (9223372036854775807)
//! made the date arithmetic overflow: it wrapped in release builds and
//! panicked where overflow checks are on (this suite runs in debug, so an
//! overflow is a panic here). Years are read only in 0..=9999; any other
//! makes the date unreadable, and the report says it has none.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

use todoku_core::analyze;

/// Years no date arithmetic fits, written the ways the date readers
/// accept: RFC 5322 words, ISO and US numbers, a bare number.
const ABSURD: &[&str] = &[
    "Mon, 23 Nov 9223372036854775807 10:00:00 +0000",
    "23 Nov 9223372036854775807 10:00:00 +0000",
    "Nov 23 9223372036854775807 10:00:00 -1200",
    "9223372036854775807-11-23 10:00:00 +0000",
    "11/23/9223372036854775807 10:00:00 PM +1400",
    "23 Nov -9223372036854775808 10:00:00 +0000",
    "23 Nov 10000 10:00:00 +0000",
    "23 Nov 292277026596 10:00:00 +0000",
    // A month or day too large for its type is no date either.
    "2026-4294967297-23 10:00:00 +0000",
    "4294967307/23/2026 10:00:00 +0000",
];

fn message(date: &str) -> String {
    format!(
        "Received: from a.todoku.test ([192.0.2.1]) by b.todoku.test with ESMTP; {date}\r\n\
         Received: from c.todoku.test ([192.0.2.2]) by a.todoku.test with ESMTP; Mon, 23 Nov 2026 09:00:00 +0000\r\n\
         From: a@todoku.test\r\nTo: b@todoku.test\r\nSubject: s\r\nMessage-ID: <m@todoku.test>\r\n\
         Date: {date}\r\n\r\n"
    )
}

#[test]
fn absurd_years_make_the_date_unreadable_instead_of_overflowing() {
    for date in ABSURD {
        let report = analyze(message(date).as_bytes(), 1_795_800_000);
        assert_eq!(report.summary.date, None, "{date}");
        assert_eq!(report.hops.len(), 2, "{date}");
        let newest = &report.hops[1];
        assert_eq!(
            (
                newest.timestamp.as_deref(),
                newest.unix_time,
                newest.unix_ms
            ),
            (None, None, None),
            "{date}"
        );
        assert_eq!(newest.delay_seconds, None, "{date}");
        assert_eq!(report.total_transit_seconds, None, "{date}");
        assert!(report.clock_skews.is_empty(), "{date}");
        // The readable hop is still read.
        assert_eq!(report.hops[0].unix_time, Some(1_795_424_400), "{date}");
    }
}

#[test]
fn the_first_and_last_four_digit_years_are_read_and_their_delay_fits() {
    let report = analyze(
        message("Fri, 31 Dec 9999 23:59:59 -2359").as_bytes(),
        1_795_800_000,
    );
    let newest = &report.hops[1];
    assert_eq!(
        newest.timestamp.as_deref(),
        Some("9999-12-31T23:59:59-23:59")
    );
    // 9999-12-31T23:59:59-23:59 is 10000-01-01T23:58:59Z.
    let expected = 253_402_387_139;
    assert_eq!(newest.unix_time, Some(expected));
    assert_eq!(newest.delay_seconds, Some(expected - 1_795_424_400));
    assert_eq!(newest.delay_ms, Some((expected - 1_795_424_400) * 1000));
    assert_eq!(
        report.summary.date.as_deref(),
        Some("9999-12-31T23:59:59-23:59")
    );
    // Year 0 (1 BC): far before the epoch, still exact.
    let report = analyze(
        message("1 Jan 0000 00:00:00 +2359").as_bytes(),
        1_795_800_000,
    );
    let newest = &report.hops[1];
    assert_eq!(newest.unix_time, Some(-62_167_219_200 - 86_340));
    assert_eq!(
        newest.delay_seconds,
        Some(-62_167_219_200 - 86_340 - 1_795_424_400)
    );
}
