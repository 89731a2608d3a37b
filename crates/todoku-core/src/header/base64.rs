//! Base64 (RFC 4648 section 4) for the tags of DKIM and ARC signatures and
//! keys (`b=`, `bh=`, `p=`): strict, as the base64 crate's standard engine
//! read them before (canonical padding, no bits left over), so a value a
//! receiver would refuse is refused here too. RFC 2047 words are read
//! leniently by [`crate::header::rfc2047`] with the same alphabet.
//! Our own small reader: the page's engine is held to a size budget and
//! the crate's generic engines cost about 2 KB gzipped there.

/// The value of one base64 character, or `None`.
pub(crate) fn sextet(c: u8) -> Option<u8> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    })
}

/// `text` decoded, or `None` when it is not canonical base64: a length
/// that is not a multiple of 4, a byte outside the alphabet, `=` anywhere
/// but the last one or two places, or bits set past the last byte.
pub(crate) fn decode(text: &[u8]) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(4) {
        return None;
    }
    let pad = text.iter().rev().take_while(|&&c| c == b'=').count();
    if pad > 2 {
        return None;
    }
    let body = text.get(..text.len() - pad)?;
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in body {
        acc = acc << 6 | u32::from(sextet(c)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from(acc >> bits & 0xff).ok()?);
            acc &= (1 << bits) - 1;
        }
    }
    // What is left must be the zero bits of an unfinished byte.
    (acc == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_canonical_base64_and_refuses_the_rest() {
        // RFC 4648 section 10's test vectors.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(
                decode(encoded.as_bytes()).as_deref(),
                Some(plain.as_bytes())
            );
        }
        assert_eq!(decode(b"+/+/").as_deref(), Some(&[0xfb, 0xff, 0xbf][..]));
        for bad in [
            &b"Zg="[..], // not a multiple of 4
            b"Zg",
            b"Z===",      // three pads
            b"Zm=v",      // a pad inside
            b"Zh==",      // bits left over (h = 33: 0b100001)
            b"Zm9v Yg==", // a space
            b"Zm9-",      // base64url's alphabet
        ] {
            assert_eq!(decode(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    /// The same answers as the base64 crate's standard engine, which read
    /// these values before, on every 0..=3-byte input and its mutations.
    #[test]
    fn agrees_with_the_base64_crate() {
        use base64::Engine as _;
        let engine = base64::engine::general_purpose::STANDARD;
        let alphabet = b"AZaz09+/=-_ ";
        let mut checked = 0;
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    for d in alphabet {
                        let text = [*a, *b, *c, *d];
                        assert_eq!(decode(&text), engine.decode(text).ok(), "{text:?}");
                        let eight = [b'Z', b'm', b'9', b'v', *a, *b, *c, *d];
                        assert_eq!(decode(&eight), engine.decode(eight).ok(), "{eight:?}");
                        checked += 2;
                    }
                }
            }
        }
        assert_eq!(checked, 2 * 12usize.pow(4));
    }
}
