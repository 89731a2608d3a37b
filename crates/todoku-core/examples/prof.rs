//! Profiling helper for issue 7: analyse a synthetic 4 MB Received-heavy
//! block three times and print the time per run (or a given file N times). With symbols:
//! `CARGO_PROFILE_RELEASE_DEBUG=true cargo build --release -p todoku-core --example prof`
//! then `perf record --call-graph dwarf target/release/examples/prof`.
#![allow(clippy::unwrap_used, missing_docs)]
fn main() {
    // `prof FILE [N]`: analyse FILE N times (20 000) instead (a typical
    // block); a small N suits valgrind's instruction counts, which do not
    // move with this machine's speed.
    if let Some(path) = std::env::args().nth(1) {
        let input = std::fs::read(path).unwrap();
        let runs: u32 = std::env::args()
            .nth(2)
            .and_then(|n| n.parse().ok())
            .unwrap_or(20_000);
        let t = std::time::Instant::now();
        for _ in 0..runs {
            std::hint::black_box(todoku_core::analyze(&input, 0));
        }
        eprintln!("{:?} per run", t.elapsed() / runs.max(1));
        return;
    }
    let mut out = String::new();
    let mut i = 0usize;
    while out.len() < 4 << 20 {
        out.push_str(&format!("Received: from relay{i}.todoku.test (relay{i}.todoku.test [192.0.2.{}]) by relay{}.todoku.test (Postfix) with ESMTPS id Q{i}; Mon, 23 Nov 2026 10:{:02}:{:02} +0000\r\n", i % 250 + 1, i + 1, (i / 60) % 60, i % 60));
        i += 1;
    }
    out.push_str("From: a@todoku.test\r\nSubject: s\r\n\r\n");
    let t = std::time::Instant::now();
    for _ in 0..3 {
        std::hint::black_box(todoku_core::analyze(out.as_bytes(), 0));
    }
    eprintln!("{:?} per run", t.elapsed() / 3);
}
