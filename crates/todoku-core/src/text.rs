//! Small text helpers shared by the modules.

/// Lossy UTF-8 view of header bytes, for display and evidence.
pub(crate) fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The domain of an address (`local@domain`), lower-cased, without a trailing dot.
/// Returns `None` when there is no `@` or the domain part is empty.
pub(crate) fn address_domain(address: &str) -> Option<String> {
    let (_, domain) = address.rsplit_once('@')?;
    let domain = domain.trim().trim_end_matches('>').trim_end_matches('.');
    if domain.is_empty() {
        None
    } else {
        Some(domain.to_ascii_lowercase())
    }
}

/// `text` starts with `prefix`, ASCII case-insensitively.
pub(crate) fn starts_ci(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// `text` contains `needle` (lower-case ASCII), ASCII case-insensitively.
pub(crate) fn contains_ci(text: &str, needle: &str) -> bool {
    let needle = needle.as_bytes();
    needle.is_empty()
        || text
            .as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_domain_takes_last_at_and_lowercases() {
        assert_eq!(
            address_domain("a@b@Example.COM."),
            Some("example.com".into())
        );
        assert_eq!(address_domain("no-at-sign"), None);
        assert_eq!(address_domain("user@"), None);
    }
}
