//! Header values written in a legacy charset without RFC 2047 encoding:
//! 7-bit ISO-2022-JP escape sequences, or 8-bit Shift_JIS, EUC-JP, GB18030
//! or Big5 bytes. Old Japanese mail clients and some mobile carriers still
//! send these; recipients then see mojibake.

use encoding_rs::{BIG5, EUC_JP, Encoding, GB18030, ISO_2022_JP, SHIFT_JIS};

/// Decoded text and the charset it was read as, when `raw` is not plain
/// UTF-8/ASCII text.
pub(crate) fn decode(raw: &[u8]) -> Option<(String, &'static str)> {
    if raw
        .windows(2)
        .any(|w| w == [0x1b, b'$'] || w == [0x1b, b'('])
    {
        let (text, _, errors) = ISO_2022_JP.decode(raw);
        return (!errors).then(|| (text.into_owned(), "ISO-2022-JP"));
    }
    if std::str::from_utf8(raw).is_ok() {
        return None;
    }
    let candidates: [&'static Encoding; 4] = [SHIFT_JIS, EUC_JP, GB18030, BIG5];
    // On a tie (short names decode as ideographs in several charsets) the
    // earlier, Japanese, candidate wins.
    candidates
        .into_iter()
        .enumerate()
        .filter_map(|(i, enc)| {
            let (text, _, errors) = enc.decode(raw);
            let japanese = enc == SHIFT_JIS || enc == EUC_JP;
            (!errors).then(|| {
                (
                    (score(&text, japanese), std::cmp::Reverse(i)),
                    text.into_owned(),
                    enc.name(),
                )
            })
        })
        .max_by_key(|(key, _, _)| *key)
        .map(|(_, text, name)| (text, name))
}

/// First byte of `c` in `enc`, when it encodes to two bytes.
fn lead_byte(enc: &'static Encoding, c: char) -> Option<u8> {
    let mut buf = [0u8; 4];
    let (bytes, _, errors) = enc.encode(c.encode_utf8(&mut buf));
    (!errors && bytes.len() == 2)
        .then(|| bytes.first().copied())
        .flatten()
}

/// How much a decoding looks like real text in its language. GB2312 and
/// EUC-JP share a byte structure, so ideographs alone cannot tell them
/// apart: common characters do. Kana and JIS level-1 kanji (lead bytes
/// 0x88-0x98 in Shift_JIS) count for the Japanese readings, GB2312 level-1
/// hanzi (lead bytes 0xB0-0xD7) for the Chinese ones.
fn score(text: &str, japanese: bool) -> i64 {
    text.chars()
        .map(|c| match c as u32 {
            0x3040..=0x30ff if japanese => 3,
            0x4e00..=0x9fff if japanese => {
                if lead_byte(SHIFT_JIS, c).is_some_and(|b| (0x88..=0x98).contains(&b)) {
                    2
                } else {
                    0
                }
            }
            0x4e00..=0x9fff => {
                if lead_byte(GB18030, c).is_some_and(|b| (0xb0..=0xd7).contains(&b)) {
                    2
                } else {
                    0
                }
            }
            0xff61..=0xff9f => -3,
            0xe000..=0xf8ff => -5,
            _ => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
