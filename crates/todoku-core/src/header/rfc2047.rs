//! RFC 2047 encoded words (`=?charset?B|Q?text?=`) in header values.
//!
//! [`word`] reads one encoded word where a structured parser (an address's
//! display name) has found a token; [`decode_text`] reads a whole
//! unstructured value (`Subject`): folding becomes one space, every encoded
//! word is decoded, the white space between two encoded words is dropped
//! (section 6.2) and adjacent words in the same charset are joined before
//! their bytes are converted, so a character a sloppy encoder split across
//! two words still decodes. ISO-2022-JP words that each open and close
//! their own escapes join to an escape right after another, which WHATWG
//! decoders reject: [`charset::decode_legacy`] drops the idle one, so each
//! such word reads as it would alone. Text that is not an encoded word is
//! read as UTF-8 with replacement characters ([`decode_text_in`]: in the
//! charset [`crate::header::legacy`] guessed for a raw value).
//!
//! Words are read as mail clients read them: base64 with its padding
//! missing or doubled, and a word a folder broke with a line break (or
//! whose fold left only a space in the base64) still decode.
//!
//! The bytes of a word become text through [`Charsets`]: UTF-8 and US-ASCII
//! here, the legacy CJK charsets through [`Charsets::decode`] (malformed
//! bytes: U+FFFD, through the replacement decoder), any other label
//! (ISO-8859-x, windows-125x, KOI8-R…) through [`Charsets::decode_label`].
//! A charset no backend reads is taken as UTF-8 with replacement
//! characters.

use crate::header::charset::{self, Charsets, Legacy};

/// Longest encoded word read (RFC 2047 allows 75; real mail writes longer).
const MAX_WORD: usize = 998;

/// Longest encoded word read across a line break.
const MAX_FOLDED_WORD: usize = 200;

/// One decoded encoded word: its charset label (without an RFC 2231
/// `*language` suffix), the decoded bytes, and how many input bytes it took.
pub(crate) struct Word<'a> {
    pub(crate) charset: &'a [u8],
    pub(crate) bytes: Vec<u8>,
    pub(crate) len: usize,
}

/// The encoded word at the start of `input`, decoded to bytes; `None` when
/// `input` does not start with a well-formed one.
pub(crate) fn word(input: &[u8]) -> Option<Word<'_>> {
    let rest = input.strip_prefix(b"=?")?;
    let label_len = rest.iter().take(MAX_WORD).position(|&b| b == b'?')?;
    let (label, rest) = rest.split_at(label_len);
    if label.iter().any(|&b| b <= b' ' || b >= 0x7f) {
        return None;
    }
    let charset = label.split(|&b| b == b'*').next().unwrap_or_default();
    if charset.is_empty() {
        return None;
    }
    let (base64, rest) = match rest {
        [b'?', b'b' | b'B', b'?', rest @ ..] => (true, rest),
        [b'?', b'q' | b'Q', b'?', rest @ ..] => (false, rest),
        _ => return None,
    };
    let window = rest.get(..MAX_WORD + 1).unwrap_or(rest);
    let end = memchr::memchr_iter(b'?', window).find(|&at| window.get(at + 1) == Some(&b'='))?;
    let payload = rest.get(..end)?;
    let bytes = if base64 { b64(payload)? } else { q(payload)? };
    Some(Word {
        charset,
        bytes,
        len: input.len() - rest.len() + end + 2,
    })
}

/// An encoded word a folder broke with a line break (`=?utf-8?Q?Hello\r\n
/// _there?=`): read with the line breaks and the white space after them
/// removed. `len` counts the input bytes, breaks included.
fn folded_word(input: &[u8]) -> Option<Word<'_>> {
    if !input.starts_with(b"=?") {
        return None;
    }
    let mut joined = Vec::new();
    let mut marks = 0;
    let mut i = 0;
    let mut folded = false;
    while let Some(&b) = input.get(i) {
        // A folder breaks a word of at most 75 bytes (RFC 2047 2); looking
        // further at every `=?` would make a long value quadratic.
        if joined.len() > MAX_FOLDED_WORD {
            return None;
        }
        if b == b'\r' || b == b'\n' {
            folded = true;
            i += input
                .get(i..)
                .unwrap_or_default()
                .iter()
                .take_while(|&&c| is_fws(c))
                .count();
            continue;
        }
        joined.push(b);
        i += 1;
        marks += usize::from(b == b'?');
        if marks >= 4 && joined.ends_with(b"?=") {
            break;
        }
    }
    let w = word(&joined).filter(|w| folded && w.len == joined.len())?;
    let charset_len = w.charset.len();
    // The label never holds a line break, so it is the input's own bytes.
    let charset = input.get(2..2 + charset_len).filter(|c| *c == w.charset)?;
    Some(Word {
        charset,
        bytes: w.bytes,
        len: i,
    })
}

