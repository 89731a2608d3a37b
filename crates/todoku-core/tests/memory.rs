//! Issue 19 item 3: memory far above the input for some shapes (1 MB of
//! `;` in one Authentication-Results took 66 MB, 10 000 DKIM-Signatures in
//! 0.8 MB took 52 MB, a million tiny headers in 5 MB took 203 MB). The goal:
//! the peak heap of one analysis stays within 3× the input for any input,
//! natively as in WebAssembly (the same allocations). Each hostile family
//! of tests/common/hostile.rs is analysed at a moderate size (256 KiB: large
//! enough that the report's fixed part does not count) and its peak, counted
//! by a global allocator, is compared with the input's size.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

#[path = "common/counting.rs"]
mod counting;
#[path = "common/hostile.rs"]
mod hostile;

use todoku_core::analyze;

/// The input size each family is measured at.
const SIZE: usize = 256 << 10;

/// The goal: peak heap ≤ 3× the input.
const MAX_RATIO: f64 = 3.0;

/// The peak heap of `analyze` on `input`, ÷ its size.
fn peak_ratio(input: &[u8]) -> f64 {
    let (report, usage) = counting::measure(|| analyze(input, 1_795_800_000));
    drop(report);
    #[allow(clippy::cast_precision_loss)]
    let ratio = usage.peak as f64 / input.len() as f64;
    ratio
}

/// Asserts the family's peak at [`SIZE`] is within [`MAX_RATIO`].
fn check(name: &str, make: hostile::Generator) {
    let _serial = counting::serial();
    let input = make(SIZE);
    assert!(input.len() >= SIZE);
    let ratio = peak_ratio(&input);
    println!("{name}: peak ÷ input = {ratio:.2}");
    assert!(
        ratio <= MAX_RATIO,
        "{name}: peak heap {ratio:.2}× the input ({} bytes), more than {MAX_RATIO}×",
        input.len()
    );
}

#[test]
fn a_flood_of_semicolons_in_one_authentication_results_stays_within_three_times_the_input() {
    check("`;` flood", hostile::semicolon_flood);
}

#[test]
fn ten_thousand_dkim_signatures_stay_within_three_times_the_input() {
    check("DKIM-Signatures", hostile::dkim_signatures);
}

#[test]
fn tiny_headers_stay_within_three_times_the_input() {
    check("tiny headers", hostile::tiny_headers);
}

#[test]
fn a_long_folded_header_stays_within_three_times_the_input() {
    check("long folded header", hostile::long_folded_header);
}

#[test]
fn many_received_headers_stay_within_three_times_the_input() {
    check("Received headers", hostile::many_received);
}

#[test]
fn many_authentication_results_headers_stay_within_three_times_the_input() {
    check("Authentication-Results headers", hostile::many_authres);
}

#[test]
fn many_arc_sets_stay_within_three_times_the_input() {
    check("ARC sets", hostile::many_arc_sets);
}
