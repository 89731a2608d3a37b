//! Text in the multi-byte legacy charsets (Japanese, Chinese, Korean), read
//! through a backend.
//!
//! Decoding these charsets needs large tables (about 140 KB gzipped in
//! WebAssembly), and every browser already carries them in `TextDecoder`.
//! So the core names the charset and a [`Charsets`] backend converts the
//! bytes: [`Builtin`] (`encoding_rs`, feature `encoding`, used by the CLI and
//! the tests) or the page's `TextDecoder` (in `todoku-web`). Both implement
//! the WHATWG Encoding Standard, so the same bytes give the same text and the
//! report stays deterministic. Without a backend ([`NoCharsets`]) such text
//! is read as UTF-8 with replacement characters, as the rest of the parser
//! does for unknown charsets.

/// A multi-byte legacy charset, by its WHATWG Encoding Standard name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Legacy {
    /// Shift_JIS (Windows-31J): Japanese Windows and mobile mail.
    ShiftJis,
    /// EUC-JP: Japanese Unix mail.
    EucJp,
    /// ISO-2022-JP: the 7-bit Japanese mail charset (RFC 1468).
    Iso2022Jp,
    /// GBK (also gb2312): Simplified Chinese.
    Gbk,
    /// gb18030: Simplified Chinese, all of Unicode.
    Gb18030,
    /// Big5: Traditional Chinese.
    Big5,
    /// EUC-KR (also ks_c_5601-1987): Korean.
    EucKr,
}

impl Legacy {
    /// Every legacy charset.
    pub const ALL: [Legacy; 7] = [
        Legacy::ShiftJis,
        Legacy::EucJp,
        Legacy::Iso2022Jp,
        Legacy::Gbk,
        Legacy::Gb18030,
        Legacy::Big5,
        Legacy::EucKr,
    ];

    /// The WHATWG name, which is also a `TextDecoder` label.
    pub fn name(self) -> &'static str {
        match self {
            Legacy::ShiftJis => "Shift_JIS",
            Legacy::EucJp => "EUC-JP",
            Legacy::Iso2022Jp => "ISO-2022-JP",
            Legacy::Gbk => "GBK",
            Legacy::Gb18030 => "gb18030",
            Legacy::Big5 => "Big5",
            Legacy::EucKr => "EUC-KR",
        }
    }

    /// Whether the charset can encode U+FFFD itself (only gb18030, whose
    /// decoder GBK shares: bytes 84 31 A4 37), so that a decoder's U+FFFD
    /// may be text rather than the mark of a malformed byte.
    pub fn encodes_replacement_character(self) -> bool {
        matches!(self, Legacy::Gbk | Legacy::Gb18030)
    }

    /// The charset a MIME label (`charset=` or an RFC 2047 word) names:
    /// the WHATWG labels, plus `cp932` and the ISO-2022-JP variants that
    /// mail clients write.
    pub fn from_label(label: &[u8]) -> Option<Legacy> {
        let label = std::str::from_utf8(label).ok()?.trim().to_ascii_lowercase();
        Some(match label.as_str() {
            "shift_jis" | "shift-jis" | "sjis" | "x-sjis" | "ms_kanji" | "ms932" | "cp932"
            | "windows-31j" | "csshiftjis" => Legacy::ShiftJis,
            "euc-jp" | "x-euc-jp" | "cseucpkdfmtjapanese" => Legacy::EucJp,
            "iso-2022-jp" | "csiso2022jp" | "iso-2022-jp-1" | "iso-2022-jp-2" | "iso-2022-jp-3" => {
                Legacy::Iso2022Jp
            }
            "gbk" | "gb2312" | "gb_2312" | "gb_2312-80" | "x-gbk" | "chinese" | "csgb2312"
            | "csiso58gb231280" | "iso-ir-58" | "cp936" | "windows-936" => Legacy::Gbk,
            "gb18030" => Legacy::Gb18030,
            "big5" | "big5-hkscs" | "cn-big5" | "csbig5" | "x-x-big5" => Legacy::Big5,
            "euc-kr" | "cseuckr" | "csksc56011987" | "iso-ir-149" | "korean" | "ks_c_5601-1987"
            | "ks_c_5601-1989" | "ksc5601" | "ksc_5601" | "windows-949" | "cp949" => Legacy::EucKr,
            _ => return None,
        })
    }
}

