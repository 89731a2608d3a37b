//! Outlook `.msg` files: the message's Internet headers from the compound
//! file ([`super::cfb`]).
//!
//! Outlook keeps the header block a received message arrived with in the
//! property PR_TRANSPORT_MESSAGE_HEADERS (0x007D), a top-level stream
//! `__substg1.0_007D001F` (UTF-16LE) or `__substg1.0_007D001E` (8-bit, in
//! the message's code page: PR_MESSAGE_CODEPAGE, else PR_INTERNET_CPID).
//! A draft, a sent item or a contact has no such property: nothing was
//! received, so no server wrote a header. The headers of an attached
//! message (`__attach_version1.0_#…/__substg1.0_3701000D`) are that
//! message's, never the outer one's; they are only counted, so the user can
//! be told to open the attachment.

use serde::Serialize;

use super::cfb::{Cfb, CfbError};
use crate::header::charset::{Charsets, Legacy};

/// The most transport-header text read (UTF-16 bytes); the core's input
/// limit, [`super::info::MAX_INPUT_BYTES`], bounds it anyway.
const MAX_HEADERS: usize = super::info::MAX_INPUT_BYTES;
/// The most bytes of a short property stream (class) read.
const MAX_SMALL: usize = 4096;
/// PR_MESSAGE_CODEPAGE (PT_LONG).
const PR_MESSAGE_CODEPAGE: u32 = 0x3FFD_0003;
/// PR_INTERNET_CPID (PT_LONG).
const PR_INTERNET_CPID: u32 = 0x3FDE_0003;
/// PR_MESSAGE_FLAGS (PT_LONG).
const PR_MESSAGE_FLAGS: u32 = 0x0E07_0003;
/// MSGFLAG_UNSENT: a draft.
const MSGFLAG_UNSENT: u32 = 0x8;
/// The attached messages looked into, at most.
const MAX_ATTACHMENTS: usize = 64;

/// What the `.msg` file was, when its headers were read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OutlookMsg {
    /// PR_MESSAGE_CLASS (`IPM.Note`, …), when the file names it.
    pub message_class: Option<String>,
    /// The transport headers were stored as UTF-16 (`true`) or as 8-bit
    /// text in the message's code page (`false`).
    pub unicode: bool,
    /// The Windows code page the 8-bit text was read in, when one was named.
    pub codepage: Option<u32>,
    /// The size of the `.msg` file in bytes (the report's spans and
    /// `input.bytes` are about the header text taken from it).
    pub file_bytes: usize,
}

impl OutlookMsg {
    /// What was analysed, as a sentence in `lang` (shown above the report).
    pub fn sentence(&self, lang: crate::wording::Lang) -> String {
        match lang {
            crate::wording::Lang::En => "An Outlook .msg file: the Internet headers Outlook stored with the message were analysed.".to_string(),
            crate::wording::Lang::Ja => "Outlook の .msg ファイルです。Outlook がメールと一緒に保存したインターネット ヘッダーを分析しました。".to_string(),
        }
    }
}

/// Why a `.msg` gave no header block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MsgError {
    /// The compound file could not be read.
    Unreadable(CfbError),
    /// It was read and has no transport headers.
    NoTransportHeaders {
        /// PR_MESSAGE_CLASS, when named.
        message_class: Option<String>,
        /// PR_MESSAGE_FLAGS has MSGFLAG_UNSENT: a draft.
        draft: bool,
        /// Attached messages that carry transport headers of their own.
        attached_with_headers: usize,
    },
}

/// The `.msg` file's transport headers as UTF-8 text (line ends as stored,
/// a trailing NUL removed), with what was learnt about the file.
pub fn transport_headers(
    bytes: &[u8],
    charsets: &dyn Charsets,
) -> Result<(String, OutlookMsg), MsgError> {
    let cfb = Cfb::open(bytes).map_err(MsgError::Unreadable)?;
    let root = cfb.root();
    let props = properties(&cfb, root);
    let codepage = props
        .iter()
        .find(|(tag, _)| *tag == PR_MESSAGE_CODEPAGE)
        .or_else(|| props.iter().find(|(tag, _)| *tag == PR_INTERNET_CPID))
        .map(|&(_, v)| v);
    let message_class = string_property(&cfb, root, 0x001A, codepage, charsets);
    let stream = |name: &str| -> Result<Option<Vec<u8>>, MsgError> {
        match cfb.child(root, name) {
            Some(i) => cfb.stream(i, MAX_HEADERS).map_err(MsgError::Unreadable),
            None => Ok(None),
        }
    };
    let found = match stream("__substg1.0_007D001F")? {
        Some(raw) => Some((utf16(&raw), true)),
        None => stream("__substg1.0_007D001E")?.map(|raw| (ansi(&raw, codepage, charsets), false)),
    };
    match found {
        Some((text, unicode)) if !text.trim().is_empty() => Ok((
            text,
            OutlookMsg {
                message_class,
                unicode,
                codepage: (!unicode).then_some(codepage).flatten(),
                file_bytes: bytes.len(),
            },
        )),
        _ => {
            let flags = props
                .iter()
                .find(|(tag, _)| *tag == PR_MESSAGE_FLAGS)
                .map(|&(_, v)| v)
                .unwrap_or(0);
            Err(MsgError::NoTransportHeaders {
                message_class,
                draft: flags & MSGFLAG_UNSENT != 0,
                attached_with_headers: attached_with_headers(&cfb),
            })
        }
    }
}

