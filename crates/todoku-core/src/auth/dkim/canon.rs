//! DKIM canonicalisation (RFC 6376 section 3.4) and the header hash input.

use std::collections::BTreeMap;

use crate::input::message::RawField;

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

/// One header field canonicalised, with its CRLF.
pub fn header(field: &[u8], canon: Canon, out: &mut Vec<u8>) {
    match canon {
        Canon::Simple => out.extend_from_slice(field),
        Canon::Relaxed => {
            let colon = field.iter().position(|&b| b == b':').unwrap_or(field.len());
            let name = field.get(..colon).unwrap_or_default();
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
    // A b= that ran to the end of the field took the final CRLF with it.
    if !out.ends_with(b"\r\n") && field.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// The header hash input: the `h=` fields, each chosen from the bottom up,
/// then the signature field without `b=` and without its final CRLF.
pub fn header_input(
    fields: &[RawField],
    signed: &[String],
    signature: &RawField,
    canon: Canon,
) -> Vec<u8> {
    // For each name h= lists (lower-cased), the fields of that name, top
    // first: the k-th time a name is listed takes the k-th field from the
    // bottom (RFC 6376 5.4.2). One pass over the fields, not one per listed
    // name: h= may list thousands of names over thousands of fields.
    // Inserted one by one: collecting would sort the names with a stable
    // sort compiled for this type alone (3 KB of WebAssembly).
    let mut wanted: BTreeMap<String, Vec<&RawField>> = BTreeMap::new();
    for name in signed {
        wanted.entry(name.to_ascii_lowercase()).or_default();
    }
    let longest = wanted.keys().map(String::len).max().unwrap_or(0);
    let mut lower = String::new();
    for field in fields {
        if field.name.len() > longest {
            continue;
        }
        lower.clear();
        lower.extend(field.name.chars().map(|c| c.to_ascii_lowercase()));
        if let Some(list) = wanted.get_mut(&lower) {
            list.push(field);
        }
    }
    let mut out = Vec::new();
    for name in signed {
        if let Some(field) = wanted
            .get_mut(&name.to_ascii_lowercase())
            .and_then(Vec::pop)
        {
            header(&field.raw, canon, &mut out);
        }
    }
    header(&without_b(&signature.raw), canon, &mut out);
    if out.ends_with(b"\r\n") {
        out.truncate(out.len() - 2);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
