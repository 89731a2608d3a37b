//! Replays inputs from tests/fuzz/regressions/doh_decode through the decoder.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

#[test]
fn fuzz_regressions_replay() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fuzz/regressions/doh_decode");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(todoku_doh::decode_response(&bytes, "_dmarc.example.com", 16).is_err());
        n += 1;
    }
    assert!(n > 0);
}
