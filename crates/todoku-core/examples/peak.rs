//! Peak heap of one analysis ÷ input size, natively (issue 7's memory
//! target, measured without a browser): a counting global allocator around
//! `analyze()` for the same synthetic inputs as tests/bench. Prints Markdown
//! table rows (scripts/bench.sh puts them in bench-results.md). Run with
//! `cargo run --release -p todoku-core --example peak`.
#![allow(clippy::unwrap_used, missing_docs, unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = NOW.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: the caller's layout is passed on unchanged.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        NOW.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        // A realloc may copy: count old and new as live at once.
        let now = NOW.fetch_add(new, Ordering::Relaxed) + new;
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: as for `alloc` and `dealloc`.
        let out = unsafe { System.realloc(ptr, layout, new) };
        NOW.fetch_sub(layout.size(), Ordering::Relaxed);
        out
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn received(size: usize) -> String {
    let mut out = String::new();
    let mut i = 0usize;
    while out.len() < size {
        out.push_str(&format!("Received: from relay{i}.todoku.test (relay{i}.todoku.test [192.0.2.{}]) by relay{}.todoku.test (Postfix) with ESMTPS id Q{i}; Mon, 23 Nov 2026 10:{:02}:{:02} +0000\r\n", i % 250 + 1, i + 1, (i / 60) % 60, i % 60));
        i += 1;
    }
    out + "From: a@todoku.test\r\nSubject: s\r\n\r\n"
}

fn main() {
    let hops = {
        let mut out = String::new();
        for i in 0..100_000 {
            out.push_str(&format!("Received: from h{i}.todoku.test ([192.0.2.{}]) by h{}.todoku.test with ESMTPS; Mon, 23 Nov 2026 10:00:00 +0000\r\n", i % 250 + 1, i + 1));
        }
        out + "From: a@todoku.test\r\n\r\n"
    };
    let cases: Vec<(&str, String)> = vec![
        ("1 MB of Received headers", received(1 << 20)),
        ("4 MB of Received headers", received(4 << 20)),
        (
            "20 MB .eml",
            received(64 << 10)
                + &"This is the body of a large message.\r\n".repeat((20 << 20) / 38),
        ),
        ("100 000 Received hops", hops),
        (
            "one 1 MB header line",
            format!(
                "Subject: {}\r\nFrom: a@todoku.test\r\n\r\n",
                "x".repeat(1 << 20)
            ),
        ),
    ];
    for (name, input) in cases {
        let base = NOW.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let t = std::time::Instant::now();
        let report = todoku_core::analyze(input.as_bytes(), 0);
        let took = t.elapsed();
        let held = NOW.load(Ordering::Relaxed) - base;
        drop(report);
        let peak = PEAK.load(Ordering::Relaxed) - base;
        #[allow(clippy::cast_precision_loss)]
        let per = |n: usize| n as f64 / input.len() as f64;
        println!(
            "| {name} | {} | {:.1} ms | {:.2} | {:.2} |",
            input.len(),
            took.as_secs_f64() * 1000.0,
            per(peak),
            per(held)
        );
    }
}
