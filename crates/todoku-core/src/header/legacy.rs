//! Header values written in a legacy charset without RFC 2047 encoding:
//! 7-bit ISO-2022-JP escape sequences, or 8-bit Shift_JIS, EUC-JP, GB18030,
//! Big5 or Latin-1 (windows-1252) bytes. Old Japanese mail clients and some
//! mobile carriers still send these; recipients then see mojibake.
//!
//! The charset is a guess from the bytes, so each reading must earn it:
//! valid UTF-8 is UTF-8 (RFC 6532); escape sequences are ISO-2022-JP; a
//! multi-byte CJK charset needs its reading to look like text in its
//! language (kana, common ideographs) more than the Latin-1 reading looks
//! like accented Latin words. Anything else is windows-1252, the WHATWG
//! reading of ISO-8859-1, which is what raw 8-bit Western mail is.

use crate::header::charset::{self, Charsets, Legacy};
use crate::header::rfc2047;

/// The fallback for raw 8-bit text no CJK reading fits.
const LATIN: &str = "windows-1252";

/// The value as text in the charset its raw bytes are in, and that
/// charset's name, when `raw` is not plain UTF-8/ASCII text and `charsets`
/// can read it. Encoded words are left as written (an address list is
/// parsed from this text).
pub(crate) fn decode(raw: &[u8], charsets: &dyn Charsets) -> Option<(String, &'static str)> {
    let charset = guess(raw, charsets)?;
    Some((read(raw, charset, charsets)?, charset.name()))
}

/// An unstructured value (`Subject`) with raw legacy bytes as text: the
/// encoded words decoded, the text outside them in the guessed charset,
/// and that charset's name.
pub(crate) fn decode_text(raw: &[u8], charsets: &dyn Charsets) -> Option<(String, &'static str)> {
    let charset = guess(raw, charsets)?.name();
    Some((
        rfc2047::decode_text_in(raw, charsets, Some(charset)),
        charset,
    ))
}

/// The charset [`guess`] chose.
#[derive(Debug, Clone, Copy)]
enum Guess {
    /// ISO-2022-JP escapes: read strictly, else with U+FFFD.
    Iso2022Jp,
    /// A multi-byte CJK charset whose reading scored best.
    Cjk(Legacy),
    /// windows-1252.
    Latin,
}

impl Guess {
    fn name(self) -> &'static str {
        match self {
            Guess::Iso2022Jp => Legacy::Iso2022Jp.name(),
            Guess::Cjk(charset) => charset.name(),
            Guess::Latin => LATIN,
        }
    }
}

/// `raw` read in the charset [`guess`] chose.
fn read(raw: &[u8], guess: Guess, charsets: &dyn Charsets) -> Option<String> {
    match guess {
        // Malformed escapes read with U+FFFD, not shown as raw bytes.
        Guess::Iso2022Jp => charset::decode_legacy(charsets, Legacy::Iso2022Jp, raw)
            .or_else(|| charset::decode_legacy_lossy(charsets, Legacy::Iso2022Jp, raw)),
        Guess::Cjk(charset) => charsets.decode(charset, raw),
        Guess::Latin => charsets.decode_label(LATIN, raw),
    }
}

/// The charset `raw` is in (see the module documentation), when it is not
/// plain UTF-8/ASCII and `charsets` can read it. Only the charset: the
/// reading is made once, by the caller ([`read`], or the RFC 2047 reader).
fn guess(raw: &[u8], charsets: &dyn Charsets) -> Option<Guess> {
    if raw
        .windows(2)
        .any(|w| w == [0x1b, b'$'] || w == [0x1b, b'('])
    {
        // The backend must read it (strictly or with U+FFFD).
        return charsets
            .decode_label(Legacy::Iso2022Jp.name(), b"")
            .or_else(|| charsets.decode(Legacy::Iso2022Jp, b""))
            .map(|_| Guess::Iso2022Jp);
    }
    if std::str::from_utf8(raw).is_ok() {
        return None;
    }
    let candidates = [
        Legacy::ShiftJis,
        Legacy::EucJp,
        Legacy::Gb18030,
        Legacy::Big5,
    ];
    // On a tie (short names decode as ideographs in several charsets) the
    // earlier, Japanese, candidate wins. The readings are scored piece by
    // piece and none is kept: a value of 8-bit bytes reads up to three
    // times its size in a charset (half-width katakana), and holding two
    // whole readings at once held six (issue 19 item 3).
    let best = candidates
        .into_iter()
        .enumerate()
        .filter_map(|(i, charset)| {
            let score = reading_score(raw, charset, charsets)?;
            Some(((score, std::cmp::Reverse(i)), charset))
        })
        .max_by_key(|(key, _)| *key);
    match best {
        Some(((score, _), charset)) if score > 0 && score > latin_score(raw) => {
            Some(Guess::Cjk(charset))
        }
        // The backend must know windows-1252.
        _ => charsets.decode_label(LATIN, b"").map(|_| Guess::Latin),
    }
}