/// Base64 as encoders write it in words, read as mail clients do: padding
/// missing or doubled (`...KEI==` for `...KEI=`, seen in Japanese carriers'
/// bounces), white space a broken fold left inside skipped, bits short of a
/// byte dropped. `=` ends a quantum, so pieces padded and then joined
/// (`YQ==Yg==`) read as both. Any other byte outside the alphabet: `None`.
fn b64(payload: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(payload.len() / 4 * 3 + 2);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in payload {
        let v = match crate::header::base64::sextet(c) {
            Some(v) => v,
            None if c == b'=' => {
                (acc, bits) = (0, 0);
                continue;
            }
            None if is_fws(c) => continue,
            None => return None,
        };
        acc = (acc << 6 | u32::from(v)) & 0x00ff_ffff;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from(acc >> bits & 0xff).unwrap_or_default());
        }
    }
    Some(out)
}

/// The Q encoding (section 4.2): `_` is a space, `=XX` a byte. A literal
/// space or tab, which encoders should not write but do, is kept.
fn q(payload: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(payload.len());
    let mut bytes = payload.iter();
    while let Some(&b) = bytes.next() {
        match b {
            b'_' => out.push(b' '),
            b'=' => {
                let hi = hex(*bytes.next()?)?;
                let lo = hex(*bytes.next()?)?;
                out.push(hi << 4 | lo);
            }
            b'\r' | b'\n' => return None,
            _ => out.push(b),
        }
    }
    Some(out)
}

fn hex(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Bytes in the charset `label` names, appended to `out` as text.
pub(crate) fn convert(label: &[u8], bytes: &[u8], charsets: &dyn Charsets, out: &mut String) {
    if let Some(legacy) = Legacy::from_label(label) {
        // Malformed: 8-bit bytes that are UTF-8 were mislabelled and read
        // as such; otherwise U+FFFD where malformed, as the recipient's mail
        // client shows it (not the raw bytes, escape sequences included).
        let mislabelled = !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok();
        match charset::decode_legacy(charsets, legacy, bytes).or_else(|| {
            (!mislabelled)
                .then(|| charset::decode_legacy_lossy(charsets, legacy, bytes))
                .flatten()
        }) {
            Some(text) => push_owned(out, text),
            None => push_lossy(out, bytes),
        }
        return;
    }
    let utf8 = [&b"utf-8"[..], b"utf8", b"us-ascii", b"ascii"]
        .iter()
        .any(|l| label.eq_ignore_ascii_case(l));
    if utf8 {
        // A byte order mark some encoders put first is not text.
        push_lossy(
            out,
            bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes),
        );
        return;
    }
    if label.eq_ignore_ascii_case(b"utf-7") {
        utf7(bytes, out);
        return;
    }
    let text = std::str::from_utf8(label)
        .ok()
        .and_then(|label| charsets.decode_label(label, bytes));
    match text {
        Some(text) => push_owned(out, text),
        None => push_lossy(out, bytes),
    }
}

/// `text` appended to `out`, taken over when `out` is empty: a value read
/// in one piece is not copied again (issue 19 item 3).
fn push_owned(out: &mut String, text: String) {
    if out.is_empty() {
        *out = text;
    } else {
        out.push_str(&text);
    }
}

/// UTF-7 (RFC 2152), which old Outlook versions used in headers and no
/// WHATWG decoder reads: `+` starts base64 of UTF-16, `-` or any byte
/// outside the alphabet ends it, `+-` is a plus sign.
fn utf7(bytes: &[u8], out: &mut String) {
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        if b != b'+' {
            out.push(char::from(b & 0x7f));
            continue;
        }
        let run = bytes
            .get(i..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'+' || **c == b'/')
            .count();
        let encoded = bytes.get(i..i + run).unwrap_or_default();
        i += run;
        if bytes.get(i) == Some(&b'-') {
            i += 1;
            if run == 0 {
                out.push('+');
                continue;
            }
        }
        // Base64 without padding, 16-bit units; leftover bits are dropped.
        let mut units = Vec::with_capacity(run * 6 / 16);
        let (mut acc, mut bits) = (0u32, 0u32);
        for &c in encoded {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                _ => 63,
            };
            acc = (acc << 6 | u32::from(v)) & 0x3f_ffff;
            bits += 6;
            if bits >= 16 {
                bits -= 16;
                units.push(u16::try_from(acc >> bits & 0xffff).unwrap_or(0xfffd));
            }
        }
        out.extend(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)));
    }
}

