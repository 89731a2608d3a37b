//! Replays inputs from tests/fuzz/regressions/analyze (crashes found by
//! fuzzing, and hand-made nasty inputs) through the analysis.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

#[test]
fn fuzz_regressions_replay() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fuzz/regressions/analyze");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let report = todoku_core::analyze(&bytes, 0);
        serde_json::to_vec(&report).unwrap();
        let received = [b"Received: ".as_slice(), &bytes, b"\r\n\r\n"].concat();
        let _ = todoku_core::analyze(&received, 0);
        let _ = todoku_core::recorded::authres::parse(&String::from_utf8_lossy(&bytes));
        n += 1;
    }
    assert!(n > 0, "no regression inputs in {}", dir.display());
}
