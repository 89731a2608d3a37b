//! Who a bounce was about: the per-recipient groups of a
//! `message/delivery-status` part (RFC 3464: Final-Recipient, Action,
//! Status, Remote-MTA, Diagnostic-Code), or, in a bounce MTAs write as plain
//! text (qmail, Exim, Exchange, Gmail, the Japanese carriers), the addresses
//! it names and the reply beside each one.

use serde::Serialize;

use crate::header::charset::{Charsets, Legacy, decode_legacy_lossy};
use crate::header::fields;
use crate::header::text::single_spaced;
use crate::recorded::bounce::{self, BounceCode};
use crate::span::Span;
use crate::wording::Text;
use crate::wording::bounce as words;

/// At most this many recipients are listed.
pub const MAX_RECIPIENTS: usize = 64;
/// A diagnostic is cut after this many characters.
const MAX_DIAGNOSTIC: usize = 600;

/// One recipient a bounce reports on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Recipient {
    /// The address (Final-Recipient, or the one the text names).
    pub address: String,
    /// `failed`, `delayed`, `delivered`, `relayed`, `expanded` (DSN
    /// Action); none in a plain-text bounce.
    pub action: Option<String>,
    /// The enhanced status code (`5.1.1`), as the bounce states it.
    pub status: Option<String>,
    /// The three-digit SMTP reply in the diagnostic, when there is one.
    pub reply: Option<u16>,
    /// 4.x.x: deferred, the sender's server retries; false when the bounce
    /// says it stopped retrying (`Action: failed`, "in the queue too long").
    pub temporary: bool,
    /// What the status means, in plain words (what the diagnostic's words
    /// say, when the status alone says only "refused").
    pub reason: Text,
    /// What the diagnostic's words say it was, when they say it clearly and
    /// the status alone does not.
    pub said: Option<bounce::Said>,
    /// What the receiver objected to, as Todoku knows its code (the
    /// receiver's published meaning), when it knows it.
    pub meaning: Option<String>,
    /// The finding whose fix applies, when the code names one.
    pub finding: Option<&'static str>,
    /// The server that refused it (Remote-MTA).
    pub remote_mta: Option<String>,
    /// The receiver's words (Diagnostic-Code, or the reply in the text),
    /// on one line.
    pub diagnostic: Option<String>,
    /// Where the recipient is stated.
    pub span: Span,
}

impl Recipient {
    /// Refused with a 4.x.x the sending server stopped retrying (`Action:
    /// failed`, "in the queue too long"): returned, not deferred.
    pub fn gave_up(&self) -> bool {
        let class = self.status.as_deref().and_then(|s| s.get(..1));
        !self.temporary && class.map_or(self.reply.is_some_and(|r| r / 100 == 4), |c| c == "4")
    }
}

/// What a delivery-status part says.
#[derive(Debug, Default)]
pub(crate) struct Dsn {
    pub(crate) reporting_mta: Option<String>,
    pub(crate) recipients: Vec<Recipient>,
}

/// The text after `type;` (`rfc822; a@b` → `a@b`), unfolded.
fn typed(value: &[u8]) -> String {
    let text = single_spaced(&String::from_utf8_lossy(value));
    match text.split_once(';') {
        Some((kind, rest)) if !kind.contains(' ') => rest.trim().to_string(),
        _ => text.trim().to_string(),
    }
}

/// A Diagnostic-Code as text. RFC 3464 wants ASCII, but Lotus Domino and
/// Japanese carriers write the receiver's words in ISO-2022-JP (its escape
/// sequences say so) or in the charset of the bounce's text.
fn diagnostic(value: &[u8], charsets: &dyn Charsets, hint: Option<Legacy>) -> String {
    let jis = value.windows(3).any(|w| w == b"\x1b$B" || w == b"\x1b$@");
    let legacy = if jis {
        Some(Legacy::Iso2022Jp)
    } else {
        hint.filter(|_| std::str::from_utf8(value).is_err())
    };
    let charset = legacy.map(|legacy| TextCharset { legacy, charsets });
    if charset.is_none() {
        return typed(value);
    }
    let text = words(value, charset);
    match text.split_once(';') {
        Some((kind, rest)) if !kind.contains(' ') => rest.trim().to_string(),
        _ => text.trim().to_string(),
    }
}

