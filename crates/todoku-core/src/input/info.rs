//! What the input was: its size, its header fields, and why it could not be
//! analysed when it could not.

use serde::Serialize;

use crate::input::InputNote;
pub use crate::input::msg::OutlookMsg;
use crate::span::Span;
use crate::wording::Lang;

/// Inputs larger than this are not analysed; the report says so instead.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// [`InputInfo::headers`] lists at most this many fields (the first); the
/// rest are counted in [`InputInfo::headers_omitted`]. Real messages have
/// a few dozen; a hostile paste can have millions, each costing the report
/// far more than its bytes.
pub const MAX_HEADER_REFS: usize = 1000;

/// Facts about the input itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InputInfo {
    /// Length of the input in bytes.
    pub bytes: usize,
    /// Number of header fields found.
    pub header_count: usize,
    /// Whether a body followed the header block.
    pub has_body: bool,
    /// The message is a bounce (a delivery status notification or a
    /// non-delivery message): the report is about the original message's
    /// fate, and the bounce's own authentication is not judged.
    #[serde(default)]
    pub bounce_message: bool,
    /// Why the input could not be analysed, when it could not.
    pub problem: Option<InputProblem>,
    /// What was changed to read a messy paste (skipped text, re-indented lines…).
    pub notes: Vec<InputNote>,
    /// Where the header block is in the input (ends before the blank line).
    pub header_block: Option<Span>,
    /// Every header field in order, up to 1000 ([`MAX_HEADER_REFS`]): its
    /// name as written and where it is.
    pub headers: Vec<HeaderRef>,
    /// The input was an Outlook `.msg` file: its transport headers were
    /// analysed, and every span (and `bytes`) is about that header text
    /// (`crate::open` gives it), not the file's bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlook: Option<OutlookMsg>,
    /// Header fields beyond the first 1000, counted in `header_count` but
    /// not listed in `headers`.
    pub headers_omitted: usize,
    /// What the bounce reader needs to know of every field, listed or not.
    #[serde(skip)]
    pub(crate) bounce_marks: Marks,
}

/// A header field of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HeaderRef {
    /// The name as written.
    pub name: String,
    /// The whole field (name, colon, value, line break).
    pub span: Span,
}

/// Reasons an input yields no analysis. Each carries what the user needs to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum InputProblem {
    /// Nothing but white space was given.
    Empty,
    /// No line of the form `Name: value` was found.
    NoHeaders,
    /// The input is larger than [`MAX_INPUT_BYTES`].
    TooLarge {
        /// Input size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// An Outlook `.msg` file without transport headers: a draft, a sent or
    /// saved copy, a contact or another item that was never received.
    OutlookNoHeaders {
        /// PR_MESSAGE_CLASS (`IPM.Note`, `IPM.Contact`…), when named.
        message_class: Option<String>,
        /// The item is a draft (never sent).
        draft: bool,
        /// Attached messages that carry headers of their own.
        attached_with_headers: usize,
    },
    /// A file that starts like an Outlook `.msg` (a compound file) but
    /// could not be read.
    OutlookUnreadable {
        /// What was wrong, for a developer (English).
        reason: String,
    },
}

impl InputProblem {
    /// Why nothing was analysed and what to give instead, as a sentence in
    /// `lang` (the CLI and the page show it; the JSON carries the variant).
    pub fn sentence(&self, lang: Lang) -> String {
        match (self, lang) {
            (InputProblem::Empty, Lang::En) => "Nothing to analyse: the input is empty. Give the message's header block or its whole source (.eml).".to_string(),
            (InputProblem::Empty, Lang::Ja) => "分析するものがありません（入力が空です）。メールのヘッダー部分か、ソース全体（.eml）を入力してください。".to_string(),
            (InputProblem::NoHeaders, Lang::En) => "No email header was found. Give the message's headers (lines like “Received: …”) or its whole source.".to_string(),
            (InputProblem::NoHeaders, Lang::Ja) => "メールヘッダーが見つかりませんでした。ヘッダー（「Received: …」のような行）か、メールのソース全体を入力してください。".to_string(),
            (InputProblem::TooLarge { bytes, limit }, Lang::En) => format!(
                "The input is {bytes} bytes, more than the {} Todoku analyses. Give the header block alone.",
                size(*limit, lang)
            ),
            (InputProblem::TooLarge { bytes, limit }, Lang::Ja) => format!(
                "入力は {bytes} バイトで、Todoku が分析できる {}を超えています。ヘッダー部分だけを入力してください。",
                size(*limit, lang)
            ),
            (
                InputProblem::OutlookNoHeaders {
                    message_class,
                    draft,
                    attached_with_headers,
                },
                _,
            ) => outlook_no_headers(message_class.as_deref(), *draft, *attached_with_headers, lang),
            (InputProblem::OutlookUnreadable { reason }, Lang::En) => format!(
                "This looks like an Outlook .msg file, but it could not be read ({reason}). Save the message again from Outlook, or copy its headers: open the message, File → Properties → Internet headers."
            ),
            (InputProblem::OutlookUnreadable { reason }, Lang::Ja) => format!(
                "Outlook の .msg ファイルのようですが、読み取れませんでした（{reason}）。Outlook からもう一度保存するか、メールを開いて「ファイル」→「プロパティ」→「インターネット ヘッダー」の内容をコピーして入力してください。"
            ),
        }
    }
}