/// How much the windows-1252 reading of `raw` looks like Western text: its
/// accented letters (bytes C0-FF but × and ÷) next to an ASCII letter, as
/// in "Café" or "Frösche", and its curly quotes where quotes go: an
/// apostrophe between letters ("Don\x92t", which Shift_JIS reads as the
/// common ideograph 稚 and a `t`), an opening quote before a word, a
/// closing one after it. In CJK text, 8-bit bytes stand among other 8-bit
/// bytes.
fn latin_score(raw: &[u8]) -> i64 {
    let letter = |at: Option<usize>| {
        at.and_then(|at| raw.get(at))
            .is_some_and(u8::is_ascii_alphabetic)
    };
    let mut score = 0;
    for (i, &b) in raw.iter().enumerate() {
        let (before, after) = (letter(i.checked_sub(1)), letter(Some(i + 1)));
        score += match b {
            0x91 | 0x92 if before && after => 3,
            0x91 | 0x93 if !before && after => 3,
            0x92 | 0x94 if before && !after => 3,
            0xc0.. if b != 0xd7 && b != 0xf7 && (before || after) => 2,
            _ => 0,
        };
    }
    score
}

/// How much a decoding looks like real text in its language. GB2312 and
/// EUC-JP share a byte structure, so ideographs alone cannot tell them
/// apart: common characters do. Kana count for the Japanese readings, and
/// each reading's first-level (most common) ideographs, found by their lead
/// bytes in `raw`; half-width katakana and private-use characters count
/// against a reading.
///
/// This is the part read from the text: kana for, half-width katakana and
/// private-use characters against ([`reading_score`] adds the ideographs).
fn char_score(text: &str, charset: Legacy) -> i64 {
    let japanese = matches!(charset, Legacy::ShiftJis | Legacy::EucJp);
    text.chars()
        .map(|c| match c as u32 {
            0x3040..=0x30ff if japanese => 3,
            0xff61..=0xff9f => -3,
            0xe000..=0xf8ff => -5,
            _ => 0,
        })
        .sum()
}

/// A reading's pieces are cut after this many bytes of `raw` (at the next
/// character boundary).
const PIECE: usize = 16 * 1024;

/// The score ([`char_score`] and twice the [`common_ideographs`]) of `raw`
/// read in `charset`, or `None` when it does not read in
/// it: read in pieces cut between characters (as the charset's byte
/// structure tells, see [`char_len`]), so no whole reading is held. A value
/// that reads in the charset reads the same piece by piece; one that does
/// not fails in the piece holding the bad sequence.
fn reading_score(raw: &[u8], charset: Legacy, charsets: &dyn Charsets) -> Option<i64> {
    let mut chars = 0;
    let (mut start, mut at) = (0, 0);
    while at < raw.len() {
        at += char_len(raw, at, charset).0;
        if at - start >= PIECE || at >= raw.len() {
            let piece = raw.get(start..at.min(raw.len())).unwrap_or_default();
            chars += char_score(&charsets.decode(charset, piece)?, charset);
            start = at;
        }
    }
    Some(chars + 2 * common_ideographs(raw, charset))
}

