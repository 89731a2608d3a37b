//! Every finding id the code can emit is documented in docs/findings.md.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

#[test]
fn every_finding_id_is_documented() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let code = std::fs::read_to_string(root.join("src/findings.rs")).unwrap();
    let docs = std::fs::read_to_string(root.join("../../docs/findings.md")).unwrap();
    let mut ids = Vec::new();
    for part in code.split('"').skip(1).step_by(2) {
        let ok = part.split_once('.').is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && part
                    .bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_' || c == b'.')
        });
        if ok && part.matches('.').count() == 1 {
            ids.push(part.to_string());
        }
    }
    assert!(ids.len() > 30, "found only {} ids", ids.len());
    let missing: Vec<_> = ids
        .iter()
        .filter(|id| {
            let (prefix, rest) = id.split_once('.').unwrap();
            // `rfc5322.duplicate_date` may be documented as `/ `_date``.
            !docs.contains(&format!("`{id}`"))
                && !(docs.contains(&format!("`{prefix}.duplicate_from` / `_date`"))
                    && rest.starts_with("duplicate_"))
                && !docs.contains(&format!("`{id}` /"))
                && !docs.contains(&format!("/ `{id}`"))
        })
        .collect();
    assert!(missing.is_empty(), "undocumented finding ids: {missing:?}");
}