fn address_of(value: &[u8]) -> String {
    typed(value)
        .trim_matches(|c: char| c == '<' || c == '>' || c.is_whitespace())
        .to_string()
}

fn cut(text: String) -> String {
    match text.char_indices().nth(MAX_DIAGNOSTIC) {
        Some((at, _)) => {
            let mut short = String::from(text.get(..at).unwrap_or_default());
            short.push('…');
            short
        }
        None => text,
    }
}

/// A recipient from its status and its diagnostic text.
fn recipient(
    address: String,
    action: Option<String>,
    status: Option<String>,
    remote_mta: Option<String>,
    diagnostic: Option<String>,
    span: Span,
) -> Recipient {
    let codes: Vec<BounceCode> = diagnostic
        .as_deref()
        .map(|d| bounce::decode(d.as_bytes()))
        .unwrap_or_default();
    let code = codes
        .iter()
        .find(|c| c.enhanced.is_some() && c.enhanced == status)
        .or_else(|| codes.iter().find(|c| c.enhanced.is_some()))
        .or(codes.first());
    // `Status: 5.0.0` says only "failed": the receiver's own code in the
    // diagnostic (`550 5.1.1 … User Unknown`) says why.
    let specific = code.and_then(|c| c.enhanced.clone()).filter(|e| {
        status
            .as_deref()
            .is_some_and(|s| s.ends_with(".0.0") && s.get(..1) == e.get(..1))
    });
    let status = specific
        .or(status)
        .or_else(|| code.and_then(|c| c.enhanced.clone()));
    let known = code.filter(|c| c.finding.is_some() || c.provider.is_some() || c.tag.is_some());
    // Only a DSN's `Action: delayed` is a warning of a deferral; `failed`,
    // or words that say the server stopped retrying, return the message.
    let gave_up = match action.as_deref() {
        Some("delayed") => false,
        Some("failed") => true,
        _ => diagnostic.as_deref().is_some_and(bounce::gave_up_words),
    };
    let temporary = !gave_up
        && status
            .as_deref()
            .map(|s| s.starts_with('4'))
            .or(code.map(|c| c.temporary))
            .unwrap_or(action.as_deref() == Some("delayed"));
    // A status that says only "refused" (`5.0.0`, `4.7.650`, none) over
    // words that say why ('No such user', 'disabled or discontinued',
    // `in reply to MAIL FROM command`): the words are the reason.
    let said = bounce::by_words(
        diagnostic.as_deref().and_then(bounce::said),
        status.as_deref(),
    );
    // No Remote-MTA (a text bounce): the server its words name ('host
    // mx.example.jp[192.0.2.1] said:', Exim's 'host mx.example.jp
    // [192.0.2.20]:', 'Server mx22.example.org[192.0.2.222] failed with:',
    // qmail's 'remote host 192.0.2.32 said:').
    let remote_mta = remote_mta.or_else(|| diagnostic.as_deref().and_then(named_server));
    Recipient {
        address,
        reason: said.map_or_else(
            || match words::reason(status.as_deref(), code.and_then(|c| c.reply)) {
                r if gave_up && r == words::TEMPORARY => words::EXPIRED,
                r => r,
            },
            |s| s.words().reason,
        ),
        said,
        reply: code.and_then(|c| c.reply),
        meaning: known.map(|c| c.meaning.clone()),
        finding: known.and_then(|c| c.finding),
        action,
        status,
        temporary,
        remote_mta,
        diagnostic: diagnostic.map(cut),
        span,
    }
}