/// Double-byte characters in `raw` whose lead byte is in `charset`'s block
/// of common ideographs: JIS X 0208 level 1 (rows 16-47) for the Japanese
/// charsets, GB2312 level 1 for GB18030, Big5's frequent characters.
fn common_ideographs(raw: &[u8], charset: Legacy) -> i64 {
    let mut count = 0;
    let mut i = 0;
    while i < raw.len() {
        let (len, common) = char_len(raw, i, charset);
        count += i64::from(common);
        i += len;
    }
    count
}

/// The length in bytes of the character of `charset` starting at `at` in
/// `raw` (by its lead byte, and the second byte for GB18030's four-byte
/// form), and whether it is one of the charset's common ideographs.
fn char_len(raw: &[u8], at: usize, charset: Legacy) -> (usize, bool) {
    let lead = raw.get(at).copied().unwrap_or(0);
    let trail = raw.get(at + 1).copied().unwrap_or(0);
    match charset {
        Legacy::ShiftJis => match lead {
            0x81..=0x9f | 0xe0..=0xfc => (2, (0x88..=0x98).contains(&lead)),
            _ => (1, false),
        },
        Legacy::EucJp => match lead {
            0x8e => (2, false),
            0x8f => (3, false),
            0xa1..=0xfe => (2, (0xb0..=0xd0).contains(&lead)),
            _ => (1, false),
        },
        Legacy::Gb18030 | Legacy::Gbk => match lead {
            0x81..=0xfe if (0x30..=0x39).contains(&trail) => (4, false),
            0x81..=0xfe => (2, (0xb0..=0xd7).contains(&lead) && trail >= 0xa1),
            _ => (1, false),
        },
        Legacy::Big5 => match lead {
            0x81..=0xfe => (2, (0xa4..=0xc6).contains(&lead)),
            _ => (1, false),
        },
        Legacy::Iso2022Jp | Legacy::EucKr => (1, false),
    }
}

#[cfg(all(test, feature = "encoding"))]
mod tests {

    use crate::header::charset::Builtin;
    use encoding_rs::{BIG5, EUC_JP, GB18030, ISO_2022_JP, SHIFT_JIS, WINDOWS_1252};

    fn decode(raw: &[u8]) -> Option<(String, &'static str)> {
        super::decode(raw, &Builtin)
    }

    /// A long value is scored piece by piece (issue 19 item 3): the same
    /// score as its whole reading, and the same charset and text.
    #[test]
    fn a_long_value_scores_piece_by_piece_as_its_whole_reading() {
        use super::{Legacy, PIECE, char_score, common_ideographs, reading_score};
        let line = "月例会議のご案内、ｶﾀｶﾅ、会议通知：请参加 我們的會議 ";
        let long = line.repeat(3 * PIECE / line.len());
        for (enc, charset) in [
            (SHIFT_JIS, Legacy::ShiftJis),
            (EUC_JP, Legacy::EucJp),
            (GB18030, Legacy::Gb18030),
            (BIG5, Legacy::Big5),
        ] {
            let (bytes, _, _) = enc.encode(&long);
            assert!(bytes.len() > 2 * PIECE);
            let whole = enc
                .decode_without_bom_handling_and_without_replacement(&bytes)
                .map(|text| char_score(&text, charset) + 2 * common_ideographs(&bytes, charset));
            assert_eq!(
                reading_score(&bytes, charset, &Builtin),
                whole,
                "{}",
                enc.name()
            );
        }
        let (sjis, _, _) = SHIFT_JIS.encode(&long);
        let whole = SHIFT_JIS
            .decode_without_bom_handling_and_without_replacement(&sjis)
            .unwrap();
        let read = decode(&sjis).unwrap();
        assert!(
            read.0 == whole && read.1 == "Shift_JIS",
            "read as {}",
            read.1
        );
        // A bad sequence in a later piece still rules the charset out.
        let mut bad = sjis.to_vec();
        bad.extend_from_slice(b"\x81\x20");
        assert_eq!(reading_score(&bad, Legacy::ShiftJis, &Builtin), None);
    }

