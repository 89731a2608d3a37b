//! Every finding id the code can emit is documented in docs/findings.md and
//! has a title in both languages and a Japanese explanation in the catalogue.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

#[test]
fn every_finding_id_is_documented() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let code = std::fs::read_to_string(root.join("src/diagnose/findings.rs")).unwrap()
        + &std::fs::read_to_string(root.join("src/diagnose/live.rs")).unwrap();
    let docs = std::fs::read_to_string(root.join("../../docs/findings.md")).unwrap();
    // Every quoted `family.name` literal, wherever it stands (a plain split on
    // quotes loses its pairing at the first escaped quote).
    const FAMILIES: &[&str] = &[
        "spf",
        "dkim",
        "dmarc",
        "arc",
        "helo",
        "tls",
        "clock",
        "vendor",
        "unsubscribe",
        "from",
        "rfc5322",
        "iprev",
        "dns",
        "forwarding",
    ];
    let mut ids: Vec<String> = Vec::new();
    let bytes = code.as_bytes();
    for (i, _) in code.match_indices('"') {
        let rest = &bytes[i + 1..];
        let len = rest
            .iter()
            .take_while(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || **c == b'_' || **c == b'.'
            })
            .count();
        if rest.get(len) != Some(&b'"') {
            continue;
        }
        let candidate = &code[i + 1..i + 1 + len];
        if let Some((family, name)) = candidate.split_once('.')
            && FAMILIES.contains(&family)
            && !name.is_empty()
            && !name.contains('.')
            && !ids.iter().any(|x| x == candidate)
        {
            ids.push(candidate.to_string());
        }
    }
    // The rules name their ids as FindingId values now (a finding cannot
    // be made with an id outside the catalogue); every one must be
    // documented, and every literal id the code still compares with too.
    for id in todoku_core::wording::catalogue::FindingId::ALL {
        if !ids.iter().any(|x| x == id.as_str()) {
            ids.push(id.as_str().to_string());
        }
    }
    assert!(ids.len() >= 55, "found only {} ids: {ids:?}", ids.len());
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
    let uncatalogued: Vec<_> = ids
        .iter()
        .filter(|id| todoku_core::wording::catalogue::entry(id).is_none())
        .collect();
    assert!(
        uncatalogued.is_empty(),
        "finding ids without a catalogue entry (src/wording/catalogue.rs): {uncatalogued:?}"
    );
}

#[test]
fn tls_not_used_said_in_japanese_that_gmail_requires_tls() {
    // The English says some receivers require TLS (Gmail only marks the
    // mail); the Japanese said Gmail requires it, whatever the receiver
    // (sisimai-034, a server that is not Gmail's).
    let ja = todoku_core::wording::catalogue::FindingId::TlsNotUsed.detail_ja();
    assert!(!ja.contains("Gmail は TLS を必須"), "{ja}");
    assert!(ja.contains("TLS を求める受信サーバーもあります"), "{ja}");
}