/// Converts bytes in a legacy charset to text.
pub trait Charsets {
    /// The text, or `None` when `bytes` are not valid in `charset` (or the
    /// backend cannot read it). Must follow the WHATWG Encoding Standard's
    /// decoder for `charset`.
    fn decode(&self, charset: Legacy, bytes: &[u8]) -> Option<String>;

    /// Text in any other charset a MIME label names (ISO-8859-x,
    /// windows-125x, KOI8-R…), invalid bytes replaced; `None` when the
    /// backend does not know the label. Must follow the WHATWG Encoding
    /// Standard's decoder for the label.
    fn decode_label(&self, label: &str, bytes: &[u8]) -> Option<String> {
        let _ = (label, bytes);
        None
    }
}

/// No backend: every legacy charset is unreadable.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoCharsets;

impl Charsets for NoCharsets {
    fn decode(&self, _: Legacy, _: &[u8]) -> Option<String> {
        None
    }
}

/// `encoding_rs`, the Rust implementation of the WHATWG Encoding Standard.
#[cfg(feature = "encoding")]
#[derive(Debug, Default, Clone, Copy)]
pub struct Builtin;

#[cfg(feature = "encoding")]
impl Charsets for Builtin {
    fn decode(&self, charset: Legacy, bytes: &[u8]) -> Option<String> {
        use encoding_rs::{BIG5, EUC_JP, EUC_KR, GB18030, GBK, ISO_2022_JP, SHIFT_JIS};
        let encoding = match charset {
            Legacy::ShiftJis => SHIFT_JIS,
            Legacy::EucJp => EUC_JP,
            Legacy::Iso2022Jp => ISO_2022_JP,
            Legacy::Gbk => GBK,
            Legacy::Gb18030 => GB18030,
            Legacy::Big5 => BIG5,
            Legacy::EucKr => EUC_KR,
        };
        exact(encoding.new_decoder_without_bom_handling(), bytes, false)
    }

    fn decode_label(&self, label: &str, bytes: &[u8]) -> Option<String> {
        let encoding = encoding_rs::Encoding::for_label(label.trim().as_bytes())?;
        // As TextDecoder does: a byte order mark of this encoding goes.
        exact(encoding.new_decoder_with_bom_removal(), bytes, true)
    }
}

/// Room [`exact`] leaves after the measured text: what a decoder asks for
/// beyond the character it writes.
#[cfg(feature = "encoding")]
const DECODER_SLACK: usize = 16;

/// `bytes` decoded by `decoder`, into
/// a String of exactly the text's size: encoding_rs sizes its output for
/// the worst case (three bytes of text per byte for windows-1252 or
/// Shift_JIS), which a long value would keep (issue 19 item 3). The text is
/// measured first, in a small buffer, then written. `None` when
/// `replacement` is off and the bytes are malformed.
#[cfg(feature = "encoding")]
fn exact(decoder: encoding_rs::Decoder, bytes: &[u8], replacement: bool) -> Option<String> {
    use encoding_rs::{CoderResult, DecoderResult};
    // The same kind of decoder as `decoder` (BOM handling included).
    let encoding = decoder.encoding();
    let mut measure = if replacement {
        encoding.new_decoder_with_bom_removal()
    } else {
        encoding.new_decoder_without_bom_handling()
    };
    let mut buffer = [0u8; 4096];
    let (mut size, mut at) = (0usize, 0usize);
    loop {
        let rest = bytes.get(at..).unwrap_or_default();
        if replacement {
            let (result, read, written, _) = measure.decode_to_utf8(rest, &mut buffer, true);
            size += written;
            at += read;
            if result == CoderResult::InputEmpty {
                break;
            }
        } else {
            let (result, read, written) =
                measure.decode_to_utf8_without_replacement(rest, &mut buffer, true);
            size += written;
            at += read;
            match result {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(..) => return None,
            }
        }
    }
    // A decoder asks for room for its longest character (four bytes, two
    // characters for some Big5 pointers) before writing each one, whatever
    // its size: without the slack, a text ending in a character of fewer
    // bytes stopped short and `reserve` below doubled the string (6x the
    // input for a From comment of 8-bit bytes; issue 19 item 3).
    let mut out = String::with_capacity(size + DECODER_SLACK);
    let mut write = decoder;
    let mut at = 0usize;
    loop {
        let rest = bytes.get(at..).unwrap_or_default();
        let (done, read) = if replacement {
            let (result, read, _) = write.decode_to_string(rest, &mut out, true);
            (result == CoderResult::InputEmpty, read)
        } else {
            let (result, read) = write.decode_to_string_without_replacement(rest, &mut out, true);
            match result {
                DecoderResult::InputEmpty => (true, read),
                DecoderResult::OutputFull => (false, read),
                DecoderResult::Malformed(..) => return None,
            }
        };
        at += read;
        if done {
            return Some(out);
        }
        // Not expected (the size was measured); room for the rest.
        out.reserve_exact(DECODER_SLACK);
    }
}