/// `bytes` as UTF-8, invalid sequences replaced.
pub(crate) fn push_lossy(out: &mut String, bytes: &[u8]) {
    out.push_str(&crate::header::text::lossy_cow(bytes));
}

fn is_fws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// An unstructured value as text (see the module documentation).
pub(crate) fn decode_text(raw: &[u8], charsets: &dyn Charsets) -> String {
    decode_text_in(raw, charsets, None)
}

/// Text converted in order: the bytes of adjacent encoded words in one
/// charset, or of the plain text between words, are gathered and converted
/// together.
struct Text<'a, 'c> {
    out: String,
    charsets: &'c dyn Charsets,
    /// The charset raw 8-bit text outside encoded words is in (`None`: UTF-8).
    plain_charset: Option<&'static str>,
    /// The charset of `pending` (`None`: plain text).
    label: Option<&'a [u8]>,
    pending: Vec<u8>,
}

impl<'a> Text<'a, '_> {
    fn flush(&mut self) {
        match self.label.or(self.plain_charset.map(str::as_bytes)) {
            Some(label) => convert(label, &self.pending, self.charsets, &mut self.out),
            None => push_lossy(&mut self.out, &self.pending),
        }
        // Emptied, its room kept for the next run.
        self.pending.clear();
    }

    /// Bytes of an encoded word in `label`: joined to the words before it
    /// in the same charset, so that a character a sloppy encoder split
    /// across two words still decodes.
    fn word(&mut self, label: &'a [u8], bytes: &[u8]) {
        if !self.label.is_some_and(|l| l.eq_ignore_ascii_case(label)) {
            self.flush();
            self.label = Some(label);
        }
        self.pending.extend_from_slice(bytes);
    }

    fn plain(&mut self, bytes: &[u8]) {
        if self.label.is_some() {
            self.flush();
            self.label = None;
        }
        self.pending.extend_from_slice(bytes);
    }
}

