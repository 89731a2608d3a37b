//! Small text helpers shared by the modules.

/// Lossy UTF-8 view of header bytes, for display and evidence.
pub(crate) fn lossy(bytes: &[u8]) -> String {
    lossy_cow(bytes).into_owned()
}

/// `bytes` as text, borrowed when it is UTF-8; otherwise each run of bytes
/// that are not UTF-8 becomes one U+FFFD. (`String::from_utf8_lossy`
/// writes one per invalid sequence, three bytes for each stray byte: a
/// header of invalid bytes would come out three times its size, and every
/// copy of it with it; issue 19 item 3.)
pub(crate) fn lossy_cow(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(bytes.len());
    let mut replaced = false;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        out.push_str(valid);
        if !chunk.invalid().is_empty() {
            if valid.is_empty() && replaced {
                continue;
            }
            out.push('\u{FFFD}');
        }
        replaced = !chunk.invalid().is_empty();
    }
    // A run of invalid bytes is one character: a value of them would
    // otherwise keep room for all of them (a From name of 8-bit bytes kept
    // its size again beside the name read in its charset; issue 19 item 3).
    if out.capacity() / 2 > out.len() {
        out.shrink_to_fit();
    }
    std::borrow::Cow::Owned(out)
}

/// `text` with each run of white space (folding included) made one space,
/// and none at either end.
pub(crate) fn single_spaced(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// [`single_spaced`] of text already owned, made in place: a long value
/// is not held twice (issue 19 item 3).
pub(crate) fn single_spaced_owned(text: String) -> String {
    let mut bytes = text.into_bytes();
    let (mut read, mut write) = (0, 0);
    // Whether white space was read since the last word.
    let mut space = false;
    while let Some(&lead) = bytes.get(read) {
        let len = match lead {
            0..=0x7f => 1,
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        };
        let end = (read + len).min(bytes.len());
        let white = bytes
            .get(read..end)
            .and_then(|c| std::str::from_utf8(c).ok())
            .and_then(|c| c.chars().next())
            .is_some_and(char::is_whitespace);
        if white {
            space = true;
        } else {
            if space && write > 0 {
                if let Some(b) = bytes.get_mut(write) {
                    *b = b' ';
                }
                write += 1;
            }
            space = false;
            bytes.copy_within(read..end, write);
            write += end - read;
        }
        read = end;
    }
    bytes.truncate(write);
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Whether `domain` is `parent` or a name below it (`mail.example.com`
/// within `example.com`; `badexample.com` is not). Compares as written:
/// callers normalise case and trailing dots.
pub(crate) fn within(domain: &str, parent: &str) -> bool {
    domain == parent
        || domain
            .strip_suffix(parent)
            .is_some_and(|head| head.ends_with('.'))
}

/// Whether two domains end in the same two or more labels (`a.example.co.jp`
/// and `b.example.co.jp`; `x.co.jp` and `y.co.jp`): only the DNS (RFC 9989's
/// tree walk) can tell whether the shared part is one organisation or a
/// public suffix. Domains that share only the top-level label are in
/// different organisations.
pub(crate) fn share_registrable_suffix(a: &str, b: &str) -> bool {
    a.rsplit('.')
        .zip(b.rsplit('.'))
        .take_while(|(x, y)| x.eq_ignore_ascii_case(y))
        .count()
        >= 2
}

/// Whether `name` can stand for a server in a sentence: a host name with a
/// dot, not an address (bare or in brackets) and not a placeholder an MTA
/// writes when it has no name (`unknown`, `host`, `localhost`,
/// `localhost.localdomain`; sisimai-002's `(host [192.0.2.22])`).
pub(crate) fn server_name(name: &str) -> bool {
    let n = name.trim_end_matches('.');
    let lower = n.to_ascii_lowercase();
    n.contains('.')
        && !n.starts_with('[')
        && n.parse::<std::net::IpAddr>().is_err()
        && lower != "localhost"
        && !lower.starts_with("localhost.")
        && !lower.ends_with(".localdomain")
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
    let (hay, needle) = (text.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    // Candidates by the first byte in either case, then the rest compared.
    memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), hay).any(|at| {
        hay.get(at + 1..at + 1 + rest.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(rest))
    })
}

/// Whether a signing domain (or `@domain` identity) likely aligns with
/// From's domain under relaxed DMARC alignment, without DNS: one is the
/// other or below it, or they share a registered-looking domain (two labels
/// that are not a `co.jp`-style second level, or three).
pub(crate) fn likely_aligned(signer: &str, from: &str) -> bool {
    let signer = signer
        .rsplit_once('@')
        .map_or(signer, |(_, d)| d)
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let from = from.trim_end_matches('.').to_ascii_lowercase();
    if signer.is_empty() || from.is_empty() {
        return false;
    }
    if within(&signer, &from) || within(&from, &signer) {
        return true;
    }
    let shared: Vec<&str> = signer
        .rsplit('.')
        .zip(from.rsplit('.'))
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a)
        .collect();
    const SECOND_LEVELS: &[&str] = &[
        "co", "ne", "or", "ac", "go", "ed", "lg", "gr", "ad", "com", "net", "org", "edu", "gov",
    ];
    match shared.len() {
        0 | 1 => false,
        2 => !shared.get(1).is_some_and(|l| SECOND_LEVELS.contains(l)),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_spacing_in_place_reads_as_single_spacing_a_copy() {
        for text in [
            "",
            " ",
            "a",
            "  a  b\t\r\n c ",
            "\u{3000}件名\u{3000}\u{3000}です\u{a0}",
            "x\u{2028}\u{2029}y\u{85}z",
            "ｱｲｳ \t\t ｴ",
        ] {
            assert_eq!(
                single_spaced_owned(text.to_string()),
                single_spaced(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_run_of_invalid_bytes_reads_as_one_replacement_character() {
        assert_eq!(lossy(b"a\xff\xfe\xfdb"), "a\u{FFFD}b");
        assert_eq!(lossy(&[0xff; 1000]), "\u{FFFD}");
        // Runs apart stay apart; valid text is borrowed as it is.
        assert_eq!(lossy(b"\xffa\xc3\xa9\xff"), "\u{FFFD}a\u{e9}\u{FFFD}");
        assert!(matches!(
            lossy_cow("été".as_bytes()),
            std::borrow::Cow::Borrowed("été")
        ));
        // A truncated sequence then a stray byte: one run.
        assert_eq!(lossy(b"x\xe3\x81\xffy"), "x\u{FFFD}y");
    }

    #[test]
    fn within_needs_a_label_boundary() {
        assert!(within("example.com", "example.com"));
        assert!(within("mail.example.com", "example.com"));
        assert!(!within("badexample.com", "example.com"));
        assert!(!within("example.com", "mail.example.com"));
    }

    #[test]
    fn contains_ci_finds_needles_in_any_case_and_at_the_edges() {
        assert!(contains_ci("with ESMTPS using TLS", "using"));
        assert!(contains_ci("USING", "using"));
        assert!(contains_ci("xUsInG", "using"));
        assert!(!contains_ci("usin", "using"));
        assert!(!contains_ci("u-sing", "using"));
        assert!(contains_ci("anything", ""));
        assert!(contains_ci("a (via HTTP)", "via http"));
    }

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
