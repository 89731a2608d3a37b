//! Received header parsing (RFC 5321 4.4 and what real MTAs write).
//!
//! The value is split into clauses (`from`, `by`, `via`, `with`, `id`, `for`,
//! and the date after the last `;`); parenthesised comments are read for the
//! facts MTAs put there. Which name is the HELO and which the reverse-DNS name
//! depends on the MTA's format:
//!
//! | format | example | HELO | rDNS |
//! |---|---|---|---|
//! | Postfix, Sendmail | `from helo (rdns [ip])` | `helo` (`unknown` = none) | `rdns` (`unknown` = none) |
//! | qmail | `from rdns (HELO helo) (ip)`, `from rdns (ip)` | `helo` (or `rdns` if omitted) | `rdns` |
//! | Exim 4 | `from rdns ([ip]:port helo=helo)`, `from [ip] (helo=helo)` | `helo` | `rdns` |
//! | Exchange, Sendmail without rDNS | `from helo ([ip])` | `helo` | none (Exim: `rdns`) |
//! | CommuniGate | `from name ([ip] verified)` | `name` | `name` |
//! | SurfControl | `from Unknown [ip] by host - SurfControl …` | none | none |
//!
//! Never fails: a header that yields no client IP is kept as a `local` hop.

use std::net::IpAddr;

use crate::header::datetime::{self, Stamp};
use crate::header::text::{contains_ci, starts_ci};

/// The facts in one Received header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Parsed {
    pub(crate) from_host: Option<String>,
    pub(crate) helo: Option<String>,
    pub(crate) rdns: Option<String>,
    pub(crate) ip: Option<IpAddr>,
    pub(crate) ident: Option<String>,
    pub(crate) by_host: Option<String>,
    pub(crate) by_ip: Option<IpAddr>,
    pub(crate) protocol: Option<String>,
    pub(crate) tls_version: Option<String>,
    pub(crate) tls_cipher: Option<String>,
    pub(crate) id: Option<String>,
    pub(crate) for_: Option<String>,
    pub(crate) via: Option<String>,
    pub(crate) envelope_from: Option<String>,
    pub(crate) authenticated: bool,
    pub(crate) date: Option<Stamp>,
    /// Not a network relay even though an address is written: mailbox
    /// fetching (fetchmail over POP3/IMAP) or a local scanner hand-off.
    pub(crate) local: bool,
}