/// The groups of a delivery-status body at `body` in `bytes`.
pub(crate) fn read(bytes: &[u8], body: Span, charsets: &dyn Charsets, hint: Option<Legacy>) -> Dsn {
    let mut dsn = Dsn::default();
    let mut at = body.start;
    let mut first = true;
    while at < body.end && dsn.recipients.len() < MAX_RECIPIENTS {
        let slice = bytes.get(at..body.end).unwrap_or_default();
        let mut split = fields::split(slice);
        let (mut address, mut original, mut action, mut status, mut remote, mut diag) =
            (None, None, None, None, None, None);
        let mut span: Option<Span> = None;
        let mut any = false;
        for f in split.by_ref() {
            any = true;
            let name = f.raw_name;
            let field_span = Span {
                start: at + f.start,
                end: at + f.end(),
            };
            let is = |n: &str| name.eq_ignore_ascii_case(n);
            if is("Reporting-MTA") && first {
                dsn.reporting_mta = Some(typed(f.value));
            } else if is("Final-Recipient") {
                address = Some(address_of(f.value));
                span = Some(field_span);
            } else if is("Original-Recipient") {
                original = Some(address_of(f.value));
                span.get_or_insert(field_span);
            } else if is("Action") {
                action = Some(typed(f.value).to_ascii_lowercase());
            } else if is("Status") {
                status = typed(f.value).split_whitespace().next().map(str::to_string);
            } else if is("Remote-MTA") {
                remote = Some(typed(f.value));
            } else if is("Diagnostic-Code") {
                diag = Some(diagnostic(f.value, charsets, hint));
            }
        }
        let used = split.end();
        if let (Some(address), Some(span)) = (address.or(original), span)
            && !address.is_empty()
        {
            dsn.recipients
                .push(recipient(address, action, status, remote, diag, span));
        }
        first &= !any;
        if used == 0 {
            break;
        }
        at += used;
    }
    dsn
}

/// Addresses in `text`: `local@domain` runs, angle brackets and quotes
/// trimmed, with their offsets.
pub(crate) fn addresses(text: &[u8]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let word = |b: u8| b.is_ascii_alphanumeric() || b"._%+-=/!#$&'*?^`{|}~".contains(&b);
    for at in memchr::memchr_iter(b'@', text) {
        let mut s = at;
        while s > 0 && text.get(s - 1).is_some_and(|&b| word(b)) {
            s -= 1;
        }
        let mut e = at + 1;
        while text
            .get(e)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        {
            e += 1;
        }
        let local = text.get(s..at).unwrap_or_default();
        let domain = text.get(at + 1..e).unwrap_or_default();
        let mut domain = domain;
        while let Some(d) = domain.strip_suffix(b".") {
            domain = d;
        }
        let line_start = text
            .get(..s)
            .and_then(|t| memchr::memrchr(b'\n', t))
            .map_or(0, |i| i + 1);
        let line = text.get(line_start..at).unwrap_or_default();
        // A Message-ID is no recipient.
        let id = line
            .windows(10)
            .any(|w| w.eq_ignore_ascii_case(b"message-id"));
        if local.is_empty() || !domain.contains(&b'.') || id {
            continue;
        }
        let mut addr = String::from_utf8_lossy(local).into_owned();
        addr.push('@');
        addr.push_str(&String::from_utf8_lossy(domain));
        out.push((s, addr));
    }
    out
}

/// The charset a bounce's text is written in (its Content-Type), read
/// through the page's or the CLI's backend.
#[derive(Clone, Copy)]
pub(crate) struct TextCharset<'a> {
    pub(crate) legacy: Legacy,
    pub(crate) charsets: &'a dyn Charsets,
}

/// `bytes` of the bounce's text as words on one line: in its charset when
/// it names a legacy one (ISO-2022-JP, Shift_JIS, EUC-JP… a Japanese
/// carrier's reason), else UTF-8 with replacement characters.
fn words(bytes: &[u8], charset: Option<TextCharset<'_>>) -> String {
    let text = charset
        .and_then(|c| decode_legacy_lossy(c.charsets, c.legacy, bytes))
        .unwrap_or_else(|| String::from_utf8_lossy(bytes).into_owned());
    single_spaced(&text)
}

/// The paragraph of `text` around `at`: from its line to the next blank
/// line, on one line.
fn paragraph(text: &[u8], at: usize, charset: Option<TextCharset<'_>>) -> String {
    let start = text
        .get(..at)
        .and_then(|t| memchr::memrchr(b'\n', t))
        .map_or(0, |i| i + 1);
    let rest = text.get(start..).unwrap_or_default();
    let mut end = rest.len();
    let mut i = 0;
    while let Some(nl) = rest.get(i..).and_then(|r| memchr::memchr(b'\n', r)) {
        let next = i + nl + 1;
        let line = rest.get(next..).unwrap_or_default();
        let line_end = memchr::memchr(b'\n', line).unwrap_or(line.len());
        if line
            .get(..line_end)
            .is_some_and(|l| l.iter().all(u8::is_ascii_whitespace))
        {
            end = next;
            break;
        }
        i = next;
    }
    words(rest.get(..end).unwrap_or_default(), charset)
}