/// Text without encoded words, as [`decode_text_in`] reads it: converted
/// straight from the input (no copy of its bytes is gathered first), then
/// each run of white space holding a line end made one space in place
/// (line ends are never part of a character in the charsets read here;
/// issue 19 item 3).
fn plain_text(
    input: &[u8],
    charsets: &dyn Charsets,
    plain_charset: Option<&'static str>,
) -> String {
    let mut out = String::new();
    match plain_charset {
        Some(label) => convert(label.as_bytes(), input, charsets, &mut out),
        None => push_lossy(&mut out, input),
    }
    if !out.contains(['\r', '\n']) {
        return out;
    }
    let mut bytes = out.into_bytes();
    let (mut read, mut write) = (0, 0);
    while read < bytes.len() {
        let run = bytes
            .get(read..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&b| is_fws(b))
            .count();
        if run == 0 {
            bytes.copy_within(read..read + 1, write);
            read += 1;
            write += 1;
            continue;
        }
        let folded = bytes
            .get(read..read + run)
            .is_some_and(|r| r.iter().any(|&b| b == b'\r' || b == b'\n'));
        if folded {
            if let Some(b) = bytes.get_mut(write) {
                *b = b' ';
            }
            write += 1;
        } else {
            bytes.copy_within(read..read + run, write);
            write += run;
        }
        read += run;
    }
    bytes.truncate(write);
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// [`decode_text`], with text outside encoded words in the charset named
/// `plain_charset` (a raw legacy value, see [`crate::header::legacy`]), else UTF-8.
pub(crate) fn decode_text_in(
    raw: &[u8],
    charsets: &dyn Charsets,
    plain_charset: Option<&'static str>,
) -> String {
    let start = raw.iter().position(|&b| !is_fws(b)).unwrap_or(raw.len());
    let end = raw
        .iter()
        .rposition(|&b| !is_fws(b))
        .map_or(start, |at| at + 1);
    let input = raw.get(start..end).unwrap_or_default();
    // ISO-2022-JP is read in states that a folding line end would cut
    // across: folded, it is read from the gathered bytes below.
    let stateful = plain_charset.is_some_and(|c| c.eq_ignore_ascii_case("ISO-2022-JP"))
        && input.iter().any(|&b| b == b'\r' || b == b'\n');
    if !stateful && memchr::memmem::find(input, b"=?").is_none() {
        return plain_text(input, charsets, plain_charset);
    }
    // The bytes waiting to be converted are never more than the input:
    // sized once, they are not grown by doubling (a long value would be
    // held three times over while the buffer moves). The text is not sized
    // up front: it is often one piece, taken over as it is converted
    // (push_owned), and a reserve would be held beside it (issue 19 item 3).
    let mut text = Text {
        out: String::new(),
        charsets,
        plain_charset,
        label: None,
        pending: Vec::with_capacity(input.len()),
    };
    let mut at = 0;
    let mut last_was_word = false;
    // The word after white space, already read to decide that the space
    // goes: used as it is instead of being read again.
    let mut ahead: Option<Word<'_>> = None;
    while let Some(&b) = input.get(at) {
        if is_fws(b) {
            let len = input
                .get(at..)
                .unwrap_or_default()
                .iter()
                .take_while(|&&b| is_fws(b))
                .count();
            let space = input.get(at..at + len).unwrap_or_default();
            at += len;
            // White space between two encoded words is dropped.
            if last_was_word {
                let next = input.get(at..).unwrap_or_default();
                ahead = word(next).or_else(|| folded_word(next));
                if ahead.is_some() {
                    continue;
                }
            }
            if space.iter().any(|&b| b == b'\r' || b == b'\n') {
                text.plain(b" ");
            } else {
                text.plain(space);
            }
            last_was_word = false;
        } else if let Some(w) = ahead.take().or_else(|| {
            let rest = input.get(at..).filter(|_| b == b'=')?;
            word(rest).or_else(|| folded_word(rest))
        }) {
            text.word(w.charset, &w.bytes);
            at += w.len;
            last_was_word = true;
        } else {
            // Plain text up to the next white space or `=`.
            let rest = input.get(at + 1..).unwrap_or_default();
            let len = 1 + rest
                .iter()
                .position(|&b| b == b'=' || is_fws(b))
                .unwrap_or(rest.len());
            text.plain(input.get(at..at + len).unwrap_or_default());
            at += len;
            last_was_word = false;
        }
    }
    text.flush();
    text.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::charset::NoCharsets;

    fn text(raw: &str) -> String {
        decode_text(raw.as_bytes(), &NoCharsets)
    }

    #[test]
    fn words_decode_and_the_space_between_them_goes() {
        assert_eq!(
            text("Re: =?utf-8?q?caf=C3?= =?utf-8?q?=A9?= menu"),
            "Re: café menu"
        );
        assert_eq!(
            text("=?UTF-8?B?44GT44KT?=\r\n =?UTF-8?B?44Gr44Gh44Gv?="),
            "こんにちは"
        );
        assert_eq!(text("a  b\r\n\tc"), "a  b c");
        assert_eq!(text("=?utf-8*en?Q?a_b?="), "a b");
    }

    #[test]
    fn broken_words_stay_as_written() {
        assert_eq!(text("=?utf-8?x?abc?= =?"), "=?utf-8?x?abc?= =?");
        assert_eq!(text("=?utf-8?q?a b?="), "a b");
        assert_eq!(text("x=?utf-8?q?=ZZ?="), "x=?utf-8?q?=ZZ?=");
        assert_eq!(text("=?utf-8?q?ok?= =?utf-8?q?=ZZ?="), "ok =?utf-8?q?=ZZ?=");
    }

    #[test]
    fn utf7_and_a_leading_byte_order_mark() {
        // spamassassin nice/ Outlook 2000 subject.
        assert_eq!(text("=?utf-7?Q?Fr+APY-sche?="), "Frösche");
        assert_eq!(text("=?utf-7?Q?1_+-_1_+ZeVnLIqe-?="), "1 + 1 日本語");
        assert_eq!(text("=?utf-8?b?77u/8J+RiSB0ZXN0?="), "👉 test");
    }

    #[test]
    fn a_word_broken_by_folding_still_decodes() {
        // stalwart unstructured.json 24-28.
        assert_eq!(text("=?utf-8?Q?Hello\r\n   \t  _there!?="), "Hello there!");
        assert_eq!(
            text("x =?utf-8?B?VGhpcyBpcyB0aGUgb\n 3JpZ2luYWw=?= y"),
            "x This is the original y"
        );
        assert_eq!(text("=?utf-8?q?a\r\n b"), "=?utf-8?q?a b");
    }

    #[test]
    fn unpadded_base64_decodes() {
        assert_eq!(text("=?utf-8?b?Y2Fmw6k?="), "café");
    }
}

#[cfg(all(test, feature = "encoding"))]
mod charset_tests {
    use super::*;
    use crate::header::charset::Builtin;

    fn text(raw: &[u8]) -> String {
        decode_text(raw, &Builtin)
    }

    #[test]
    fn adjacent_iso_2022_jp_words_with_their_own_escapes() {
        // Each word opens (ESC $ B) and closes (ESC ( B) its own escapes, as
        // Japanese mail clients write them; joined as they are, the close of
        // one and the open of the next are two escapes in a row, which a
        // WHATWG decoder rejects.
        let raw = b"=?ISO-2022-JP?B?GyRCIVo9RU1XIVsbKEI=?= =?ISO-2022-JP?B?GyRCMnE1RBsoQg==?=\r\n =?ISO-2022-JP?B?GyRCJE4kKkNOJGkkOxsoQg==?=";
        assert_eq!(text(raw), "【重要】会議のお知らせ");
        // A Japanese carrier's bounce: words, plain text and an empty word.
        let raw = b"DELIVERY FAILURE: \r\n =?ISO-2022-JP?B?GyRCJWYhPCU2ITwbKEI=?= Neko\r\n =?US-ASCII?Q??=\r\n =?ISO-2022-JP?B?GyRCJE8bKEI=?= x";
        assert_eq!(text(raw), "DELIVERY FAILURE: ユーザー Neko は x");
    }

    #[test]
    fn a_character_split_across_words_is_joined() {
        // UTF-8: 日 and the first byte of 本, then the rest of 本.
        assert_eq!(text(b"=?UTF-8?B?5pel5g==?= =?UTF-8?B?nKw=?="), "日本");
        // Shift_JIS: テ and the lead byte of ス, then its trail byte and ト.
        assert_eq!(text(b"=?Shift_JIS?B?g2WD?= =?Shift_JIS?B?WINn?="), "テスト");
        assert_eq!(
            text(b"=?shift_jis?B?kw==?=\r\n =?shift_jis?B?jIue?="),
            "東京"
        );
    }

    #[test]
    fn over_padded_base64_decodes() {
        // Japanese carrier bounce: one `=` too many.
        assert_eq!(
            text(b"=?ISO-2022-JP?B?VW5kZWxpdmVyYWJsZTogGyRCJEskYyE8JHMbKEI==?="),
            "Undeliverable: にゃーん"
        );
        assert_eq!(text(b"=?utf-8?B?Y2Fmw6k===?= ok"), "café ok");
        // Padding missing.
        assert_eq!(text(b"=?utf-8?B?5pel5pys?="), "日本");
        assert_eq!(text(b"=?utf-8?B?5pel5g?= =?utf-8?B?nKw?="), "日本");
    }

    #[test]
    fn an_encoded_word_broken_by_bad_folding() {
        // The fold falls inside the encoded text, inside the `?B?`, or it
        // lost its line break on the way and left a space.
        assert_eq!(
            text(b"=?ISO-2022-JP?B?GyRCJEskYyE8\r\n JHMbKEI=?="),
            "にゃーん"
        );
        assert_eq!(text(b"=?UTF-8?B?\r\n 44GT44KT?= x"), "こん x");
        assert_eq!(text(b"=?UTF-8?B?44GT 44KT?= x"), "こん x");
    }

    #[test]
    fn a_malformed_iso_2022_jp_word_is_not_shown_as_escape_bytes() {
        // A vertical tab in the middle of the kanji: the rest still reads.
        assert_eq!(
            text(b"=?ISO-2022-JP?B?GyRCJDMkcyQLJEEkTxsoQg==?= =?ISO-2022-JP?B?GyRCJDMbKEI=?="),
            "こん\u{fffd}ちはこ"
        );
        // UTF-8 labelled ISO-2022-JP (7-bit only) is read as the UTF-8 it is.
        assert_eq!(text(b"=?iso-2022-jp?q?caf=C3=A9?="), "café");
    }
}
