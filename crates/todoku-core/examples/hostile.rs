//! Hostile inputs at a large size (issue 19 items 3 and 10): for each
//! family of tests/common/hostile.rs, the time per MB (best of 3) and the
//! peak heap ÷ input of `analyze` (the page's path) and of `analyze_live`
//! with the offline resolver (the CLI's `--offline` path), measured with a
//! counting allocator (the input itself not counted). Prints Markdown
//! table rows for bench-results.md. Run with
//! `cargo run --release -p todoku-core --example hostile [MiB [family]]`.
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "../tests/common/counting.rs"]
mod counting;
#[path = "../tests/common/hostile.rs"]
mod hostile;

use std::time::{Duration, Instant};

fn main() {
    let mib: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(4);
    // A second argument keeps the families whose name contains it.
    let only = std::env::args().nth(2).unwrap_or_default();
    println!(
        "| input ({mib} MiB) | bytes | time per MB | peak ÷ input, analyze | peak ÷ input, offline live (CLI) |"
    );
    println!("|---|---|---|---|---|");
    for (name, make) in hostile::FAMILIES {
        if !name.contains(only.as_str()) {
            continue;
        }
        let input = make(mib << 20);
        let mut best = Duration::MAX;
        let mut peak = 0;
        for _ in 0..3 {
            let t = Instant::now();
            let (report, usage) = counting::measure(|| todoku_core::analyze(&input, 0));
            best = best.min(t.elapsed());
            peak = usage.peak;
            drop(report);
        }
        let (report, live) = counting::measure(|| {
            pollster::block_on(todoku_core::analyze_live(
                &input,
                0,
                &todoku_core::auth::dns::NullResolver,
            ))
        });
        drop(report);
        #[allow(clippy::cast_precision_loss)]
        let ratio = |n: usize| n as f64 / input.len() as f64;
        #[allow(clippy::cast_precision_loss)]
        let per_mb = best.as_secs_f64() * 1000.0 / (input.len() as f64 / 1e6);
        println!(
            "| {name} | {} | {per_mb:.1} ms | {:.2} | {:.2} |",
            input.len(),
            ratio(peak),
            ratio(live.peak)
        );
    }
}