/// Lines above `at`'s line in its paragraph (up to a blank line, at most
/// four lines), ruler headings (`------- Failure Reasons --------`) left
/// out, on one line: where Lotus Notes writes the reason for the address
/// below it.
fn above(text: &[u8], at: usize, charset: Option<TextCharset<'_>>) -> String {
    let mut end = text
        .get(..at)
        .and_then(|t| memchr::memrchr(b'\n', t))
        .unwrap_or(0);
    let mut kept: Vec<&[u8]> = Vec::new();
    for _ in 0..4 {
        if end == 0 {
            break;
        }
        let start = text
            .get(..end)
            .and_then(|t| memchr::memrchr(b'\n', t))
            .map_or(0, |i| i + 1);
        let line = text.get(start..end).unwrap_or_default().trim_ascii();
        if line.is_empty() {
            break;
        }
        let ruler = line.starts_with(b"---") || line.ends_with(b"---");
        if !ruler {
            kept.push(line);
        }
        end = start.saturating_sub(1);
    }
    kept.reverse();
    words(&kept.join(&b'\n'), charset)
}

/// A paragraph of addresses and marks only (`<a@b>:`, `>>> a@b <a@b>`):
/// under a dozen characters of other words.
fn bare(para: &str) -> bool {
    para.split_whitespace()
        .filter(|w| !w.contains('@'))
        .map(|w| w.chars().filter(|c| c.is_alphanumeric()).count())
        .sum::<usize>()
        < 12
}

/// Labels of a line naming a sender, not a recipient (a summary's
/// `MAIL FROM:` and `From:`, a transcript's `>>> MAIL From:<…>`).
const SENDER_LABELS: &[&[u8]] = &[
    b"from:",
    b"mail from:",
    b"sender:",
    b"reply-to:",
    b"return-path:",
    b"envelope-from:",
];

/// Whether the address at `at` in `text` is on a line labelled as a
/// sender's.
fn sender_line(text: &[u8], at: usize) -> bool {
    let start = text
        .get(..at)
        .and_then(|t| memchr::memrchr(b'\n', t))
        .map_or(0, |i| i + 1);
    let prefix = text.get(start..at).unwrap_or_default();
    let lead = prefix
        .iter()
        .take_while(|b| b.is_ascii_whitespace() || **b == b'>')
        .count();
    let prefix = prefix.get(lead..).unwrap_or_default();
    SENDER_LABELS.iter().any(|label| {
        prefix
            .get(..label.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(label))
    })
}

/// The server a bounce's words name after `host ` or `server ` (any
/// case): a host name with a dot, or an address, and the address in
/// brackets after it (`mx.example.jp [192.0.2.20]`).
fn named_server(words: &str) -> Option<String> {
    let lower = words.to_ascii_lowercase();
    for mark in ["host ", "server "] {
        let mut from = 0;
        while let Some(at) = lower.get(from..).and_then(|t| t.find(mark)) {
            let start = from + at + mark.len();
            from = start;
            let rest = words.get(start..).unwrap_or_default();
            let len = rest
                .bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b':'))
                .count();
            let name = rest
                .get(..len)
                .unwrap_or_default()
                .trim_end_matches([':', '.']);
            let is_host = name.contains('.')
                && name.chars().any(|c| c.is_ascii_alphabetic())
                && !name.contains(':');
            let is_ip = name.parse::<std::net::IpAddr>().is_ok();
            if !(is_host || is_ip) {
                continue;
            }
            let after = rest.get(name.len()..).unwrap_or_default().trim_start();
            let ip = after
                .strip_prefix('[')
                .and_then(|t| t.split_once(']'))
                .map(|(ip, _)| ip)
                .filter(|ip| ip.parse::<std::net::IpAddr>().is_ok());
            return Some(match ip {
                Some(ip) if is_host => format!("{name} [{ip}]"),
                _ => name.to_string(),
            });
        }
    }
    None
}