/// The backend [`crate::analyze`] uses: [`Builtin`] with the `encoding`
/// feature, else [`NoCharsets`].
pub fn builtin() -> &'static dyn Charsets {
    #[cfg(feature = "encoding")]
    {
        &Builtin
    }
    #[cfg(not(feature = "encoding"))]
    {
        &NoCharsets
    }
}

/// `bytes` in `charset` through `charsets` (strict: `None` when malformed).
/// ISO-2022-JP text that Japanese mail clients split into encoded words,
/// each opening and closing its own escapes, is read as CPython and the
/// clients read it: an escape sequence directly followed by another has no
/// effect and goes. A WHATWG decoder (encoding_rs, the page's `TextDecoder`)
/// would reject the pair (its "output flag" rule, which stops escapes from
/// hiding text in web pages).
pub(crate) fn decode_legacy(
    charsets: &dyn Charsets,
    charset: Legacy,
    bytes: &[u8],
) -> Option<String> {
    charsets.decode(charset, &without_idle_escapes(charset, bytes))
}

/// As [`decode_legacy`], malformed bytes replaced by U+FFFD (the backend's
/// replacement mode); `None` when the backend cannot read `charset`.
pub(crate) fn decode_legacy_lossy(
    charsets: &dyn Charsets,
    charset: Legacy,
    bytes: &[u8],
) -> Option<String> {
    charsets.decode_label(charset.name(), &without_idle_escapes(charset, bytes))
}