/// The PT_LONG properties of `storage`'s `__properties_version1.0` stream:
/// (tag, value). The top-level message's stream has a 32-byte header,
/// an attached message's 24; entries are 16 bytes.
fn properties(cfb: &Cfb<'_>, storage: usize) -> Vec<(u32, u32)> {
    let header = if storage == cfb.root() { 32 } else { 24 };
    let Some(raw) = cfb
        .child(storage, "__properties_version1.0")
        .and_then(|i| cfb.stream(i, 1 << 20).ok().flatten())
    else {
        return Vec::new();
    };
    raw.get(header..)
        .unwrap_or_default()
        .as_chunks::<16>()
        .0
        .iter()
        .filter_map(|e| {
            let tag = u32::from_le_bytes(e.get(..4)?.try_into().ok()?);
            let value = u32::from_le_bytes(e.get(8..12)?.try_into().ok()?);
            (tag & 0xFFFF == 0x0003).then_some((tag, value))
        })
        .collect()
}

/// A string property (`id`) of `storage`, in its Unicode or 8-bit form.
fn string_property(
    cfb: &Cfb<'_>,
    storage: usize,
    id: u16,
    codepage: Option<u32>,
    charsets: &dyn Charsets,
) -> Option<String> {
    let read = |kind: &str| {
        let name = format!("__substg1.0_{id:04X}{kind}");
        cfb.child(storage, &name)
            .and_then(|i| cfb.stream(i, MAX_SMALL).ok().flatten())
    };
    let text = match read("001F") {
        Some(raw) => utf16(&raw),
        None => ansi(&read("001E")?, codepage, charsets),
    };
    let text = text.trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// Attached messages (`__attach_version1.0_#…/__substg1.0_3701000D`) that
/// have transport headers of their own.
fn attached_with_headers(cfb: &Cfb<'_>) -> usize {
    let root = cfb.root();
    cfb.children(root)
        .into_iter()
        .filter(|&i| {
            cfb.entry(i).is_some_and(|e| {
                e.kind == 1
                    && e.name
                        .get(..20)
                        .is_some_and(|p| p.eq_ignore_ascii_case("__attach_version1.0_"))
            })
        })
        .take(MAX_ATTACHMENTS)
        .filter(|&attach| {
            cfb.child(attach, "__substg1.0_3701000D")
                .is_some_and(|inner| {
                    ["__substg1.0_007D001F", "__substg1.0_007D001E"]
                        .iter()
                        .any(|name| cfb.child(inner, name).is_some())
                })
        })
        .count()
}

/// UTF-16LE text, unpaired surrogates replaced, a trailing NUL removed.
fn utf16(raw: &[u8]) -> String {
    let units = raw
        .as_chunks::<2>()
        .0
        .iter()
        .map(|c| u16::from_le_bytes(*c));
    let mut text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    while text.ends_with('\0') {
        text.pop();
    }
    text
}

/// 8-bit text in Windows code page `codepage`: UTF-8 and the Latin code
/// pages here, the rest through `charsets`; with no code page (or one no
/// backend reads), UTF-8 when the bytes are UTF-8, else windows-1252.
fn ansi(raw: &[u8], codepage: Option<u32>, charsets: &dyn Charsets) -> String {
    let end = raw.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    let raw = raw.get(..end).unwrap_or_default();
    let label = codepage.and_then(codepage_label);
    match label {
        Some("utf-8") => return String::from_utf8_lossy(raw).into_owned(),
        Some("windows-1252") => return windows_1252(raw),
        Some(label) => {
            let legacy = Legacy::from_label(label.as_bytes());
            let text = match legacy {
                Some(charset) => charsets.decode(charset, raw),
                None => charsets.decode_label(label, raw),
            };
            if let Some(text) = text {
                return text;
            }
        }
        None => {}
    }
    match std::str::from_utf8(raw) {
        Ok(text) => text.to_string(),
        Err(_) => windows_1252(raw),
    }
}

/// The WHATWG label of a Windows code page (ASCII and ISO-8859-1 are read as
/// windows-1252, as the Encoding Standard does).
fn codepage_label(codepage: u32) -> Option<&'static str> {
    Some(match codepage {
        65001 => "utf-8",
        1252 | 20127 | 28591 => "windows-1252",
        932 => "shift_jis",
        936 => "gbk",
        54936 => "gb18030",
        949 => "euc-kr",
        950 => "big5",
        50220..=50222 => "iso-2022-jp",
        51932 | 20932 => "euc-jp",
        874 => "windows-874",
        1250 => "windows-1250",
        1251 => "windows-1251",
        1253 => "windows-1253",
        1254 => "windows-1254",
        1255 => "windows-1255",
        1256 => "windows-1256",
        1257 => "windows-1257",
        1258 => "windows-1258",
        28592 => "iso-8859-2",
        28593 => "iso-8859-3",
        28594 => "iso-8859-4",
        28595 => "iso-8859-5",
        28596 => "iso-8859-6",
        28597 => "iso-8859-7",
        28598 => "iso-8859-8",
        28599 => "iso-8859-9",
        28603 => "iso-8859-13",
        28605 => "iso-8859-15",
        20866 => "koi8-r",
        21866 => "koi8-u",
        _ => return None,
    })
}

/// windows-1252 as the Encoding Standard reads it (0x80–0x9F mapped, the
/// five undefined bytes kept as C1 controls).
fn windows_1252(raw: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}',
        '\u{2021}', '\u{2C6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}',
        '\u{8F}', '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}',
        '\u{2014}', '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}',
        '\u{178}',
    ];
    raw.iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH
                .get(usize::from(b - 0x80))
                .copied()
                .unwrap_or(char::REPLACEMENT_CHARACTER),
            _ => char::from(b),
        })
        .collect()
}
