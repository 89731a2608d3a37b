//! Header values written in a legacy charset without RFC 2047 encoding:
//! 7-bit ISO-2022-JP escape sequences, or 8-bit Shift_JIS, EUC-JP, GB18030
//! or Big5 bytes. Old Japanese mail clients and some mobile carriers still
//! send these; recipients then see mojibake.

use crate::charset::{Charsets, Legacy};

/// Decoded text and the charset it was read as, when `raw` is not plain
/// UTF-8/ASCII text and `charsets` can read it.
pub(crate) fn decode(raw: &[u8], charsets: &dyn Charsets) -> Option<(String, &'static str)> {
    if raw
        .windows(2)
        .any(|w| w == [0x1b, b'$'] || w == [0x1b, b'('])
    {
        let text = charsets.decode(Legacy::Iso2022Jp, raw)?;
        return Some((text, Legacy::Iso2022Jp.name()));
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
    // earlier, Japanese, candidate wins.
    candidates
        .into_iter()
        .enumerate()
        .filter_map(|(i, charset)| {
            let text = charsets.decode(charset, raw)?;
            let key = (score(raw, &text, charset), std::cmp::Reverse(i));
            Some((key, text, charset.name()))
        })
        .max_by_key(|(key, _, _)| *key)
        .map(|(_, text, name)| (text, name))
}

/// How much a decoding looks like real text in its language. GB2312 and
/// EUC-JP share a byte structure, so ideographs alone cannot tell them
/// apart: common characters do. Kana count for the Japanese readings, and
/// each reading's first-level (most common) ideographs, found by their lead
/// bytes in `raw`; half-width katakana and private-use characters count
/// against a reading.
fn score(raw: &[u8], text: &str, charset: Legacy) -> i64 {
    let japanese = matches!(charset, Legacy::ShiftJis | Legacy::EucJp);
    let chars: i64 = text
        .chars()
        .map(|c| match c as u32 {
            0x3040..=0x30ff if japanese => 3,
            0xff61..=0xff9f => -3,
            0xe000..=0xf8ff => -5,
            _ => 0,
        })
        .sum();
    chars + 2 * common_ideographs(raw, charset)
}

/// Double-byte characters in `raw` whose lead byte is in `charset`'s block
/// of common ideographs: JIS X 0208 level 1 (rows 16-47) for the Japanese
/// charsets, GB2312 level 1 for GB18030, Big5's frequent characters.
fn common_ideographs(raw: &[u8], charset: Legacy) -> i64 {
    let mut count = 0;
    let mut i = 0;
    while let Some(&lead) = raw.get(i) {
        let trail = raw.get(i + 1).copied().unwrap_or(0);
        let (len, common) = match charset {
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
        };
        count += i64::from(common);
        i += len;
    }
    count
}

#[cfg(all(test, feature = "encoding"))]
mod tests {

    use crate::charset::Builtin;
    use encoding_rs::{BIG5, EUC_JP, GB18030, ISO_2022_JP, SHIFT_JIS};

    fn decode(raw: &[u8]) -> Option<(String, &'static str)> {
        super::decode(raw, &Builtin)
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
    fn without_a_backend_nothing_is_decoded() {
        let (sjis, _, _) = SHIFT_JIS.encode("山田");
        assert_eq!(super::decode(&sjis, &crate::charset::NoCharsets), None);
    }
}