/// The recipients a plain-text bounce names: the addresses in `text` (at
/// `offset` in the input) other than `exclude` (the bounce's and the
/// original message's own addresses, Message-IDs), those in `prefer` (the
/// original's To and Cc) first when any is named; `failed` (an
/// `X-Failed-Recipients` field) when given.
pub(crate) fn from_text(
    text: &[u8],
    offset: usize,
    failed: &[String],
    exclude: &[String],
    prefer: &[String],
    charset: Option<TextCharset<'_>>,
) -> Vec<Recipient> {
    let found = addresses(text);
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let daemon = |a: &str| {
        let local = a.split('@').next().unwrap_or_default().to_ascii_lowercase();
        ["mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"].contains(&local.as_str())
    };
    let mut picked: Vec<(usize, String)> = Vec::new();
    if failed.is_empty() {
        let candidates: Vec<&(usize, String)> = found
            .iter()
            .filter(|(at, a)| {
                !daemon(a) && !exclude.iter().any(|x| same(x, a)) && !sender_line(text, *at)
            })
            .collect();
        let preferred: Vec<&&(usize, String)> = candidates
            .iter()
            .filter(|(_, a)| prefer.iter().any(|p| same(p, a)))
            .collect();
        let chosen: Vec<&(usize, String)> = if preferred.is_empty() {
            candidates
        } else {
            preferred.into_iter().copied().collect()
        };
        for (at, a) in chosen {
            if !picked.iter().any(|(_, p)| same(p, a)) && picked.len() < MAX_RECIPIENTS {
                picked.push((*at, a.clone()));
            }
        }
    } else {
        for f in failed.iter().take(MAX_RECIPIENTS) {
            let at = found
                .iter()
                .find(|(_, a)| same(a, f))
                .map_or(0, |(at, _)| *at);
            picked.push((at, f.clone()));
        }
    }
    picked
        .into_iter()
        .map(|(at, address)| {
            let mut para = paragraph(text, at, charset);
            if bare(&para) {
                let reason = above(text, at, charset);
                if !reason.is_empty() {
                    para = format!("{reason} {para}");
                }
            }
            // `<a@b>:` alone (or `>>> a@b <a@b>`), or a sentence naming the
            // address with no reply in it ('There was an error delivering
            // your mail to <a@b>.'): the receiver's words are in the next
            // paragraph (taken, for a sentence, when it holds a reply).
            let sentence = !bare(&para) && bounce::decode(para.as_bytes()).is_empty();
            if bare(&para) || sentence {
                // After the blank line (LF or CRLF line ends).
                let next = text.get(at..).and_then(|t| {
                    memchr::memchr_iter(b'\n', t).find_map(|i| match t.get(i + 1..i + 3) {
                        Some([b'\n', _]) => Some(at + i + 2),
                        Some([b'\r', b'\n']) => Some(at + i + 3),
                        _ => None,
                    })
                });
                let more = next.map(|n| paragraph(text, n, charset));
                if let Some(more) =
                    more.filter(|m| !sentence || !bounce::decode(m.as_bytes()).is_empty())
                {
                    para.push(' ');
                    para.push_str(&more);
                    para = para.trim().to_string();
                }
            }
            let codes = bounce::decode(para.as_bytes());
            let found_here = !codes.is_empty();
            let whole = if codes.iter().any(|c| c.enhanced.is_some()) {
                codes
            } else {
                bounce::decode(text)
            };
            let status = whole.iter().find_map(|c| c.enhanced.clone());
            // The words around the address hold no reply, and the text one
            // refusal elsewhere (m-FILTER's `-------server message` section,
            // sisimai-004): that reply is the receiver's message.
            let reply_line = match whole.as_slice() {
                [one] if !found_here => text
                    .get(one.span.start..one.span.end)
                    .map(|line| words(line, charset))
                    .filter(|w| !w.is_empty()),
                _ => None,
            };
            let diagnostic = reply_line.or((!para.is_empty()).then_some(para));
            let line_end = text
                .get(at..)
                .and_then(|t| memchr::memchr(b'\n', t))
                .map_or(text.len(), |i| at + i);
            let span = Span {
                start: offset + at,
                end: offset + line_end,
            };
            recipient(address, None, status, None, diagnostic, span)
        })
        .collect()
}

