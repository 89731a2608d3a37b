//! Per-message offline analysis time, natively, for every message file in
//! ../shared/corpora (the folders and files the snapshot and schema tests
//! read), each whole as a user would drop it, with a plain byte scan of the
//! same bytes as the floor. Prints JSON; scripts/bench.sh writes it to
//! .tmp/bench/corpus-native.json, where tests/bench also finds the list of
//! files to time the same messages in WebAssembly.
//! Run with `cargo run --release -p todoku-core --example corpus`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)] // a benchmark

use std::hint::black_box;
use std::time::Instant;

#[path = "../tests/common/mod.rs"]
mod common;

/// Rounds over all messages; each round times one batch of every message.
const ROUNDS: usize = 11;
/// About this many bytes per batch, so a batch lasts long enough to time.
const BATCH_BYTES: usize = 100_000;

struct Message {
    path: String,
    bytes: Vec<u8>,
    batch: usize,
    runs_ns: Vec<f64>,
    scans_ns: Vec<f64>,
}

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let root = common::corpora();
    if !root.is_dir() {
        eprintln!("SKIPPED: ../shared/corpora is absent (a user's clone); CI always has it");
        println!("{{\"skipped\": true, \"messages\": []}}");
        return;
    }
    let mut messages: Vec<Message> = common::corpus_messages()
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            Message {
                path: p
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                batch: (BATCH_BYTES / bytes.len().max(1)).max(1),
                bytes,
                runs_ns: Vec::new(),
                scans_ns: Vec::new(),
            }
        })
        .collect();
    assert!(!messages.is_empty(), "no message files under {root:?}");
    // Warm up once, then time in turns, so a slow moment of the machine
    // falls on every message alike rather than on a few.
    for m in &messages {
        black_box(todoku_core::analyze(black_box(&m.bytes), 0));
    }
    let mut lines = 0usize;
    for _ in 0..ROUNDS {
        for m in &mut messages {
            let t = Instant::now();
            for _ in 0..m.batch {
                black_box(todoku_core::analyze(black_box(&m.bytes), 0));
            }
            m.runs_ns
                .push(t.elapsed().as_nanos() as f64 / m.batch as f64);
            let t = Instant::now();
            for _ in 0..m.batch {
                lines += black_box(&m.bytes).iter().filter(|&&b| b == b'\n').count();
            }
            m.scans_ns
                .push(t.elapsed().as_nanos() as f64 / m.batch as f64);
        }
    }
    black_box(lines);
    let rows: Vec<serde_json::Value> = messages
        .iter_mut()
        .map(|m| {
            serde_json::json!({
                "path": m.path,
                "bytes": m.bytes.len(),
                "median_ns": median(&mut m.runs_ns),
                "scan_ns": median(&mut m.scans_ns),
            })
        })
        .collect();
    let out = serde_json::json!({
        "rounds": ROUNDS,
        "dirs": common::MESSAGE_DIRS,
        "messages": rows,
    });
    println!("{}", serde_json::to_string_pretty(&out).unwrap());
}
