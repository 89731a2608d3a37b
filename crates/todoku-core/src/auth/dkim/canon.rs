//! DKIM canonicalisation (RFC 6376 section 3.4) and the header hash input.

use std::collections::{BTreeMap, VecDeque};

use crate::input::message::{RawField, RawMessage, crlf_lines};

/// `simple` or `relaxed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Canon {
    /// Bytes as they are (header) / only trailing empty lines removed (body).
    Simple,
    /// White space folded, header names lower-cased.
    Relaxed,
}

/// Parse `c=` (`header/body`, body defaulting to simple). `None` for an
/// unknown algorithm.
pub fn parse_c(value: Option<&str>) -> Option<(Canon, Canon)> {
    let value = value.unwrap_or("simple/simple");
    let (h, b) = value.split_once('/').unwrap_or((value, "simple"));
    let one = |s: &str| match s.trim().to_ascii_lowercase().as_str() {
        "simple" => Some(Canon::Simple),
        "relaxed" => Some(Canon::Relaxed),
        _ => None,
    };
    Some((one(h)?, one(b)?))
}

fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// One header field canonicalised, with its CRLF. `field` is as written
/// ([`RawField::raw`]): its line ends are made CRLF as it is appended.
pub fn header(field: &[u8], canon: Canon, out: &mut Vec<u8>) {
    match canon {
        Canon::Simple => crlf_lines(field, out),
        Canon::Relaxed => {
            let colon = field.iter().position(|&b| b == b':').unwrap_or(field.len());
            let name = field.get(..colon).unwrap_or_default();
            // A name folded before its colon keeps its line ends, as on
            // the wire (the value's are dropped below).
            let mut wire = Vec::new();
            let bare_lf =
                memchr::memchr_iter(b'\n', name).any(|i| i == 0 || name.get(i - 1) != Some(&b'\r'));
            let name = if bare_lf {
                let folded = name.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
                let (lines, last) = name.split_at(folded);
                crlf_lines(lines, &mut wire);
                wire.extend_from_slice(last);
                &wire
            } else {
                name
            };
            let value = field.get(colon + 1..).unwrap_or_default();
            let name_end = name.iter().rposition(|&b| !is_wsp(b)).map_or(0, |i| i + 1);
            out.extend(name.iter().take(name_end).map(u8::to_ascii_lowercase));
            out.push(b':');
            // Unfold, squeeze white space, trim both ends.
            let mut pending_space = false;
            let mut started = false;
            for &b in value {
                if b == b'\r' || b == b'\n' {
                    continue;
                }
                if is_wsp(b) {
                    pending_space = started;
                    continue;
                }
                if pending_space {
                    out.push(b' ');
                    pending_space = false;
                }
                out.push(b);
                started = true;
            }
            out.extend_from_slice(b"\r\n");
        }
    }
}