/// The one recipient of the original, when the bounce's `text` (at `span`
/// in the input) names no address: its words are the diagnostic.
pub(crate) fn not_reached(
    text: &[u8],
    address: String,
    span: Span,
    charset: Option<TextCharset<'_>>,
) -> Recipient {
    let words = words(text, charset);
    let codes = bounce::decode(text);
    let status = codes.iter().find_map(|c| c.enhanced.clone());
    let diagnostic = (!words.is_empty()).then_some(words);
    recipient(address, None, status, None, diagnostic, span)
}

#[cfg(test)]
mod tests {

    /// Review of the bounces (sisimai-040, -048, -060, -014): a text bounce
    /// names the server that refused in its words, and "Refused by" was
    /// left out.
    #[test]
    fn the_server_a_text_bounce_names_is_the_one_that_refused() {
        for (words, want) in [
            (
                "SMTP error from remote mail server after MAIL FROM:<a@shop.test> SIZE=1543: host mx.example.jp [192.0.2.20]: 550 5.7.0 refused",
                Some("mx.example.jp [192.0.2.20]"),
            ),
            (
                "Server mx22.example.org[192.0.2.222] failed with: 550 <k@example.org> No such user here",
                Some("mx22.example.org [192.0.2.222]"),
            ),
            (
                "Sorry, no SMTP connection got far enough; remote host 192.0.2.32 said: 550 Unknown user",
                Some("192.0.2.32"),
            ),
            (
                "delivery temporarily suspended: host mfsmax.example.net[203.0.113.127] refused to talk to me: 421",
                Some("mfsmax.example.net [203.0.113.127]"),
            ),
            // No host named: a word after "host" is no server.
            ("the host refused: 550 No such user", None),
            ("550 5.1.1 <k@example.org>... User Unknown", None),
        ] {
            assert_eq!(named_server(words).as_deref(), want, "{words}");
        }
    }

    use super::*;

    #[test]
    fn delivery_status_groups_give_one_recipient_each() {
        let body = b"Reporting-MTA: dns; mx.example.net\nArrival-Date: today\n\nFinal-Recipient: rfc822; <a@example.org>\nAction: failed\nStatus: 5.1.1\nRemote-MTA: dns; mx.example.org\nDiagnostic-Code: smtp; 550 5.1.1 <a@example.org>:\n  user unknown\n\nFinal-Recipient: rfc822; b@example.org\nAction: delayed\nStatus: 4.2.2\n";
        let dsn = read(
            body,
            Span {
                start: 0,
                end: body.len(),
            },
            &crate::header::charset::NoCharsets,
            None,
        );
        assert_eq!(dsn.reporting_mta.as_deref(), Some("mx.example.net"));
        assert_eq!(dsn.recipients.len(), 2);
        let a = &dsn.recipients[0];
        assert_eq!(a.address, "a@example.org");
        assert_eq!(a.status.as_deref(), Some("5.1.1"));
        assert_eq!(a.reply, Some(550));
        assert_eq!(a.remote_mta.as_deref(), Some("mx.example.org"));
        assert_eq!(
            a.diagnostic.as_deref(),
            Some("550 5.1.1 <a@example.org>: user unknown")
        );
        assert!(!a.temporary);
        assert!(dsn.recipients[1].temporary);
        assert_eq!(dsn.recipients[1].action.as_deref(), Some("delayed"));
    }

    #[test]
    fn a_line_of_addresses_takes_the_reply_below_it_at_any_line_end() {
        // ActiveHunter: the address twice on its line, the reply after a
        // blank line and the transcript heading.
        for eol in ["\n", "\r\n"] {
            let text = "  ----- The following addresses had permanent fatal errors -----\n\n>>> kijitora@example.org <kijitora@example.org>\n\n  ----- Transcript of session follows -----\n550 sorry, no mailbox here by that name (#5.1.1 - chkusr)\n"
                .replace('\n', eol);
            let r = from_text(text.as_bytes(), 0, &[], &[], &[], None);
            assert_eq!(r.len(), 1, "{eol:?} {r:?}");
            let d = r[0].diagnostic.as_deref().unwrap();
            assert!(
                d.contains("550 sorry, no mailbox here by that name"),
                "{eol:?} {d}"
            );
            assert_eq!(r[0].status.as_deref(), Some("5.1.1"));
        }
    }