/// A piece of the value; each is a slice of the unfolded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item<'a> {
    Word(&'a str),
    /// `[…]` outside parentheses.
    Bracket(&'a str),
    /// `(…)`, inner text with nesting kept.
    Paren(&'a str),
}

impl<'a> Item<'a> {
    fn text(self) -> &'a str {
        match self {
            Item::Word(t) | Item::Bracket(t) | Item::Paren(t) => t,
        }
    }
}

/// Split `text` at the last `;` that is outside parentheses.
fn split_date(text: &str) -> (&str, Option<&str>) {
    let mut depth = 0usize;
    let mut last = None;
    for (i, &c) in text.as_bytes().iter().enumerate() {
        match c {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b';' if depth == 0 => last = Some(i),
            _ => {}
        }
    }
    match last {
        Some(i) => (text.get(..i).unwrap_or(text), text.get(i + 1..)),
        None => (text, None),
    }
}

/// The text between `from` and `to` (byte offsets at ASCII delimiters).
fn slice(text: &str, from: usize, to: usize) -> &str {
    text.get(from..to.min(text.len())).unwrap_or_default()
}

/// Words, `[…]` and `(…)` of unfolded text (its only white space is ASCII:
/// [`parse`] unfolds with `split_whitespace`).
fn items(text: &str) -> Vec<Item<'_>> {
    let bytes = text.as_bytes();
    let len = bytes.len();
    // About one item per eight bytes in real headers.
    let mut out = Vec::with_capacity(len / 8 + 4);
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        if c.is_ascii_whitespace() || c == b',' {
            i += 1;
        } else if c == b'(' {
            let start = i + 1;
            let mut depth = 1usize;
            let mut end = len;
            for (j, &d) in bytes.iter().enumerate().skip(start) {
                match d {
                    b'(' => depth += 1,
                    b')' => {
                        depth -= 1;
                        if depth == 0 {
                            end = j;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            out.push(Item::Paren(slice(text, start, end)));
            i = end + 1;
        } else if c == b'[' {
            let start = i + 1;
            let end = find(bytes, start, b']').unwrap_or(len);
            out.push(Item::Bracket(slice(text, start, end)));
            i = end + 1;
            // `[ip]:port`
            if bytes.get(i) == Some(&b':') {
                i += 1;
                while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
        } else {
            let start = i;
            while let Some(&c) = bytes.get(i) {
                if c == b'(' && i > start {
                    // `name(1.2.3.4)`: keep a glued, space-free comment in the word.
                    match find(bytes, i, b')') {
                        Some(close)
                            if !bytes
                                .get(i..close)
                                .unwrap_or_default()
                                .iter()
                                .any(u8::is_ascii_whitespace) =>
                        {
                            i = close + 1;
                            continue;
                        }
                        _ => break,
                    }
                }
                if c.is_ascii_whitespace() || c == b'(' || (c == b'[' && i > start) || c == b',' {
                    break;
                }
                i += 1;
            }
            out.push(Item::Word(slice(text, start, i)));
        }
    }
    out
}

/// The first `byte` at or after `from`.
fn find(bytes: &[u8], from: usize, byte: u8) -> Option<usize> {
    memchr::memchr(byte, bytes.get(from..)?).map(|at| at + from)
}

/// An IP address in the forms MTAs write: `1.2.3.4`, `IPv6:…`, `::ffff:1.2.3.4`
/// (reported as IPv4), `1.2.3.4:port`, `1.2.3.4.port` (Exim 3).
fn ip_of(text: &str) -> Option<IpAddr> {
    let t = text
        .trim()
        .trim_matches(|c| c == '(' || c == ')' || c == ',')
        .trim_start_matches('[');
    // `[ip]:port` → `ip`
    let t = t.split(']').next().unwrap_or(t);
    let t = t
        .strip_prefix("IPv6:")
        .or_else(|| t.strip_prefix("ipv6:"))
        .unwrap_or(t);
    // Addresses (and the `:port`/`.port` forms below) are hex digits, dots
    // and colons, with a digit or a colon: most words are not, and need no
    // parsing.
    if !t.bytes().any(|b| b.is_ascii_digit() || b == b':')
        || !t
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
    {
        return None;
    }
    let candidates = [
        Some(t),
        t.rsplit_once(':')
            .map(|(a, _)| a)
            .filter(|a| a.contains('.') && !a.contains(':')),
        t.rsplit_once('.')
            .map(|(a, _)| a)
            .filter(|a| a.matches('.').count() == 3),
    ];
    for c in candidates.into_iter().flatten() {
        if let Ok(ip) = c.parse::<IpAddr>() {
            return Some(match ip {
                IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
                v4 => v4,
            });
        }
    }
    None
}

/// The clause a word starts, lower-cased.
fn keyword(word: &str) -> Option<&'static str> {
    ["from", "by", "via", "with", "id", "for"]
        .into_iter()
        .find(|k| word.eq_ignore_ascii_case(k))
}

fn is_keyword(word: &str) -> bool {
    keyword(word).is_some()
}

fn item_keyword(item: Item<'_>) -> Option<&'static str> {
    match item {
        Item::Word(w) => keyword(w),
        _ => None,
    }
}

/// Names that mean "no reverse DNS name".
fn no_rdns(name: &str) -> bool {
    ["unknown", "softdnserr", "unverified"]
        .into_iter()
        .any(|n| name.eq_ignore_ascii_case(n))
}

/// A reverse-DNS name is a domain name: it has a dot (or is `localhost`).
fn rdns_like(name: &str) -> bool {
    !no_rdns(name)
        && (name.contains('.') || name.eq_ignore_ascii_case("localhost"))
        && ip_of(name).is_none()
}

fn strip_angle(s: &str) -> String {
    s.trim_matches(|c| c == '<' || c == '>' || c == ';' || c == ',')
        .to_string()
}

/// Facts found inside one from-clause comment.
#[derive(Default)]
struct Comment {
    helo: Option<String>,
    rdns: Option<String>,
    ip: Option<IpAddr>,
    ident: Option<String>,
    verified: bool,
    host_only: Option<String>,
}

/// The facts in one comment (`inner`, without its parentheses) of a
/// `from` clause; TLS, authentication and envelope facts go into `p`.
fn read_comment(inner: &str, p: &mut Parsed) -> Comment {
    let mut c = Comment::default();
    // TLS, authentication and envelope facts can sit in any comment.
    tls_facts(inner, p);
    if contains_ci(inner, "authenticated")
        || starts_ci(inner, "auth:")
        || starts_ci(inner, "account ")
    {
        p.authenticated = true;
    }
    let words = comment_words(inner, p);
    let mut i = 0;
    while let Some(w) = words.get(i).copied() {
        if starts_ci(w, "ident=") {
            // Exim: `ident=user`, `ident=[…]`
            c.ident = Some(
                w.get(6..)
                    .unwrap_or_default()
                    .trim_matches(['[', ']'])
                    .to_string(),
            );
            i += 1;
            continue;
        }
        if ["helo", "ehlo", "lhlo"]
            .into_iter()
            .any(|k| w.eq_ignore_ascii_case(k))
        {
            // `HELO name`; `(HELO )` is an empty greeting.
            c.helo = Some(words.get(i + 1).copied().unwrap_or_default().to_string());
            i += 2;
            continue;
        }
        if starts_ci(w, "helo=") {
            c.helo = Some(w.get(5..).unwrap_or_default().to_string());
        } else if w.eq_ignore_ascii_case("verified") {
            c.verified = true;
        } else if starts_ci(w, "ident:") {
            // Sendmail `IDENT:user@host`
            c.ident = w
                .get(6..)
                .map(|s| s.split('@').next().unwrap_or(s).to_string());
        } else if c.ip.is_none() && (w.starts_with('[') || ip_of(w).is_some()) {
            if let Some(ip) = ip_of(w) {
                c.ip = Some(ip);
                if i > 0
                    && c.rdns.is_none()
                    && let Some(prev) = words.get(i - 1)
                {
                    name_before_address(prev, &mut c);
                }
            }
        } else if let Some((user, host)) = w.split_once('@').filter(|_| c.ip.is_none()) {
            user_at_host(user, host, &words, &mut c);
        } else if w.eq_ignore_ascii_case("as")
            && words
                .get(i + 1)
                .is_some_and(|n| n.eq_ignore_ascii_case("user"))
        {
            // `as user jason@localhost`
            c.ident = words
                .get(i + 2)
                .map(|u| u.split('@').next().unwrap_or(u).to_string());
        }
        i += 1;
    }
    if words.len() == 1
        && c.ip.is_none()
        && c.helo.is_none()
        && let Some(w) = words.first().filter(|w| rdns_like(w) || w.contains('.'))
    {
        c.host_only = Some((*w).to_string());
    }
    c
}

/// The words of a comment, a name glued to its address split in two; the
/// envelope sender it names goes into `p`.
fn comment_words<'a>(inner: &'a str, p: &mut Parsed) -> Vec<&'a str> {
    let mut raw = inner.split_ascii_whitespace().peekable();
    let mut envelope_seen = false;
    let mut words: Vec<&str> = Vec::with_capacity(inner.len() / 6 + 2);
    while let Some(w) = raw.next() {
        // The first `envelope-from x`: the word after it.
        if !envelope_seen
            && (w.eq_ignore_ascii_case("envelope-from")
                || w.eq_ignore_ascii_case("envelope-sender"))
        {
            envelope_seen = true;
            p.envelope_from = raw.peek().map(|w| strip_angle(w));
        }
        // `unknown[1.2.3.4]`, `<name>[1.2.3.4]`: split a name glued to its address.
        match w.find('[') {
            Some(at) if at > 0 && !w.get(..at).unwrap_or_default().ends_with('@') => {
                words.push(w.get(..at).unwrap_or_default().trim_matches(['<', '>']));
                words.push(w.get(at..).unwrap_or_default());
            }
            _ => words.push(w),
        }
    }
    words
}

/// `name [ip]`: the word before the address (`prev`) is the reverse-DNS
/// name (after `user@` in Sendmail's `(user@rdns [ip])`).
fn name_before_address(prev: &str, c: &mut Comment) {
    let prev = prev.trim_start_matches('(');
    let prev = match prev.split_once('@') {
        Some((user, host)) if ip_of(host).is_none() => {
            c.ident.get_or_insert_with(|| {
                user.trim_start_matches("IDENT:")
                    .trim_start_matches("ident:")
                    .to_string()
            });
            host
        }
        _ => prev,
    };
    if !prev.contains('=')
        && !prev.contains(':')
        && !prev.eq_ignore_ascii_case("helo")
        && !prev.eq_ignore_ascii_case("ehlo")
    {
        c.rdns = Some(prev.to_string());
    }
}

/// A `user@host` word of a comment (one of `words`) before any address:
/// qmail `(user@ip)`; CommuniGate `user@domain@ip`; Sendmail
/// `(user@localhost)`, a local user with no address.
fn user_at_host(user: &str, host: &str, words: &[&str], c: &mut Comment) {
    let (user, host) = match host.rsplit_once('@') {
        Some((mid, ip)) => (format!("{user}@{mid}"), ip),
        None => (user.to_string(), host),
    };
    if let Some(ip) = ip_of(host) {
        c.ip = Some(ip);
        c.ident = Some(user);
    } else if words.len() == 1
        || words
            .first()
            .is_some_and(|f| f.eq_ignore_ascii_case("user"))
    {
        c.ident = Some(user);
    }
}

/// TLS version and cipher in the spellings MTAs use.
fn tls_facts(text: &str, p: &mut Parsed) {
    // Every spelling below has `=` or `:`, or the word `using`; a comment
    // that starts with a negation says there was no TLS (Active!gate's
    // `(not using TLS)`, `(no TLS)`, `(without TLS: …)`).
    if !text.bytes().any(|b| b == b'=' || b == b':') && !contains_ci(text, "using")
        || ["no ", "not ", "without "]
            .iter()
            .any(|n| starts_ci(text, n))
    {
        return;
    }
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        if starts_ci(w, "version=") {
            p.tls_version
                .get_or_insert_with(|| w.get(8..).unwrap_or_default().to_string());
        } else if starts_ci(w, "cipher=") {
            p.tls_cipher
                .get_or_insert_with(|| w.get(7..).unwrap_or_default().to_string());
        } else if w.eq_ignore_ascii_case("tls:") || w.eq_ignore_ascii_case("ssl:") {
            // `(AUTH: …, TLS: TLS1.3, 128bits, ECDHE_RSA_AES_128_GCM_SHA256)`
            if let Some(v) = words.get(i + 1) {
                p.tls_version.get_or_insert_with(|| (*v).to_string());
            }
            let cipher = words
                .iter()
                .skip(i + 2)
                .flat_map(|w| w.split(','))
                .find(|w| (w.contains('_') || w.contains('-')) && !w.ends_with("bits"));
            if let Some(c) = cipher {
                p.tls_cipher.get_or_insert_with(|| c.to_string());
            }
        } else if w.eq_ignore_ascii_case("using") {
            // Postfix: `using TLSv1.3 with cipher X`
            if let Some(v) = words.get(i + 1) {
                p.tls_version.get_or_insert_with(|| (*v).to_string());
            }
            if let Some(pos) = words
                .iter()
                .skip(i)
                .position(|w| w.eq_ignore_ascii_case("cipher"))
                && let Some(c) = words.get(i + pos + 1)
            {
                p.tls_cipher.get_or_insert_with(|| (*c).to_string());
            }
        } else if starts_ci(w, "tls") && w.matches(':').count() == 2 {
            // Exim: `(TLSv1:DES-CBC3-SHA:168)`, `(TLS-1.0:DHE_RSA_3DES_EDE_CBC_SHA:24)`
            let mut parts = w.split(':');
            if let (Some(v), Some(c)) = (parts.next(), parts.next()) {
                p.tls_version.get_or_insert_with(|| v.to_string());
                p.tls_cipher.get_or_insert_with(|| c.to_string());
            }
        }
    }
}

/// A TLS value that says there was none (`none`, `no`, `TLS:none`).
fn no_tls(value: &str) -> bool {
    let v = value
        .bytes()
        .rposition(|b| b == b':' || b == b'=')
        .and_then(|at| value.get(at + 1..))
        .unwrap_or(value);
    v.eq_ignore_ascii_case("none") || v.eq_ignore_ascii_case("no")
}

/// The protocol word as a registered `with` type (RFC 3848) where the MTA
/// wrote a variant: Exim's `local-esmtp`, CommuniGate's `ESMTP-TLS`,
/// `Microsoft SMTP Server`, batch `BSMTP`.
fn normalise_protocol(word: &str) -> String {
    let w = if starts_ci(word, "local-") {
        word.get(6..).unwrap_or_default()
    } else {
        word
    };
    if w.eq_ignore_ascii_case("microsoft") || w.eq_ignore_ascii_case("bsmtp") {
        "SMTP".to_string()
    } else if w.eq_ignore_ascii_case("esmtp-tls") {
        "ESMTPS".to_string()
    } else {
        w.to_ascii_uppercase()
    }
}

/// No `;` before the date (SendGrid, some Lotus servers): the longest
/// trailing run of words that reads as a date, of the last ten words.
fn trailing_date(body: &str) -> Option<(usize, Stamp)> {
    // The starts of the last ten words, found from the end (`body` is
    // unfolded: words are separated by single spaces).
    let mut starts = [0usize; 10];
    let mut found = 0;
    let mut end = body.len();
    while found < starts.len() {
        let Some(word) = body.get(..end).map(|b| b.trim_end_matches(' ')) else {
            break;
        };
        if word.is_empty() {
            break;
        }
        let start = word.rfind(' ').map_or(0, |i| i + 1);
        if let Some(slot) = starts.get_mut(found) {
            *slot = start;
        }
        found += 1;
        end = start;
    }
    // Longest first: the earliest start. A run of more than four digits is
    // no part of a date but an id before it (IMail's `id 000000000000 Thu,
    // 29 Apr 2009 …` read as the year 2000).
    let id_like = |w: &str| w.len() > 4 && w.bytes().all(|b| b.is_ascii_digit());
    starts
        .get(..found)?
        .iter()
        .rev()
        .filter(|&&i| body.get(i..).is_some_and(|t| !t.split(' ').any(id_like)))
        .find_map(|&i| datetime::parse(body.get(i..)?).map(|s| (i, s)))
}

/// A Received value's clauses are read from its first this many bytes (its
/// date, after the last `;`, wherever it is): real ones are under 2 KB, and
/// reading a hostile one of megabytes whole would cost ten times its size
/// in word lists (issue 19 item 3).
const MAX_PARSED: usize = 8 << 10;

/// `text` cut to at most `max` bytes, at a character boundary.
fn clip(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

/// Parse one Received header value.
pub(crate) fn parse(value: &str) -> Parsed {
    let unfolded = unfold(value);
    let (body, date) = split_date(&unfolded);
    let (date, late_id, late_for) = late_clauses(date);
    let mut p = Parsed {
        date: date.and_then(datetime::parse),
        ..Parsed::default()
    };
    // Only when there was no `;` before a date (looked for lazily: it tries
    // several suffixes).
    let body = match date.is_none().then(|| trailing_date(body)).flatten() {
        Some((at, stamp)) => {
            p.date = Some(stamp);
            body.get(..at).unwrap_or(body)
        }
        None => body,
    };
    let body = clip(body, MAX_PARSED);
    let mut all = items(body);
    // `(from KRYPTIK [1.2.3.4]) by …`: a from clause inside parentheses.
    if let Some(&Item::Paren(inner)) = all.first()
        && starts_ci(inner.trim_start(), "from ")
    {
        let mut inline = items(inner);
        inline.extend(all.drain(1..));
        all = inline;
    }
    let clauses = clauses(&all, &mut p);
    let clause = |name: &str| {
        clauses
            .iter()
            .find(|(k, _, _)| *k == name)
            .and_then(|&(_, start, end)| all.get(start..end))
    };
    if let Some(items) = clause("by") {
        read_by(items, &mut p);
    }
    if let Some(items) = clause("with") {
        read_with(items, &mut p);
    }
    if let Some(items) = clause("id") {
        if let Some(Item::Word(w)) = items.first() {
            p.id = Some(strip_angle(w));
        }
        // Sendmail: `id X (version=TLSv1.3 cipher=… bits=256 verify=NO)`.
        comments_tls(items, &mut p);
    }
    if p.id.is_none() {
        p.id = late_id;
    }
    if p.for_.is_none() {
        p.for_ = late_for.map(|f| f.trim().to_string());
    }
    if let Some(items) = clause("for") {
        if let Some(Item::Word(w)) = items.first() {
            p.for_ = Some(strip_angle(w));
        }
        comments_tls(items, &mut p);
    }
    if let Some(items) = clause("via") {
        p.via = via_text(items);
    }
    if p.protocol
        .as_deref()
        .is_some_and(|w| w.ends_with('A') && (w.starts_with("ESMTP") || w.starts_with("LMTP")))
    {
        p.authenticated = true;
    }

    // Text inside one item of a clause (words hold no spaces, so a phrase
    // with one is in a comment or brackets).
    let clause_has = |name: &str, found: &dyn Fn(&str) -> bool| {
        clause(name).is_some_and(|items| items.iter().any(|i| found(i.text())))
    };
    let exim =
        clause_has("by", &|t| t.contains("Exim ")) || clause_has("with", &|t| t.contains("Exim "));
    let http = p.protocol.as_deref().is_some_and(|w| w.starts_with("HTTP"))
        || clause_has("by", &|t| contains_ci(t, "via http"));
    p.local = matches!(
        p.protocol.as_deref(),
        Some("POP3" | "POP" | "IMAP" | "IMAP4")
    ) || clause_has("with", &|t| {
        t.contains("qmail-scanner") || t.contains("fetchmail")
    });
    if let Some(items) = clause("from") {
        read_from(items, &mut p, exim, http);
    }
    // `TLS: none`, `version=none`, `(TLS:none)`: words for no TLS.
    p.tls_version = p.tls_version.filter(|v| !no_tls(v));
    p.tls_cipher = p.tls_cipher.filter(|c| !no_tls(c));
    p
}

/// `value` with its whitespace runs (folds included) made single spaces,
/// trimmed.
fn unfold(value: &str) -> String {
    let mut unfolded = String::with_capacity(value.len());
    let push = |word: &str| {
        if !word.is_empty() {
            if !unfolded.is_empty() {
                unfolded.push(' ');
            }
            unfolded.push_str(word);
        }
    };
    // ASCII without vertical tabs: `split_ascii_whitespace` splits where
    // `split_whitespace` does, without decoding characters.
    if value.is_ascii() && !value.contains('\x0b') {
        value.split_ascii_whitespace().for_each(push);
    } else {
        value.split_whitespace().for_each(push);
    }
    unfolded
}

/// The date text after the last `;`, without the clauses some MTAs write
/// after it: (date, `id` there, `for` there).
fn late_clauses(date: Option<&str>) -> (Option<&str>, Option<String>, Option<String>) {
    // Some MTAs write `; <date> id <queue-id>`.
    let (date, late_id) = match date.and_then(|d| d.find(" id ").map(|i| (d, i))) {
        Some((d, i)) => (d.get(..i), d.get(i + 4..).map(|s| s.trim().to_string())),
        None => (date, None),
    };
    // … and `; <date> for <rcpt>`.
    let (date, late_for) = match date.and_then(|d| d.find(" for ").map(|i| (d, i))) {
        Some((d, i)) => (d.get(..i), d.get(i + 5..).map(strip_angle)),
        None => (date, None),
    };
    (date, late_id, late_for)
}

/// The clauses of `all`: (keyword, start, end), each a run of `all` after
/// its keyword (a keyword seen before is an item of the clause it appears
/// in). TLS facts in comments before the first clause go into `p`.
fn clauses(all: &[Item<'_>], p: &mut Parsed) -> Vec<(&'static str, usize, usize)> {
    let mut clauses: Vec<(&'static str, usize, usize)> = Vec::with_capacity(6);
    for (i, &item) in all.iter().enumerate() {
        match item_keyword(item) {
            Some(k) if !clauses.iter().any(|(c, _, _)| *c == k) => {
                clauses.push((k, i + 1, i + 1));
            }
            _ => match clauses.last_mut() {
                Some((_, _, end)) => *end = i + 1,
                None => {
                    if let Item::Paren(inner) = item {
                        tls_facts(inner, p);
                    }
                }
            },
        }
    }
    clauses
}

/// The TLS facts in the comments among `items`.
fn comments_tls(items: &[Item<'_>], p: &mut Parsed) {
    for item in items {
        if let Item::Paren(inner) = item {
            tls_facts(inner, p);
        }
    }
}

/// The `by` clause: the receiving host, its address and TLS.
fn read_by(items: &[Item<'_>], p: &mut Parsed) {
    // Exchange's SMTPSVC (Hotmail, Exchange 2003-2010) says TLS in words:
    // `by host over TLS secured channel with Microsoft SMTPSVC(…)`, no
    // version or cipher.
    let over_tls = items.windows(3).any(|w| {
        matches!(w, [Item::Word(a), Item::Word(b), Item::Word(c)]
            if a.eq_ignore_ascii_case("over")
                && b.eq_ignore_ascii_case("tls")
                && c.eq_ignore_ascii_case("secured"))
    });
    if over_tls {
        p.tls_version.get_or_insert_with(|| "TLS".to_string());
    }
    for item in items {
        match item {
            Item::Bracket(b) if p.by_host.is_none() => p.by_host = Some((*b).to_string()),
            Item::Word(w) if p.by_host.is_none() => {
                // `OTM-MIX(otm-mix00)`: drop a glued comment.
                let host = w.split('(').next().unwrap_or(w);
                p.by_host = Some(
                    host.trim_end_matches(';')
                        .trim_matches(['<', '>'])
                        .to_string(),
                );
            }
            Item::Paren(inner) => {
                if p.by_ip.is_none() {
                    p.by_ip = ip_of(inner.trim());
                }
                tls_facts(inner, p);
                if contains_ci(inner, "envelope-from") {
                    read_comment(inner, p);
                }
            }
            _ => {}
        }
    }
}

/// The `with` clause: the protocol and TLS.
fn read_with(items: &[Item<'_>], p: &mut Parsed) {
    let words: Vec<&str> = items
        .iter()
        .filter_map(|i| match i {
            Item::Word(w) => Some(*w),
            _ => None,
        })
        .collect();
    if let Some(first) = words.first() {
        // `ESMTP/TLS/DHE-RSA-AES256-GCM-SHA384`
        let mut parts = first.split('/');
        let proto = parts.next().unwrap_or_default();
        if parts.next().is_some_and(|t| t.eq_ignore_ascii_case("tls"))
            && let Some(c) = parts.next()
        {
            p.tls_cipher.get_or_insert_with(|| c.to_string());
        }
        // `with Microsoft SMTP Server`, `with MailEnable ESMTP`: the
        // protocol word may follow a product name.
        let known = |w: &str| {
            let w = normalise_protocol(w);
            w.ends_with("SMTP")
                || w.ends_with("SMTPA")
                || w.ends_with("SMTPS")
                || w.ends_with("SMTPSA")
                || w.starts_with("LMTP")
                || w.starts_with("HTTP")
                || matches!(w.as_str(), "IMAP" | "POP3" | "MAPI" | "LOCAL")
        };
        let word = if known(proto) || proto.eq_ignore_ascii_case("microsoft") {
            proto
        } else {
            words
                .iter()
                .skip(1)
                .find(|w| known(w))
                .copied()
                .unwrap_or(proto)
        };
        p.protocol = Some(normalise_protocol(word));
    } else if let Some(Item::Bracket(b)) = items.first() {
        // XMail: `with [XMail 1.20 ESMTP Server]`
        p.protocol = b
            .split_whitespace()
            .find(|w| w.to_ascii_uppercase().ends_with("SMTP"))
            .map(str::to_ascii_uppercase);
    }
    // Exim 4.9x: `with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384`
    if let Some(i) = words.iter().position(|w| w.eq_ignore_ascii_case("tls"))
        && let Some(c) = words.get(i + 1)
    {
        p.tls_cipher.get_or_insert_with(|| (*c).to_string());
    }
    for item in items {
        if let Item::Paren(inner) = item {
            tls_facts(inner, p);
            if p.tls_version.is_none() && starts_ci(inner, "tls") && !inner.contains(' ') {
                p.tls_version = Some(inner.to_string());
            }
        }
    }
}

/// The `via` clause's text: `via smail from stdin` ends at the next clause
/// word.
fn via_text(items: &[Item<'_>]) -> Option<String> {
    let words: Vec<&str> = items
        .iter()
        .map_while(|i| match i {
            Item::Word(w) if !is_keyword(w) => Some(*w),
            _ => None,
        })
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The `from` clause: the client's address, its greeting (HELO) and its
/// reverse-DNS name, read the way the MTA's format writes them (`exim`,
/// `http`: the formats the other clauses name).
fn read_from(items: &[Item], p: &mut Parsed, exim: bool, http: bool) {
    let from = from_items(items, p);
    name_the_client(from, p, exim, http);
}

/// What a `from` clause's items say before the MTA's format decides which
/// name is which.
#[derive(Default)]
struct FromClause {
    /// The leading name (or `[address]`).
    name: Option<String>,
    /// The leading name is an address literal.
    literal: bool,
    /// A greeting a comment names (`helo=`, `HELO name`).
    explicit_helo: Option<String>,
    /// The reverse-DNS name a comment gives before the address.
    comment_rdns: Option<String>,
    /// A comment holding a host name only.
    host_only: Option<String>,
    /// A comment says `verified`.
    verified: bool,
    /// qmail's `(ip)` / `(user@ip)`, or the glued `name(ip)`.
    bare_ip_comment: bool,
    /// `claiming to be "name"`.
    claiming: Option<String>,
    /// The leading word is an address.
    bare_ip_name: Option<String>,
    /// `name(ip)` written as one word.
    glued: bool,
}

/// The `from` clause's items read in order: addresses, ident and
/// authentication go into `p`, the names into the [`FromClause`].
fn from_items(items: &[Item], p: &mut Parsed) -> FromClause {
    let mut f = FromClause::default();
    for (i, item) in items.iter().enumerate() {
        match item {
            Item::Word(w) if i == 0 => {
                if let Some(ip) = ip_of(w) {
                    p.ip.get_or_insert(ip);
                    p.from_host = Some((*w).to_string());
                    f.bare_ip_name = Some((*w).to_string());
                } else {
                    f.name = Some((*w).to_string());
                }
            }
            Item::Bracket(b) => {
                if let Some(ip) = ip_of(b) {
                    if i == 0 {
                        f.name = Some(format!("[{b}]"));
                        f.literal = true;
                        p.ip.get_or_insert(ip);
                    } else {
                        p.ip = Some(ip);
                    }
                } else if i == 0 {
                    f.name = Some(format!("[{b}]"));
                }
            }
            Item::Paren(inner) => {
                let c = read_comment(inner, p);
                if let Some(h) = c.helo {
                    f.explicit_helo = Some(h);
                }
                if let Some(ip) = c.ip {
                    // The address in the comment is the one the receiver saw;
                    // a name that is itself an address is only the greeting.
                    if p.ip.is_none() || f.literal || f.bare_ip_name.is_some() {
                        p.ip = Some(ip);
                    }
                    // qmail's `(ip)` / `(user@ip)`, not Sendmail's `([ip])`.
                    let t = inner.trim();
                    let bare = !t.starts_with('[') && !t.contains(' ');
                    f.bare_ip_comment |=
                        bare && (t.contains('@') || (ip_of(t).is_some() && !t.contains(':')));
                }
                if c.rdns.is_some() && f.comment_rdns.is_none() {
                    f.comment_rdns = c.rdns;
                }
                if c.ident.is_some() {
                    p.ident = c.ident;
                }
                f.verified |= c.verified;
                if f.host_only.is_none() {
                    f.host_only = c.host_only;
                }
            }
            Item::Word(w) => {
                if w.eq_ignore_ascii_case("as")
                    && matches!(items.get(i + 1), Some(Item::Word(u)) if u.eq_ignore_ascii_case("user"))
                {
                    // `as user jason@localhost`
                    if let Some(Item::Word(u)) = items.get(i + 2) {
                        p.ident = Some(u.split('@').next().unwrap_or(u).to_string());
                    }
                }
                if w.eq_ignore_ascii_case("claiming") {
                    // `claiming to be "name"`
                    f.claiming = items.get(i + 3).and_then(|it| match it {
                        Item::Word(n) => Some(n.trim_matches('"').to_string()),
                        _ => None,
                    });
                }
                if p.ip.is_none()
                    && let Some(ip) = ip_of(w)
                {
                    p.ip = Some(ip);
                }
            }
        }
    }
    // `from TCE-E-7-182-54.bta.net.cn(202.106.182.54)`: the glued form.
    let glued_name = f.name.as_deref().and_then(|n| {
        let (host, rest) = n.split_once('(')?;
        let ip = ip_of(rest.trim_end_matches(')'))?;
        Some((host.to_string(), ip))
    });
    if let Some((host, ip)) = glued_name {
        p.ip.get_or_insert(ip);
        f.name = Some(host);
        f.bare_ip_comment = true;
        f.glued = true;
    }
    f
}

/// The client's host, HELO and reverse-DNS name in `p`, from the `from`
/// clause's names as the MTA's format places them.
fn name_the_client(f: FromClause, p: &mut Parsed, exim: bool, http: bool) {
    let FromClause {
        name,
        literal,
        explicit_helo,
        comment_rdns,
        host_only,
        verified,
        bare_ip_comment,
        claiming,
        bare_ip_name,
        glued,
    } = f;
    if name.is_some() {
        p.from_host = name.clone();
    }
    // The leading name as a reverse-DNS name, where a branch below uses it.
    let name_rdns =
        |name: &Option<String>| name.as_deref().filter(|n| rdns_like(n)).map(str::to_string);
    if http {
        // Webmail: there is no SMTP greeting, and the name is not checked.
        return;
    }
    if glued {
        // `from rdns(ip) via SMTP`, optionally `claiming to be "helo"`.
        p.rdns = name_rdns(&name);
        p.helo = claiming;
        return;
    }
    if let Some(h) = explicit_helo {
        // qmail and Exim name the greeting separately: the leading name is
        // then the reverse-DNS name (`unknown` when there is none).
        p.helo = (!h.is_empty()).then_some(h);
        p.rdns = name.filter(|n| !literal && !no_rdns(n));
        return;
    }
    if name.is_none() {
        // `from 1.2.3.4 (rdns [ip])`: the greeting was an address.
        if comment_rdns.is_some() {
            p.helo = bare_ip_name;
            p.rdns = comment_rdns.filter(|r| !no_rdns(r));
        }
        return;
    }
    if let Some(host) = host_only {
        // Exim 3: `from rdns (helo) [ip]`
        p.helo = Some(host);
        p.rdns = name_rdns(&name);
        return;
    }
    if let Some(r) = comment_rdns {
        p.rdns = (!no_rdns(&r)).then_some(r);
    } else if verified || exim || bare_ip_comment {
        p.rdns = name_rdns(&name);
    }
    // `unknown` where the greeting goes (Postfix and Sendmail without a
    // HELO or rDNS, SurfControl's `from Unknown [ip]`) is the MTA saying it
    // had no name for the client, not a name the client gave.
    p.helo = name.filter(|n| !no_rdns(n));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list-every-word reading `trailing_date` had before it read the
    /// last ten words from the end (issue 19 item 3).
    fn trailing_date_listing_every_word(body: &str) -> Option<(usize, Stamp)> {
        let starts: Vec<usize> = body
            .char_indices()
            .filter(|&(i, c)| {
                !c.is_whitespace() && (i == 0 || body.get(..i).is_some_and(|b| b.ends_with(' ')))
            })
            .map(|(i, _)| i)
            .collect();
        let from = starts.len().saturating_sub(10);
        starts
            .get(from..)?
            .iter()
            .find_map(|&i| datetime::parse(body.get(i..)?).map(|s| (i, s)))
    }

    #[test]
    fn the_trailing_date_is_found_as_when_every_word_was_listed() {
        for body in [
            "from a by b with SMTP Mon, 23 Nov 2026 10:00:00 +0000",
            "from a by b with SMTP 23 Nov 2026 10:00:00 +0000 (UTC)",
            "from a by b 4/20/2018 11:01:16 PM -0400",
            "from a by b",
            "",
            "Mon, 23 Nov 2026 10:00:00 +0000",
            "x y z 1 2 3 4 5 6 7 8 9 10 11 Nov 2026 10:00:00",
            "from a by b with SMTP Mon, 23 Nov 2026 10:00:00 +0000 ",
            "é ü 23 Nov 2026 10:00:00 +0900",
        ] {
            assert_eq!(
                trailing_date(body),
                trailing_date_listing_every_word(body),
                "{body:?}"
            );
        }
    }

    #[test]
    fn a_received_value_longer_than_the_parsed_part_keeps_its_clauses_and_date() {
        let value = format!(
            "from a.test ([192.0.2.1]) by b.test with ESMTP id Q1 {}; Mon, 23 Nov 2026 10:00:00 +0000",
            "(x) ".repeat(100_000)
        );
        let p = parse(&value);
        assert_eq!(p.by_host.as_deref(), Some("b.test"));
        assert_eq!(p.ip, "192.0.2.1".parse().ok());
        assert_eq!(p.date.map(|d| d.unix), Some(1_795_428_000));
    }

    #[test]
    fn a_negated_tls_phrase_is_not_read_as_tls() {
        // usrp-000's Active!gate hop said `(not using TLS)` and was shown
        // with TLS version "TLS". Each of these says there was no TLS.
        for value in [
            "from mail.d.activegate-ss.jp (unknown [10.16.39.40]) (envelope sender: \
             <a@mobicom.example>) (not using TLS) by ss11.activegate-ss.jp (Active!gate) \
             with ESMTP id bPLQ01611B; Mon, 27 Apr 2026 15:11:16 +0800",
            "from a.test ([192.0.2.1]) (no TLS used) by b.test with ESMTP; Mon, 23 Nov 2026 10:00:00 +0000",
            "from a.test ([192.0.2.1]) (without TLS: plain) by b.test with ESMTP; Mon, 23 Nov 2026 10:00:00 +0000",
            "from a.test ([192.0.2.1]) (AUTH: LOGIN taro, TLS: none) by b.test with ESMTP; Mon, 23 Nov 2026 10:00:00 +0000",
            "from a.test ([192.0.2.1]) by b.test with ESMTP (TLS:none) id X; Mon, 23 Nov 2026 10:00:00 +0000",
            "from a.test ([192.0.2.1]) by b.test with ESMTP id X (version=NONE cipher=none); Mon, 23 Nov 2026 10:00:00 +0000",
        ] {
            let p = parse(value);
            assert_eq!(p.tls_version, None, "{value}");
            assert_eq!(p.tls_cipher, None, "{value}");
            assert_eq!(p.protocol.as_deref(), Some("ESMTP"), "{value}");
        }
        // The affirmative spelling is still TLS.
        let p = parse(
            "from a.test ([192.0.2.1]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 \
             (256/256 bits)) by b.test (Postfix) with ESMTPS id X; Mon, 23 Nov 2026 10:00:00 +0000",
        );
        assert_eq!(p.tls_version.as_deref(), Some("TLSv1.3"));
        assert_eq!(p.tls_cipher.as_deref(), Some("TLS_AES_256_GCM_SHA384"));
    }

    #[test]
    fn a_received_date_without_a_semicolon_is_never_read_from_an_id_of_digits() {
        // sisimai-046 (IMail): no `;`, the queue id just before the date.
        // The date is Thu, 29 Apr 2009 23:45:10 -0600 = 2009-04-30T05:45:10Z;
        // it was read as 2000-04-30 (the id as a year).
        let p = parse(
            "from example.org [192.0.2.88] by example.org with ESMTP (SMTPD32-5.05) \
             id 000000000000 Thu, 29 Apr 2009 23:45:10 -0600",
        );
        assert_eq!(p.date.map(|d| d.unix), Some(1_241_070_310));
        assert_eq!(p.id.as_deref(), Some("000000000000"));
        // Digits alone, no date after them: no date at all.
        let p = parse("from a.test ([192.0.2.1]) by b.test with SMTP id 20260427151116");
        assert_eq!(p.date, None);
    }
}