/// Why a `.msg` has no headers, and what to give instead.
fn outlook_no_headers(class: Option<&str>, draft: bool, attached: usize, lang: Lang) -> String {
    let is_message = class.is_none_or(|c| {
        let c = c.to_ascii_lowercase();
        c.starts_with("ipm.note") || c.starts_with("report.") || c.starts_with("ipm.schedule")
    });
    let why = match (is_message, draft, lang) {
        (false, _, Lang::En) => format!(
            "This Outlook file is not an email but a “{}” item, so it has no email headers.",
            class.unwrap_or_default()
        ),
        (false, _, Lang::Ja) => format!(
            "この Outlook ファイルはメールではなく「{}」のアイテムのため、メールヘッダーがありません。",
            class.unwrap_or_default()
        ),
        (true, true, Lang::En) => "This Outlook message is a draft: it was never sent, so no server wrote headers for it.".to_string(),
        (true, true, Lang::Ja) => "この Outlook メールは下書き（未送信）のため、サーバーが書くヘッダーがありません。".to_string(),
        (true, false, Lang::En) => "This Outlook message has no Internet headers: Outlook keeps them only for messages it received, and this one looks like a sent or saved copy.".to_string(),
        (true, false, Lang::Ja) => "この Outlook メールにはインターネット ヘッダーがありません。Outlook がヘッダーを保存するのは受信したメールだけで、これは送信済みか保存されたコピーのようです。".to_string(),
    };
    let what = match (attached > 0, lang) {
        (true, Lang::En) => {
            " It carries an attached message with headers of its own: save that attachment (drag it out of the message) and give it instead, or give the message as the recipient received it."
        }
        (true, Lang::Ja) => {
            " 添付されたメールには独自のヘッダーがあります。その添付ファイルを保存して（メールからドラッグ）入力するか、受信者が受け取ったメールを入力してください。"
        }
        (false, Lang::En) => {
            " Give the message as it was received: open the received copy in Outlook and save it as .msg, or copy its headers (File → Properties → Internet headers)."
        }
        (false, Lang::Ja) => {
            " 受信したメールを入力してください。Outlook で受信したメールを開いて .msg として保存するか、「ファイル」→「プロパティ」→「インターネット ヘッダー」の内容をコピーしてください。"
        }
    };
    format!("{why}{what}")
}

/// A byte count, with its MiB when it is a whole number of them.
fn size(bytes: usize, lang: Lang) -> String {
    const MIB: usize = 1024 * 1024;
    let mib = (bytes >= MIB && bytes.is_multiple_of(MIB)).then_some(bytes / MIB);
    match (mib, lang) {
        (Some(mib), Lang::En) => format!("{mib} MiB ({bytes} bytes)"),
        (Some(mib), Lang::Ja) => format!("{mib} MiB（{bytes} バイト）"),
        (None, Lang::En) => format!("{bytes} bytes"),
        (None, Lang::Ja) => format!("{bytes} バイト"),
    }
}

/// What the bounce reader (`crate::recorded::bounce`) needs to know of the
/// header fields, noted field by field as the block is read
/// ([`InputInfo::headers`] lists only the first 1000).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Marks {
    /// A Content-Type names `delivery-status` (an RFC 6522 report).
    pub(crate) delivery_status: bool,
    /// An `X-Failed-Recipients` field.
    pub(crate) failed_recipients: bool,
    /// A field of a delivery-status part (`Reporting-MTA`,
    /// `Final-Recipient`, `Diagnostic-Code`).
    pub(crate) dsn_fields: bool,
}

impl Marks {
    /// Note one field: its name as written, and the whole field's bytes.
    pub(crate) fn note(&mut self, name: &str, field: &[u8]) {
        let n = name.trim();
        if n.eq_ignore_ascii_case("Content-Type") {
            self.delivery_status |= field
                .windows(b"delivery-status".len())
                .any(|w| w.eq_ignore_ascii_case(b"delivery-status"));
        } else if n.eq_ignore_ascii_case("X-Failed-Recipients") {
            self.failed_recipients = true;
        } else if n.eq_ignore_ascii_case("Reporting-MTA")
            || n.eq_ignore_ascii_case("Final-Recipient")
            || n.eq_ignore_ascii_case("Diagnostic-Code")
        {
            self.dsn_fields = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (issue 19, item 13): input problems reached the user as
    /// Rust Debug text (`TooLarge { bytes: …, limit: … }`), in English
    /// whatever the language.
    #[test]
    fn every_input_problem_has_a_sentence_in_each_language() {
        let problems = [
            InputProblem::Empty,
            InputProblem::NoHeaders,
            InputProblem::TooLarge {
                bytes: MAX_INPUT_BYTES + 5,
                limit: MAX_INPUT_BYTES,
            },
            InputProblem::OutlookNoHeaders {
                message_class: Some("IPM.Note".into()),
                draft: false,
                attached_with_headers: 0,
            },
            InputProblem::OutlookUnreadable {
                reason: "a chain loops".into(),
            },
        ];
        for problem in &problems {
            let debug = format!("{problem:?}");
            let variant = debug.split([' ', '{']).next().unwrap_or_default();
            let en = problem.sentence(Lang::En);
            let ja = problem.sentence(Lang::Ja);
            for sentence in [&en, &ja] {
                assert!(!sentence.contains(variant), "{sentence}");
                assert!(sentence.ends_with(['.', '。']), "{sentence}");
            }
            let kana = |c: char| ('\u{3040}'..='\u{30ff}').contains(&c);
            assert!(!en.chars().any(kana), "{en}");
            assert!(ja.chars().any(kana), "{ja}");
            assert_ne!(en, ja);
        }
        let too_large = problems[2].sentence(Lang::En);
        assert!(too_large.contains("67108869 bytes"), "{too_large}");
        assert!(too_large.contains("64 MiB (67108864 bytes)"), "{too_large}");
        let too_large = problems[2].sentence(Lang::Ja);
        assert!(too_large.contains("67108869 バイト"), "{too_large}");
        assert!(
            too_large.contains("64 MiB（67108864 バイト）"),
            "{too_large}"
        );
    }
}