    #[test]
    fn a_sentence_naming_the_address_takes_the_reply_below_it() {
        // DragonFly Mail Agent.
        let text = b"There was an error delivering your mail to <a@example.com>.\n\nmx.example.com [192.0.2.1] did not like our final DATA:\n550 5.7.26 Unauthenticated email is not accepted\n\nMessage headers follow.\n";
        let r = from_text(text, 0, &[], &[], &[], None);
        assert_eq!(r.len(), 1, "{r:?}");
        let d = r[0].diagnostic.as_deref().unwrap();
        assert!(d.contains("did not like our final DATA"), "{d}");
        assert!(!d.contains("Message headers follow"), "{d}");
        assert_eq!(r[0].status.as_deref(), Some("5.7.26"));
        // A next paragraph without a reply is not joined to a sentence.
        let text = b"Delivery to <a@example.com> failed.\n\nsender was b@example.org\n";
        let r = from_text(text, 0, &[], &["b@example.org".into()], &[], None);
        assert_eq!(
            r[0].diagnostic.as_deref(),
            Some("Delivery to <a@example.com> failed.")
        );
    }

    #[test]
    fn a_reason_written_above_a_bare_address_is_its_diagnostic() {
        // Lotus Notes: the reason on the line above the address, in the
        // same paragraph, under a ruler heading.
        let text = b"------- Failure Reasons  --------\n\nUser not listed in public Name & Address Book\nkijitora@example.com\n\n------- Returned Message --------\n";
        let r = from_text(text, 0, &[], &[], &[], None);
        assert_eq!(r.len(), 1, "{r:?}");
        let d = r[0].diagnostic.as_deref().unwrap();
        assert!(
            d.contains("User not listed in public Name & Address Book"),
            "{d}"
        );
        assert!(!d.contains("Returned Message"), "{d}");
        // A ruler heading above the address is no reason: the reply below
        // still is.
        let text = b"   ----- The following addresses had permanent fatal errors -----\n<kijitora@example.org>\n\n   ----- Transcript of session follows -----\n>>> RCPT TO:<kijitora@example.org>\n<<< 553 Invalid recipient kijitora@example.org (Mode: normal)\n";
        let r = from_text(text, 0, &[], &[], &[], None);
        let d = r[0].diagnostic.as_deref().unwrap();
        assert!(d.contains("553 Invalid recipient"), "{d}");
        assert!(!d.contains("permanent fatal errors"), "{d}");
    }

    #[test]
    fn a_summarys_sender_lines_name_no_recipient() {
        // Apache James: the summary names the envelope and header senders
        // beside the recipient (RCPT TO).
        let text = b"Error: Invalid user address\n\nError message below:\n550 - Requested action not taken: no such user here\n\nMessage details:\n  Subject: Test message\n  MAIL FROM: kijitora@example.com\n  RCPT TO: 5550100@vtext.example.com\n  From: shironeko@example.com\n  Sender: \"Office\" <office@example.com>\n";
        let r = from_text(text, 0, &[], &[], &[], None);
        let got: Vec<&str> = r.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(got, ["5550100@vtext.example.com"]);
        // Quoted transcript lines too (`>>> MAIL From:<…>`).
        let text = b"<nobody@example.net>: 550 5.1.1 user unknown\n>>> MAIL From:<me@example.org> SIZE=10\n";
        let r = from_text(text, 0, &[], &[], &[], None);
        let got: Vec<&str> = r.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(got, ["nobody@example.net"]);
    }

    #[test]
    fn text_bounce_names_the_recipient_not_the_sender() {
        let text = b"This is the mail system.\n\n<kijitora@example.jp>:\nhost mx.example.jp[192.0.2.1] said: 550 5.1.1\n    <kijitora@example.jp>... User Unknown (in reply to RCPT TO command)\n\nsender was shironeko@example.org\n";
        let r = from_text(text, 10, &[], &["shironeko@example.org".into()], &[], None);
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].address, "kijitora@example.jp");
        assert_eq!(r[0].status.as_deref(), Some("5.1.1"));
        assert!(r[0].diagnostic.as_deref().unwrap().contains("User Unknown"));
        assert_eq!(r[0].span.start, 10 + "This is the mail system.\n\n<".len());
    }
}