/// The body canonicalised (and cut to `l=` bytes by the caller).
pub fn body(body: &[u8], canon: Canon) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut lines: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
    // split leaves a final empty piece after a trailing LF.
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let mut lines: Vec<&[u8]> = lines
        .into_iter()
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .collect();
    let blank = |l: &&[u8]| match canon {
        Canon::Simple => l.is_empty(),
        Canon::Relaxed => l.iter().all(|&b| is_wsp(b)),
    };
    while lines.last().is_some_and(blank) {
        lines.pop();
    }
    for line in lines {
        match canon {
            Canon::Simple => out.extend_from_slice(line),
            Canon::Relaxed => {
                let mut pending_space = false;
                for &b in line {
                    if is_wsp(b) {
                        pending_space = true;
                        continue;
                    }
                    if pending_space {
                        out.push(b' ');
                        pending_space = false;
                    }
                    out.push(b);
                }
            }
        }
        out.extend_from_slice(b"\r\n");
    }
    if out.is_empty() && canon == Canon::Simple {
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// The signature field itself with the `b=` value removed (RFC 6376 3.7).
pub fn without_b(field: &[u8]) -> Vec<u8> {
    let colon = field.iter().position(|&b| b == b':').map_or(0, |i| i + 1);
    let mut out = field.get(..colon).unwrap_or_default().to_vec();
    let value = field.get(colon..).unwrap_or_default();
    let mut start = 0;
    while start <= value.len() {
        let end = value
            .get(start..)
            .and_then(|v| v.iter().position(|&b| b == b';'))
            .map_or(value.len(), |i| start + i);
        let tag = value.get(start..end).unwrap_or_default();
        let eq = tag.iter().position(|&b| b == b'=');
        let name_is_b = eq.is_some_and(|eq| {
            let name: Vec<u8> = tag
                .get(..eq)
                .unwrap_or_default()
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            name == b"b"
        });
        match (name_is_b, eq) {
            (true, Some(eq)) => out.extend_from_slice(tag.get(..=eq).unwrap_or_default()),
            _ => out.extend_from_slice(tag),
        }
        if end < value.len() {
            out.push(b';');
        }
        start = end + 1;
    }
    // A b= that ran to the end of the field took the final line end with
    // it.
    if !out.ends_with(b"\n") && field.ends_with(b"\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// The header hash input: the `h=` fields, each chosen from the bottom up,
/// then the signature field without `b=` and without its final CRLF.
///
/// Read in one pass over the fields, holding for each name in `signed` only
/// its last instances (as many as `signed` lists it): a message of a
/// million fields costs no list of them.
pub fn header_input(
    message: &RawMessage<'_>,
    signed: &[String],
    signature: &RawField<'_>,
    canon: Canon,
) -> Vec<u8> {
    // Each distinct name (lower-cased), with how many times `signed`
    // lists it; and for each entry of `signed`, its name and which
    // instance from the bottom it takes (RFC 6376 5.4.2: the k-th time a
    // name is listed takes the k-th field of that name from the bottom).
    let mut wanted: BTreeMap<Vec<u8>, usize> = BTreeMap::new();
    let mut picks = Vec::with_capacity(signed.len());
    for name in signed {
        let key = name.as_bytes().to_ascii_lowercase();
        let count = wanted.entry(key.clone()).or_insert(0);
        picks.push((key, *count));
        *count += 1;
    }
    let longest = wanted.keys().map(Vec::len).max().unwrap_or(0);
    // One pass over the fields, not one per listed name (h= may list
    // thousands of names over thousands of fields), keeping the last
    // instances of each wanted name, oldest first.
    let mut last: BTreeMap<&[u8], VecDeque<RawField<'_>>> = BTreeMap::new();
    let mut key = Vec::new();
    for field in message.fields() {
        if field.name.len() > longest {
            continue;
        }
        key.clear();
        key.extend(field.name.bytes().map(|b| b.to_ascii_lowercase()));
        let Some((name, &keep)) = wanted.get_key_value(key.as_slice()) else {
            continue;
        };
        let kept = last.entry(name.as_slice()).or_default();
        if kept.len() == keep {
            kept.pop_front();
        }
        kept.push_back(field);
    }
    let mut out = Vec::new();
    for (name, nth) in &picks {
        let chosen = last
            .get(name.as_slice())
            .and_then(|kept| kept.len().checked_sub(nth + 1).and_then(|i| kept.get(i)));
        if let Some(field) = chosen {
            header(field.raw, canon, &mut out);
        }
    }
    header(&without_b(signature.raw), canon, &mut out);
    if out.ends_with(b"\r\n") {
        out.truncate(out.len() - 2);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The signatures' view borrows the header block as written (issue 19
    /// item 3): a field with bare LF line ends, or none on its last line,
    /// hashes as on the wire, with CRLF.
    #[test]
    fn a_field_with_bare_lf_line_ends_hashes_with_crlf() {
        for (written, wire) in [
            (&b"A: 1\n  2\n"[..], &b"A: 1\r\n  2\r\n"[..]),
            (b"A: 1\r\n  2", b"A: 1\r\n  2\r\n"),
            (b"A: x\r\r\n", b"A: x\r\r\n"),
            (b"Na\n me : x\n", b"Na\r\n me : x\r\n"),
            (b"D: a=1; b=ab\n\tcd\n", b"D: a=1; b=ab\r\n\tcd\r\n"),
        ] {
            let mut simple = Vec::new();
            header(written, Canon::Simple, &mut simple);
            assert_eq!(simple, wire, "{:?}", String::from_utf8_lossy(written));
            for canon in [Canon::Simple, Canon::Relaxed] {
                let (mut a, mut b) = (Vec::new(), Vec::new());
                header(written, canon, &mut a);
                header(wire, canon, &mut b);
                assert_eq!(a, b, "{:?}", String::from_utf8_lossy(written));
                let (mut a, mut b) = (Vec::new(), Vec::new());
                header(&without_b(written), canon, &mut a);
                header(&without_b(wire), canon, &mut b);
                assert_eq!(a, b, "{:?}", String::from_utf8_lossy(written));
            }
        }
        let mut relaxed = Vec::new();
        header(b"Na\n me : x\n", Canon::Relaxed, &mut relaxed);
        assert_eq!(relaxed, b"na\r\n me:x\r\n");
    }

    #[test]
    fn relaxed_header_per_rfc6376_3_4_5_example() {
        let mut out = Vec::new();
        header(b"A: X\r\n", Canon::Relaxed, &mut out);
        header(b"B : Y\t\r\n\tZ  \r\n", Canon::Relaxed, &mut out);
        assert_eq!(out, b"a:X\r\nb:Y Z\r\n");
    }

    #[test]
    fn body_examples_from_rfc6376_3_4_5() {
        let body_in = b" C \r\nD \t E\r\n\r\n\r\n";
        assert_eq!(super::body(body_in, Canon::Relaxed), b" C\r\nD E\r\n");
        assert_eq!(super::body(body_in, Canon::Simple), b" C \r\nD \t E\r\n");
        assert_eq!(super::body(b"", Canon::Simple), b"\r\n");
        assert_eq!(super::body(b"", Canon::Relaxed), b"");
        assert_eq!(super::body(b"x", Canon::Relaxed), b"x\r\n");
    }

    #[test]
    fn b_value_is_emptied_but_bh_is_kept() {
        let f = b"DKIM-Signature: a=rsa-sha256; bh=AB=; b=xy\r\n z;\r\n";
        assert_eq!(
            without_b(f),
            b"DKIM-Signature: a=rsa-sha256; bh=AB=; b=;\r\n"
        );
        let last = b"DKIM-Signature: bh=AB=; b = xy\r\n z\r\n";
        assert_eq!(without_b(last), b"DKIM-Signature: bh=AB=; b =\r\n");
    }

    #[test]
    fn unknown_canonicalisation_is_none() {
        assert_eq!(
            parse_c(Some("relaxed")),
            Some((Canon::Relaxed, Canon::Simple))
        );
        assert_eq!(parse_c(Some("fancy/simple")), None);
    }
}
