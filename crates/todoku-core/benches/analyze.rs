//! Offline analysis speed (native): per-message latency for a typical header
//! block, throughput over the shared corpora, growth with input size, and
//! each hostile input family of tests/common/hostile.rs at 4 MB.
//! Run all benchmarks with `scripts/bench.sh` (writes bench-results.md).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)] // a benchmark

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const FIXTURE: &[u8] = include_bytes!("../../../tests/fixtures/postfix-to-gmail.txt");

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/common/hostile.rs"]
mod hostile;

/// The size of each hostile input (issue 19's families; examples/hostile.rs
/// prints their peak memory at the same size).
const HOSTILE_SIZE: usize = 4 << 20;

/// Every message file in ../shared/corpora that the snapshot tests read,
/// whole (examples/corpus.rs times each one alone).
fn corpus() -> Vec<Vec<u8>> {
    let root = common::corpora();
    if !root.is_dir() {
        eprintln!("SKIPPED: ../shared/corpora is absent (a user's clone); CI always has it");
        return Vec::new();
    }
    common::corpus_messages()
        .into_iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

/// A header block of about `size` bytes: Received hops and a From/Subject.
fn synthetic(size: usize) -> Vec<u8> {
    let mut out = String::with_capacity(size + 512);
    let mut i = 0usize;
    while out.len() < size {
        out.push_str(&format!(
            "Received: from relay{i}.todoku.test (relay{i}.todoku.test [192.0.2.{}]) by relay{}.todoku.test (Postfix) with ESMTPS id Q{i}; Mon, 23 Nov 2026 10:{:02}:{:02} +0000\r\n",
            i % 250 + 1, i + 1, (i / 60) % 60, i % 60
        ));
        i += 1;
    }
    out.push_str("From: a@todoku.test\r\nSubject: s\r\n\r\n");
    out.into_bytes()
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("typical");
    g.throughput(Throughput::Bytes(FIXTURE.len() as u64));
    g.bench_function("postfix-to-gmail (2.3 KB header block)", |b| {
        b.iter(|| black_box(todoku_core::analyze(black_box(FIXTURE), 0)))
    });
    g.finish();

    let corpus = corpus();
    if !corpus.is_empty() {
        let bytes: usize = corpus.iter().map(Vec::len).sum();
        let mut g = c.benchmark_group("corpus");
        g.throughput(Throughput::Bytes(bytes as u64));
        let name = format!(
            "{} message files of ../shared/corpora, each analysed whole",
            corpus.len()
        );
        g.bench_function(name, |b| {
            b.iter(|| {
                for m in &corpus {
                    black_box(todoku_core::analyze(black_box(m), 0));
                }
            })
        });
        g.finish();
    }

    let mut g = c.benchmark_group("scale");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    for size in [256 * 1024, 1024 * 1024, 4 * 1024 * 1024, 16 * 1024 * 1024] {
        let input = synthetic(size);
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.bench_function(format!("{} KB of Received headers", size / 1024), |b| {
            b.iter(|| black_box(todoku_core::analyze(black_box(&input), 0)))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("hostile");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    for (name, make) in hostile::FAMILIES {
        let input = make(HOSTILE_SIZE);
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.bench_function(format!("{name}, {} MB", HOSTILE_SIZE >> 20), |b| {
            b.iter(|| black_box(todoku_core::analyze(black_box(&input), 0)))
        });
    }
    g.finish();

    let scan = synthetic(4 * 1024 * 1024);
    let mut g = c.benchmark_group("floor");
    g.throughput(Throughput::Bytes(scan.len() as u64));
    g.bench_function("byte scan for line ends, 4 MB", |b| {
        b.iter(|| black_box(scan.iter().filter(|&&x| x == b'\n').count()))
    });
    g.finish();
}

criterion_group!(analyze, benches);
criterion_main!(analyze);
