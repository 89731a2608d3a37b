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
    /// It was read and has no transport headers (or only the ones Outlook
    /// writes for a draft, `X-Unsent: 1`).
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
    let message_class = string_property(
        &cfb,
        root,
        ["__substg1.0_001A001F", "__substg1.0_001A001E"],
        codepage,
        charsets,
    );
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
        Some((text, unicode)) if !text.trim().is_empty() && !unsent(&text) => Ok((
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
                draft: flags & MSGFLAG_UNSENT != 0 || found.is_some_and(|(t, _)| unsent(&t)),
                attached_with_headers: attached_with_headers(&cfb),
            })
        }
    }
}

/// Outlook's `X-Unsent: 1`: headers Outlook wrote for a draft, not a
/// server's.
fn unsent(text: &str) -> bool {
    text.lines()
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_once(':'))
        .any(|(n, v)| n.eq_ignore_ascii_case("x-unsent") && v.trim() == "1")
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

/// A string property of `storage` from its stream names (Unicode, 8-bit).
fn string_property(
    cfb: &Cfb<'_>,
    storage: usize,
    [unicode, ansi_name]: [&str; 2],
    codepage: Option<u32>,
    charsets: &dyn Charsets,
) -> Option<String> {
    let read = |name: &str| {
        cfb.child(storage, name)
            .and_then(|i| cfb.stream(i, MAX_SMALL).ok().flatten())
    };
    let text = match read(unicode) {
        Some(raw) => utf16(&raw),
        None => ansi(&read(ansi_name)?, codepage, charsets),
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
            cfb.entry(i)
                .is_some_and(|e| e.kind == 1 && e.name_matches("__attach_version1.0_", false))
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

/// 8-bit text in Windows code page `codepage`: UTF-8 here, the rest
/// through `charsets`; with no code page (or one no backend reads), UTF-8
/// when the bytes are UTF-8, else Latin-1.
fn ansi(raw: &[u8], codepage: Option<u32>, charsets: &dyn Charsets) -> String {
    let end = raw.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    let raw = raw.get(..end).unwrap_or_default();
    let label = codepage.and_then(codepage_label);
    let text = match label.as_deref() {
        Some("utf-8") => return String::from_utf8_lossy(raw).into_owned(),
        Some(label) => match Legacy::from_label(label.as_bytes()) {
            Some(charset) => charsets.decode(charset, raw),
            None => charsets.decode_label(label, raw),
        },
        None => None,
    };
    if let Some(text) = text {
        return text;
    }
    match std::str::from_utf8(raw) {
        Ok(text) => text.to_string(),
        Err(_) => raw.iter().map(|&b| char::from(b)).collect(),
    }
}

/// The WHATWG label of a Windows code page (ASCII and ISO-8859-1 are read as
/// windows-1252, as the Encoding Standard does).
fn codepage_label(codepage: u32) -> Option<std::borrow::Cow<'static, str>> {
    use std::borrow::Cow;
    Some(match codepage {
        65001 => Cow::Borrowed("utf-8"),
        20127 | 28591 => Cow::Borrowed("windows-1252"),
        932 => Cow::Borrowed("shift_jis"),
        936 => Cow::Borrowed("gbk"),
        54936 => Cow::Borrowed("gb18030"),
        949 => Cow::Borrowed("euc-kr"),
        950 => Cow::Borrowed("big5"),
        50220..=50222 => Cow::Borrowed("iso-2022-jp"),
        51932 | 20932 => Cow::Borrowed("euc-jp"),
        20866 => Cow::Borrowed("koi8-r"),
        21866 => Cow::Borrowed("koi8-u"),
        874 | 1250..=1258 => Cow::Owned(format!("windows-{codepage}")),
        28592..=28599 | 28603 | 28605 => Cow::Owned(format!("iso-8859-{}", codepage - 28590)),
        _ => return None,
    })
}