    #[test]
    fn japanese_legacy_encodings_are_recognised() {
        let text = "月例会議のご案内";
        for enc in [ISO_2022_JP, SHIFT_JIS, EUC_JP] {
            let (bytes, _, _) = enc.encode(text);
            let (decoded, name) = decode(&bytes).unwrap();
            assert_eq!(decoded, text, "{}", enc.name());
            assert_eq!(name, enc.name());
        }
        let (sjis, _, _) = SHIFT_JIS.encode("山田");
        assert_eq!(decode(&sjis).unwrap().0, "山田");
        assert_eq!(decode("UTF-8 の件名".as_bytes()), None);
        assert_eq!(decode(b"plain ascii"), None);
    }

    #[test]
    fn chinese_legacy_encodings_are_not_read_as_japanese() {
        let (gb, _, _) = GB18030.encode("会议通知：请参加");
        assert_eq!(decode(&gb).unwrap().0, "会议通知：请参加");
    }

    #[test]
    fn traditional_chinese_is_read_as_big5() {
        let (big5, _, _) = BIG5.encode("我們的會議在星期五");
        assert_eq!(
            decode(&big5).unwrap(),
            ("我們的會議在星期五".to_string(), "Big5")
        );
    }

    #[test]
    fn raw_latin_1_is_not_guessed_as_shift_jis() {
        // Most of these decode without error as Shift_JIS, GB18030 or Big5
        // (an accented letter and the ASCII letter after it as one
        // ideograph), and were read so: "Cr\xe8me" as Cr鑪e (Shift_JIS),
        // "Fr\xf6sche" as Fr鰏che (GB18030), "\xc4pfel" as 癥fel (Big5).
        for text in [
            "Café déjà vu",
            "Crème brûlée",
            "Die Hasen und die Frösche",
            "Äpfel und Birnen",
            "Größe",
            "Señor Muñoz",
            "São Paulo",
            "Ça va",
            "Københavns Kommune",
            "naïve façade",
            "RÉSUMÉ",
            // windows-1252 curly quotes, as Outlook writes them.
            "Don’t miss out",
            "It’s here",
            "We’ve got news for you",
            "L’Oréal",
            "Price: 5€ only",
            "The “best” offer",
        ] {
            let (latin1, _, _) = WINDOWS_1252.encode(text);
            assert_eq!(
                decode(&latin1),
                Some((text.to_string(), "windows-1252")),
                "{text}"
            );
        }
        assert_eq!(
            super::decode_text(b"Caf\xe9 =?utf-8?q?d=C3=A9j=C3=A0?= vu", &Builtin),
            Some(("Café déjà vu".to_string(), "windows-1252"))
        );
        // A raw 8-bit byte inside a Q word (stalwart legacy/009.eml) is in
        // the word's charset.
        assert_eq!(
            super::decode_text(b"=?iso-8859-1?Q?Die_Hasen_und_die_Fr\xf6sche?=", &Builtin),
            Some(("Die Hasen und die Frösche".to_string(), "windows-1252"))
        );
    }

    #[test]
    fn japanese_and_chinese_readings_still_win_over_latin_1() {
        for text in [
            "テスト",
            "Re: テスト test",
            "【重要】お知らせ",
            "ご注文ありがとうございます",
            "東京",
            "田中太郎",
            "会議 test",
            "A社",
            "test山田",
            "iPhoneケース",
            "第1回",
        ] {
            for enc in [SHIFT_JIS, EUC_JP] {
                let (bytes, _, _) = enc.encode(text);
                assert_eq!(
                    decode(&bytes),
                    Some((text.to_string(), enc.name())),
                    "{text} {}",
                    enc.name()
                );
            }
        }
    }

    #[test]
    fn raw_iso_2022_jp_with_escapes_back_to_back() {
        // Two runs each closed and reopened with nothing between them.
        assert_eq!(
            decode(b"\x1b$B$K$c!<$s\x1b(B\x1b$B%F%9%H\x1b(B"),
            Some(("にゃーんテスト".to_string(), "ISO-2022-JP"))
        );
    }

    #[test]
    fn without_a_backend_nothing_is_decoded() {
        let (sjis, _, _) = SHIFT_JIS.encode("山田");
        assert_eq!(
            super::decode(&sjis, &crate::header::charset::NoCharsets),
            None
        );
        assert_eq!(
            super::decode(b"Caf\xe9", &crate::header::charset::NoCharsets),
            None
        );
    }
}