/// ISO-2022-JP bytes without the escape sequences that another escape
/// directly follows (`ESC ( B ESC $ B` is `ESC $ B`); other charsets as
/// they are.
fn without_idle_escapes(charset: Legacy, bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    const ESCAPES: [&[u8]; 5] = [b"\x1b(B", b"\x1b(J", b"\x1b(I", b"\x1b$@", b"\x1b$B"];
    let idle = |at: usize| {
        bytes.get(at + 3) == Some(&0x1b)
            && bytes.get(at..at + 3).is_some_and(|e| ESCAPES.contains(&e))
    };
    if charset != Legacy::Iso2022Jp || !memchr::memchr_iter(0x1b, bytes).any(idle) {
        return std::borrow::Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == 0x1b && idle(i) {
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    std::borrow::Cow::Owned(out)
}

/// An unstructured header value (`Subject`, `Comments`) as text: folding
/// removed, RFC 2047 encoded words decoded, words in a legacy charset
/// through `charsets` (those it cannot read become UTF-8 with replacement
/// characters, as do unknown charsets).
pub fn decode_text(raw: &[u8], charsets: &dyn Charsets) -> String {
    crate::header::rfc2047::decode_text(raw, charsets)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A decoder asks for room for a long character before each one: text
    /// ending in `ÿ` (two bytes) stopped one short of its measured size and
    /// the string doubled (issue 19 item 3).
    #[cfg(feature = "encoding")]
    #[test]
    fn legacy_text_ending_in_a_two_byte_character_is_not_doubled() {
        let text = Builtin
            .decode_label("windows-1252", &[0xff; 1000])
            .unwrap_or_default();
        assert_eq!(text, "ÿ".repeat(1000));
        assert!(
            text.capacity() <= 2000 + DECODER_SLACK,
            "{}",
            text.capacity()
        );
    }

    #[test]
    fn labels_name_their_charsets_in_any_case() {
        assert_eq!(Legacy::from_label(b"ISO-2022-JP"), Some(Legacy::Iso2022Jp));
        assert_eq!(Legacy::from_label(b"Shift_JIS"), Some(Legacy::ShiftJis));
        assert_eq!(Legacy::from_label(b"ks_c_5601-1987"), Some(Legacy::EucKr));
        assert_eq!(Legacy::from_label(b"GB2312"), Some(Legacy::Gbk));
        assert_eq!(Legacy::from_label(b"utf-8"), None);
        assert_eq!(Legacy::from_label(b"iso-8859-1"), None);
        for charset in Legacy::ALL {
            assert_eq!(Legacy::from_label(charset.name().as_bytes()), Some(charset));
        }
    }

    #[test]
    fn words_in_a_legacy_charset_go_through_the_backend() {
        struct Upper;
        impl Charsets for Upper {
            fn decode(&self, charset: Legacy, bytes: &[u8]) -> Option<String> {
                Some(format!("[{}:{}]", charset.name(), bytes.len()))
            }
        }
        // "=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=" is 12 bytes; adjacent words
        // in the same charset are joined before decoding.
        let raw = b" Re: =?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?= =?utf-8?q?caf=C3=A9?=";
        assert_eq!(decode_text(raw, &Upper), "Re: [ISO-2022-JP:12]café");
        // Without a backend the bytes are read as UTF-8.
        assert_eq!(decode_text(b" =?gb2312?q?ok?=", &NoCharsets), "ok");
    }

    #[cfg(feature = "encoding")]
    #[test]
    fn only_the_gb_charsets_can_hold_a_replacement_character() {
        for charset in Legacy::ALL {
            let encoding = encoding_rs::Encoding::for_label(charset.name().as_bytes()).unwrap();
            // GBK's encoder cannot write it, but its decoder (gb18030's) reads it.
            let decoder = if charset == Legacy::Gbk {
                encoding_rs::GB18030
            } else {
                encoding
            };
            let (_, _, unmappable) = decoder.encode("\u{fffd}");
            assert_eq!(
                charset.encodes_replacement_character(),
                !unmappable,
                "{}",
                charset.name()
            );
        }
        assert_eq!(
            encoding_rs::GBK
                .decode_without_bom_handling_and_without_replacement(&[0x84, 0x31, 0xa4, 0x37])
                .as_deref(),
            Some("\u{fffd}")
        );
    }

    #[cfg(feature = "encoding")]
    #[test]
    fn an_escape_directly_after_another_is_dropped_for_the_whatwg_decoder() {
        // こん and こん, each closed (ESC ( B) and reopened (ESC $ B).
        let joined = b"\x1b$B$3$s\x1b(B\x1b$B$3$s\x1b(B";
        // The WHATWG decoder rejects the second escape of the pair.
        assert_eq!(Builtin.decode(Legacy::Iso2022Jp, joined), None);
        assert_eq!(
            decode_legacy(&Builtin, Legacy::Iso2022Jp, joined).as_deref(),
            Some("こんこん")
        );
        // Three in a row, and at the very start.
        assert_eq!(
            decode_legacy(&Builtin, Legacy::Iso2022Jp, b"\x1b(B\x1b(B\x1b$B$3\x1b(B").as_deref(),
            Some("こ")
        );
        // Other charsets are passed as they are.
        assert_eq!(
            without_idle_escapes(Legacy::ShiftJis, b"\x1b(B\x1b$B").as_ref(),
            b"\x1b(B\x1b$B"
        );
    }

    #[cfg(feature = "encoding")]
    #[test]
    fn builtin_rejects_malformed_bytes() {
        assert_eq!(
            Builtin.decode(Legacy::ShiftJis, b"\x8eR\x93c").as_deref(),
            Some("山田")
        );
        assert_eq!(Builtin.decode(Legacy::ShiftJis, b"\x8e"), None);
        assert_eq!(
            Builtin
                .decode(Legacy::Iso2022Jp, b"\x1b$B%F%9%H\x1b(B")
                .as_deref(),
            Some("テスト")
        );
    }
}
