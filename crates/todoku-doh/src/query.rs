//! Building the RFC 8484 GET request.

/// The media type for both `Accept` and the answer's `Content-Type`.
/// A GET with only this header is a CORS "simple request": no preflight.
pub const ACCEPT: &str = "application/dns-message";

/// EDNS(0) padding option code (RFC 7830).
const OPT_PADDING: u16 = 12;
/// Queries are padded to a multiple of this many bytes (RFC 8467 4.1).
const PAD_BLOCK: usize = 128;

/// Why a question could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum QueryError {
    /// The name is not a valid DNS name (empty label, label > 63 bytes, name > 255 bytes).
    InvalidName {
        /// The name as given.
        name: String,
    },
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::InvalidName { name } => write!(f, "not a valid DNS name: {name:?}"),
        }
    }
}

impl std::error::Error for QueryError {}

fn valid_name(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    !name.is_empty()
        && name.len() <= 253
        && name
            .split('.')
            .all(|l| !l.is_empty() && l.len() <= 63 && l.bytes().all(|b| b > b' ' && b != 0x7f))
}

fn build(name: &str, qtype: u16) -> Vec<u8> {
    let name = name.strip_suffix('.').unwrap_or(name);
    let mut out = Vec::with_capacity(PAD_BLOCK);
    // Header (RFC 1035 4.1.1): id 0 so identical questions are cacheable
    // (RFC 8484 4.1), RD and AD set, one question, one additional (OPT).
    out.extend_from_slice(&[0, 0, 0x01, 0x20, 0, 1, 0, 0, 0, 0, 0, 1]);
    for label in name.split('.') {
        // valid_name() keeps every label within 1..=63 bytes.
        out.push(u8::try_from(label.len()).unwrap_or(63));
        out.extend_from_slice(label.as_bytes());
    }
    out.push(0);
    out.extend_from_slice(&qtype.to_be_bytes());
    out.extend_from_slice(&[0, 1]); // class IN
    // OPT (RFC 6891 6.1.2): root owner, type 41, UDP size 1232, no extended
    // flags, one padding option (RFC 7830) whose zero bytes bring the whole
    // message (the OPT record is 15 bytes before them) to a multiple of
    // PAD_BLOCK.
    let padding = (PAD_BLOCK - (out.len() + 15) % PAD_BLOCK) % PAD_BLOCK;
    let padding = u16::try_from(padding).unwrap_or(0);
    out.extend_from_slice(&[0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0]);
    out.extend_from_slice(&(padding + 4).to_be_bytes());
    out.extend_from_slice(&OPT_PADDING.to_be_bytes());
    out.extend_from_slice(&padding.to_be_bytes());
    out.resize(out.len() + usize::from(padding), 0);
    out
}

/// Encode a query for `name`/`qtype`: id 0, RD set, AD requested, EDNS(0)
/// with padding to a multiple of 128 bytes.
pub fn encode_query(name: &str, qtype: u16) -> Result<Vec<u8>, QueryError> {
    let invalid = || QueryError::InvalidName {
        name: name.to_string(),
    };
    if !valid_name(name) {
        return Err(invalid());
    }
    Ok(build(name, qtype))
}

/// The GET URL for `wire` at `endpoint`: base64url without padding, `dns=`
/// as the last parameter (some servers, dnsdist among them, need that).
pub fn get_url(endpoint: &str, wire: &[u8]) -> String {
    let separator = if endpoint.contains('?') { '&' } else { '?' };
    format!("{endpoint}{separator}dns={}", base64url(wire))
}

/// `bytes` in base64url without padding (RFC 4648 section 5, as RFC 8484
/// section 4.1 asks). Our own few lines: the page's engine is held to a
/// size budget, and the base64 crate's engines cost about 2 KB gzipped.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        // 2, 3 or 4 characters for 1, 2 or 3 bytes.
        for k in 0..=chunk.len() {
            let six = (n >> (18 - 6 * k)) & 63;
            out.push(char::from(*ALPHABET.get(six as usize).unwrap_or(&b'A')));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same text as the base64 crate's URL-safe engine without padding,
    /// which wrote it before, for every length up to 64 and every byte.
    #[test]
    fn base64url_agrees_with_the_base64_crate() {
        use base64::Engine as _;
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let bytes: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for len in 0..=64 {
            for start in [0, 1, 62, 63, 190, 250] {
                let piece = &bytes[start..start + len];
                assert_eq!(base64url(piece), engine.encode(piece), "{piece:?}");
            }
        }
        assert_eq!(base64url(b"\xfb\xff"), "-_8");
    }

    #[test]
    fn query_has_id_zero_rd_ad_and_is_padded() {
        let wire = encode_query("_dmarc.example.com", 16).unwrap();
        assert_eq!(wire.len() % PAD_BLOCK, 0, "padded to 128: {}", wire.len());
        assert_eq!(&wire[0..2], &[0, 0], "id 0");
        assert_eq!(wire[2] & 0x01, 0x01, "RD");
        assert_eq!(wire[3] & 0x20, 0x20, "AD requested");
        assert_eq!(u16::from_be_bytes([wire[4], wire[5]]), 1, "one question");
        assert_eq!(
            u16::from_be_bytes([wire[10], wire[11]]),
            1,
            "one additional (OPT)"
        );
        // The question name in wire form.
        assert_eq!(&wire[12..19], b"\x06_dmarc");
        let parsed = simple_dns::Packet::parse(&wire).unwrap();
        let opt = parsed.opt().unwrap();
        assert_eq!(opt.opt_codes[0].code, OPT_PADDING);
    }

    #[test]
    fn url_is_base64url_unpadded_with_dns_last() {
        let url = get_url("http://127.0.0.1:8053/dns-query", &[0xfb, 0xff, 0x00]);
        assert_eq!(url, "http://127.0.0.1:8053/dns-query?dns=-_8A");
        let url = get_url("https://x.example/q?ct=1", &[0]);
        assert_eq!(url, "https://x.example/q?ct=1&dns=AA");
    }

    #[test]
    fn bad_names_are_rejected_with_the_name_quoted() {
        for name in ["", ".", "a..b", &"x".repeat(64), "sp ace.example"] {
            let err = encode_query(name, 16).unwrap_err();
            assert!(err.to_string().contains(&format!("{name:?}")), "{err}");
        }
        assert!(encode_query("trailing.dot.example.", 16).is_ok());
    }
}
